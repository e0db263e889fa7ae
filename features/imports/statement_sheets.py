"""A statement laid out as accountants and filings lay it out: line labels down the rows (Thai or
English), fiscal years across the columns, business details and the unit above.

`read_statement_sheet` turns one such grid into a business row and its statement rows, mapping
labels through the label dictionary and reporting every conversion, every subtotal it
recognised, every line it could not map and every balance sheet that does not balance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from features.imports.import_report import ImportReport, Kind, note_kind
from features.imports.labels import LabelDictionary, Match
from features.imports.thai_values import (
    UnreadableValueError,
    plain,
    read_date,
    read_number,
    read_year,
)
from features.schema import IDENTITY_ABS_TOLERANCE, IDENTITY_REL_TOLERANCE, LAST_YEAR

Grid = list[list[Any]]


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index: 0 -> A, 26 -> AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


@dataclass
class Where:
    file: str
    sheet: str | None

    def __call__(self, report: ImportReport, kind: Kind, detail: str, row: int, col: int) -> None:
        report.add(
            kind, self.file, detail, sheet=self.sheet, row=row + 1, column=column_letter(col)
        )


@dataclass
class SheetResult:
    business: dict[str, Any] = field(default_factory=dict)
    statements: list[dict[str, Any]] = field(default_factory=list)


def _year_header(row: list[Any]) -> dict[int, tuple[int, dt.date | None, str | None]]:
    """Columns of a header row that name fiscal years (or period-end dates): col -> (year,
    period end, note)."""
    years: dict[int, tuple[int, dt.date | None, str | None]] = {}
    for col, cell in enumerate(row[1:], start=1):
        if cell is None or plain(cell) == "":
            continue
        try:
            date, note = read_date(cell)
        except UnreadableValueError:
            date = None
        if date is not None:
            years[col] = (date.year, date, note)
            continue
        try:
            year, note = read_year(cell)
        except UnreadableValueError:
            continue
        if 1900 <= year <= LAST_YEAR and len(plain(cell)) <= 16:
            years[col] = (year, None, note)
    return years


def _label_col(grid: Grid, start: int) -> int:
    for row in grid[start:]:
        for col, cell in enumerate(row):
            if cell is not None and plain(cell) != "":
                return col
    return 0


def _detail(row: list[Any], col: int) -> tuple[Any, int]:
    """The value of a details row: in the next non-empty cell, or after a colon in the label."""
    for other in range(col + 1, len(row)):
        if row[other] is not None and plain(row[other]) != "":
            return row[other], other
    text = plain(row[col])
    return (text.split(":", 1)[1].strip(), col) if ":" in text else (None, col)


def read_statement_sheet(
    grid: Grid, labels: LabelDictionary, where: Where, report: ImportReport
) -> SheetResult | None:
    """The business and statements of one sheet; None when it holds no year header."""
    header = next((i for i, row in enumerate(grid) if len(_year_header(row)) >= 1), None)
    if header is None:
        return None
    years = _year_header(grid[header])
    for col, (_, _, note) in years.items():
        if note:
            where(report, note_kind(note), note, header, col)
    label_col = min(_label_col(grid, 0), min(years) - 1)
    separators: list[tuple[int, int]] = []
    result = SheetResult()
    factor = 1.0
    lines: dict[int, dict[str, float]] = {col: {} for col in years}
    ranks: dict[str, tuple[int, int]] = {}  # line -> (rank, row) of the label it was read from
    parts: dict[int, dict[str, float]] = {col: {} for col in years}
    period: dict[int, dt.date] = {}

    for r, row in enumerate(grid):
        if label_col >= len(row) or row[label_col] is None or plain(row[label_col]) == "":
            continue
        label = plain(row[label_col])
        match = labels.match(label.split(":", 1)[0] if r < header else label)
        unit = labels.unit(label) if match is None or match.role == "unit" else None
        if unit is not None and r <= header:
            factor = unit.factor
            if factor != 1.0:
                where(report, "unit", f"{label!r}: amounts x {factor:,.0f}", r, label_col)
            continue
        if r <= header:
            if match is not None and match.role == "business":
                _business_detail(result, match, row, label_col, where, report, r)
            continue
        if match is None:
            shown = [plain(row[c]) for c in years if c < len(row) and row[c] is not None]
            if any(shown):
                where(report, "unmapped", f"{label!r} ({', '.join(shown)})", r, label_col)
            continue
        if match.role == "business":
            _business_detail(result, match, row, label_col, where, report, r)
        elif match.role == "subtotal":
            where(report, "subtotal", repr(label), r, label_col)
        elif match.role == "period":
            for col, date, note, _ in _cells(row, years, read_date, where, report, r):
                period[col] = date
                if note:
                    where(report, note_kind(note), note, r, col)
        elif match.role in ("line", "component"):
            read = _amounts(row, years, factor, where, report, r, separators)
            if not read:
                continue  # a heading row: the label without figures
            if match.role == "component":
                for col, value in read.items():
                    parts[col][match.target] = parts[col].get(match.target, 0.0) + value
                continue
            earlier = ranks.get(match.target)
            if earlier is not None and earlier[0] <= match.rank:
                detail = f"{label!r} names {match.target}, read at row {earlier[1] + 1}"
                where(report, "duplicate_line", detail, r, label_col)
                continue
            ranks[match.target] = (match.rank, r)
            for col, value in read.items():
                lines[col][match.target] = value

    if separators:
        r, col = separators[0]
        detail = f"{len(separators)} amounts with thousands separators, from this cell on"
        where(report, "converted", detail, r, col)
    for col, (year, header_date, _) in sorted(years.items(), key=lambda kv: kv[1][0]):
        values = lines[col]
        for target, total in parts[col].items():
            if target not in values:
                values[target] = total
                detail = f"{target} = {total:,.2f}, the sum of its parts, for {year}"
                where(report, "component", detail, header, col)
        if not values:
            continue
        end = period.get(col) or header_date
        if end is None:
            end = dt.date(year, 12, 31)
            where(report, "default_period_end", f"{year}: {end.isoformat()}", header, col)
        _check_identity(values, year, where, report, header, col)
        result.statements.append({"fiscal_year": year, "period_end": end.isoformat(), **values})
    return result


def _amounts(
    row: list[Any],
    years: dict[int, Any],
    factor: float,
    where: Where,
    report: ImportReport,
    r: int,
    separators: list[tuple[int, int]],
) -> dict[int, float]:
    """The row's amounts by year column, in baht; notes for every change of form but plain
    thousands separators, which are only counted (in `separators`)."""
    read: dict[int, float] = {}
    for col, value, note, cell in _cells(row, years, read_number, where, report, r):
        if note and _only_separators(cell):
            separators.append((r, col))
        elif note:
            where(report, "converted", note, r, col)
        read[col] = round(value * factor, 2)
    return read


def _cells(
    row: list[Any],
    years: dict[int, Any],
    reader: Callable[[Any], tuple[Any, str | None]],
    where: Where,
    report: ImportReport,
    r: int,
) -> Iterator[tuple[int, Any, str | None, Any]]:
    """(column, value, note, cell) of the row's non-empty cells under the year columns; a cell
    the reader cannot read is reported as an error and skipped."""
    for col in years:
        cell = row[col] if col < len(row) else None
        try:
            value, note = reader(cell)
        except UnreadableValueError as exc:
            where(report, "error", str(exc), r, col)
            continue
        if value is not None:
            yield col, value, note, cell


def _business_detail(
    result: SheetResult,
    match: Match,
    row: list[Any],
    col: int,
    where: Where,
    report: ImportReport,
    r: int,
) -> None:
    value, at = _detail(row, col)
    if value is None:
        return
    text = plain(value)
    if match.target == "tax_id":
        cleaned = text.replace("-", "").replace(" ", "")
        if cleaned != str(value).strip():
            where(report, "converted", f"tax id {str(value).strip()!r} read as {cleaned}", r, at)
        text = cleaned
    result.business[match.target] = text


def _check_identity(
    values: dict[str, float], year: int, where: Where, report: ImportReport, r: int, col: int
) -> None:
    needed = ("total_assets", "total_liabilities", "equity")
    if not all(k in values for k in needed):
        return
    assets, other = values["total_assets"], values["total_liabilities"] + values["equity"]
    tolerance = IDENTITY_ABS_TOLERANCE + IDENTITY_REL_TOLERANCE * abs(assets)
    if abs(assets - other) > tolerance:
        detail = f"{year}: {assets:,.2f} against {other:,.2f}"
        where(report, "unbalanced", detail, r, col)


def _only_separators(cell: Any) -> bool:
    text = str(cell).strip()
    return text.replace(",", "").replace(".", "", 1).isdigit()
