"""Values as Thai statements and accountants write them, read into the portfolio's conventions.

Numbers may carry thousands separators, Thai digits, the baht sign or word, surrounding spaces,
negatives in parentheses or with a trailing minus, and a lone dash for nil. Years and dates may
be in the Buddhist era (B.E. = C.E. + 543) and dates in day/month/year order, with Thai month
abbreviations. Each reader returns the value and, when it changed the text, a note saying how.
"""

from __future__ import annotations

import datetime as dt
import math
import re

BE_OFFSET = 543
# A year this large is Buddhist era: C.E. years of the portfolio stay below 2100 and B.E. years
# of any statement in use are above 2400.
FIRST_BE_YEAR = 2400
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
DASHES = {"-", "–", "—", "−"}
THAI_MONTHS = {
    name: month
    for month, names in enumerate(
        (
            ("ม.ค.", "มกราคม"), ("ก.พ.", "กุมภาพันธ์"), ("มี.ค.", "มีนาคม"), ("เม.ย.", "เมษายน"),
            ("พ.ค.", "พฤษภาคม"), ("มิ.ย.", "มิถุนายน"), ("ก.ค.", "กรกฎาคม"), ("ส.ค.", "สิงหาคม"),
            ("ก.ย.", "กันยายน"), ("ต.ค.", "ตุลาคม"), ("พ.ย.", "พฤศจิกายน"), ("ธ.ค.", "ธันวาคม"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_THAI_DATE = re.compile(r"^(\d{1,2})\s*(\S+?)\s*(\d{4})$")


class UnreadableValueError(ValueError):
    """A cell that no reading makes sense of; the message says what was expected."""


def plain(text: object) -> str:
    """Text with Thai digits as ASCII digits and surrounding spaces (any kind) removed."""
    return str(text).translate(THAI_DIGITS).replace("\u00a0", " ").replace("\u200b", "").strip()


def read_number(cell: object) -> tuple[float | None, str | None]:
    """A money amount or count: (value, note of what was converted) or UnreadableValueError."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None, None
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        return float(cell), None
    original = str(cell).strip()
    text = plain(cell)
    if text == "":
        return None, None
    if text in DASHES:
        return 0.0, "a dash for nil read as 0"
    text = text.replace("฿", "").replace("บาท", "").replace("THB", "").strip()
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    elif text.endswith("-") and len(text) > 1:
        negative, text = True, text[:-1].strip()
    text = text.replace(",", "").replace(" ", "")
    if not _NUMBER.match(text):
        raise UnreadableValueError(f"not a number: {original!r}")
    value = -float(text) if negative else float(text)
    return value, (None if text == original else f"{original!r} read as {value:,.2f}")


def read_year(cell: object) -> tuple[int, str | None]:
    """A fiscal year, C.E. or B.E. (\"2567\", \"พ.ศ. 2567\", \"ปี 2567\", \"FY2024\")."""
    text = plain(cell)
    found = re.search(r"(\d{4})", text)
    if found is None or float(found.group(1)) < 1900:
        raise UnreadableValueError(f"not a year: {text!r}")
    year = int(found.group(1))
    if year >= FIRST_BE_YEAR:
        return year - BE_OFFSET, f"{text!r} is B.E. {year}: C.E. {year - BE_OFFSET}"
    return year, (None if text == str(year) else f"{text!r} read as {year}")


def read_date(cell: object) -> tuple[dt.date | None, str | None]:
    """A date as ISO, day/month/year or \"31 ธ.ค. 2567\", in either era."""
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return None, None
    if isinstance(cell, dt.datetime):
        cell = cell.date()
    if isinstance(cell, dt.date):
        return _era(cell.year, cell.month, cell.day, str(cell))
    text = plain(cell)
    if text == "":
        return None, None
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy")):
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, map(int, match.groups()), strict=True))
            return _era(parts["y"], parts["m"], parts["d"], text)
    match = _THAI_DATE.match(text)
    if match and match.group(2) in THAI_MONTHS:
        day, month = int(match.group(1)), THAI_MONTHS[match.group(2)]
        return _era(int(match.group(3)), month, day, text)
    raise UnreadableValueError(f"not a date (YYYY-MM-DD, DD/MM/YYYY or 31 ธ.ค. 2567): {text!r}")


def _era(year: int, month: int, day: int, text: str) -> tuple[dt.date, str | None]:
    be = year >= FIRST_BE_YEAR
    try:
        value = dt.date(year - BE_OFFSET if be else year, month, day)
    except ValueError:
        raise UnreadableValueError(f"not a calendar date: {text!r}") from None
    if be:
        return value, f"{text!r} is a B.E. date: {value.isoformat()}"
    return value, (None if text == value.isoformat() else f"{text!r} read as {value.isoformat()}")
