"""A rationale read back against its option: every number in the text must be one of the
option's fields (as shown, to the digits shown), and every comparison written `a ≥ b` or
`a < b` must hold for the numbers as written. Names (lenders, programmes, agencies, ids) are
read past, since digits in a name are not figures."""

from __future__ import annotations

import math
import re
from typing import Any

from features.catalogues.languages import LANGUAGES

NUMBER = r"(?<![\w.\-])-?\d[\d,]*(?:\.\d+)?%?"
UNIT = r"(?:THB|บาท|months|เดือน|days|วัน)?(?:\s+old)?"
COMPARISON = re.compile(rf"({NUMBER})\s*{UNIT}\s*([<≥])\s*({NUMBER})")
BUDDHIST_ERA = 543


def _value(token: str) -> tuple[float, float]:
    """A number as written, and half a unit of its last digit (scaled like the value)."""
    percent = token.endswith("%")
    text = token.rstrip("%").replace(",", "")
    decimals = len(text.split(".")[1]) if "." in text else 0
    scale = 0.01 if percent else 1.0
    return float(text) * scale, 0.5 * 10**-decimals * scale


def _leaves(option: dict[str, Any]) -> list[Any]:
    """Every value in the option but its rationales, all the way down."""
    out: list[Any] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
        else:
            out.append(value)

    walk({k: v for k, v in option.items() if not k.startswith("rationale")})
    return out


def contradictions(option: dict[str, Any]) -> list[str]:
    """What in the option's rationales (English and Thai) its numbers do not bear out."""
    leaves = _leaves(option)
    fields = [
        float(v)
        for v in leaves
        if isinstance(v, int | float) and not isinstance(v, bool) and not math.isnan(v)
    ]
    names = sorted({v for v in leaves if isinstance(v, str) and len(v) > 1}, key=len, reverse=True)
    found = []
    for lang in LANGUAGES:
        text = option.get(f"rationale_{lang}", "")
        for name in names:
            text = text.replace(name, " ")
        for token in re.findall(NUMBER, text):
            value, half = _value(token)
            # A Thai text may write a year in the Buddhist era.
            year = value - BUDDHIST_ERA if lang == "th" else value
            if not any(abs(value - f) <= half + 1e-9 or abs(year - f) <= half + 1e-9
                       for f in fields):  # fmt: skip
                found.append(f"{lang}: {token} is none of the option's numbers")
        for left, sign, right in COMPARISON.findall(text):
            a, b = _value(left)[0], _value(right)[0]
            if not ((a >= b) if sign == "≥" else (a < b)):
                found.append(f"{lang}: {left} {sign} {right} does not hold")
    return found
