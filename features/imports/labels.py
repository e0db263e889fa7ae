"""The statement label dictionary (`data/statement_labels.toml`): which line a label names.

A label is compared after normalising: lower case, Thai digits as ASCII, no spaces, colons or
leading item numbers, so "1. รวม สินทรัพย์ :" and "รวมสินทรัพย์" are the same label.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from features.imports.thai_values import plain

LABELS_PATH = Path(__file__).parents[1] / "data" / "statement_labels.toml"
_ITEM_NUMBER = re.compile(r"^(\(?[0-9ก-ฮa-z]{1,2}[.)]\s*)+")

Role = Literal["line", "component", "subtotal", "period", "business", "unit"]


def normalise(label: object) -> str:
    text = plain(label).lower()
    text = _ITEM_NUMBER.sub("", text)
    return re.sub(r"[\s:：]+", "", text)


@dataclass(frozen=True)
class Match:
    role: Role
    target: str  # the column (line, component's line, business detail) or unit label
    rank: int  # position among the target's synonyms: lower is preferred
    factor: float = 1.0  # for units


@dataclass(frozen=True)
class LabelDictionary:
    version: str
    source: str
    entries: dict[str, Match]

    def match(self, label: object) -> Match | None:
        return self.entries.get(normalise(label))

    def unit(self, text: object) -> Match | None:
        """A unit named anywhere in a cell such as "(หน่วย: พันบาท)"."""
        found = normalise(text)
        units = [m for key, m in self.entries.items() if m.role == "unit" and key in found]
        return max(units, key=lambda m: len(m.target), default=None)


def line_names() -> dict[str, str]:
    """Each statement column's name in Thai: the first label the dictionary gives it."""
    with open(LABELS_PATH, "rb") as handle:
        lines: dict[str, list[str]] = tomllib.load(handle)["lines"]
    return {column: labels[0] for column, labels in lines.items()}


def _add(entries: dict[str, Match], labels: list[str], role: Role, target: str) -> None:
    for rank, label in enumerate(labels):
        entries.setdefault(normalise(label), Match(role, target, rank))


@lru_cache
def load_labels(path: str | None = None) -> LabelDictionary:
    with open(path or LABELS_PATH, "rb") as handle:
        data: dict[str, Any] = tomllib.load(handle)
    entries: dict[str, Match] = {}
    for column, labels in data["lines"].items():
        _add(entries, labels, "line", column)
    for column, labels in data.get("components", {}).items():
        _add(entries, labels, "component", column)
    _add(entries, data.get("subtotals", {}).get("labels", []), "subtotal", "")
    _add(entries, data.get("period", {}).get("labels", []), "period", "period_end")
    for column, labels in data.get("business", {}).items():
        _add(entries, labels, "business", column)
    for unit, factor in data.get("units", {}).items():
        entries.setdefault(normalise(unit), Match("unit", unit, 0, float(factor)))
    return LabelDictionary(str(data["version"]), str(data["source"]), entries)
