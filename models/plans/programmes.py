"""Thai programme rules as data: the rules in force on a date, read from `programme_rules.toml`.

Each rule carries its id, source and effective dates; an option names the rule it applied and
lists the eligibility checks it passed or failed, so an analyst can see why a programme was, or
was not, offered.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

RULES_PATH = Path(__file__).with_name("programme_rules.toml")
SIZE_CLASSES = ("micro", "small", "medium", "large")


@dataclass(frozen=True)
class Check:
    """One eligibility check: what was compared, and whether it passed."""

    rule: str
    passed: bool
    value: float | str | None
    limit: float | str | None
    name: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "name": self.name,
            "passed": self.passed,
            "value": self.value,
            "limit": self.limit,
        }


# The kinds of rule every piece of advice needs: before the first of each, nothing can be advised.
REQUIRED = ("interest_ceiling", "size_classes")


class RulesNotInForceError(LookupError):
    """A date before the rules cover it: `earliest` is the first date they do."""

    def __init__(self, kind: str, on: dt.date, earliest: dt.date):
        super().__init__(
            f"{RULES_PATH.name}: no {kind} rule in force on {on}; the rules cover {earliest} on"
        )
        self.kind, self.on, self.earliest = kind, on, earliest


@lru_cache
def load_rules(path: str | None = None) -> dict[str, Any]:
    with open(path or RULES_PATH, "rb") as handle:
        return tomllib.load(handle)


def in_force(rule: dict[str, Any], on: dt.date) -> bool:
    start = rule.get("effective_from")
    end = rule.get("effective_to")
    return (start is None or start <= on) and (end is None or on <= end)


def earliest_covered(path: str | None = None) -> dt.date:
    """The first date on which a rule of every required kind is in force."""
    data = load_rules(path)
    return max(
        min((r["effective_from"] for r in data.get(kind, [])), default=dt.date.max)
        for kind in REQUIRED
    )


@dataclass(frozen=True)
class Rules:
    """The rules in force on one date."""

    on: dt.date
    version: str
    ceiling: dict[str, Any]
    size_classes: dict[str, Any]
    guarantees: dict[str, dict[str, Any]]
    refinance_sources: list[dict[str, Any]]
    court_rehabilitation: list[dict[str, Any]]
    asset_warehousing: list[dict[str, Any]]
    agencies: dict[str, dict[str, Any]]

    @classmethod
    def on_date(cls, on: dt.date, path: str | None = None) -> Rules:
        data = load_rules(path)

        def current(kind: str) -> list[dict[str, Any]]:
            return [r for r in data.get(kind, []) if in_force(r, on)]

        def one(kind: str) -> dict[str, Any]:
            found = current(kind)
            if not found:
                raise RulesNotInForceError(kind, on, earliest_covered(path))
            return max(found, key=lambda r: r["effective_from"])

        return cls(
            on=on,
            version=str(data["version"]),
            ceiling=one("interest_ceiling"),
            size_classes=one("size_classes"),
            guarantees={g["id"]: g for g in current("guarantee")},
            refinance_sources=current("refinance_source"),
            court_rehabilitation=current("court_rehabilitation"),
            asset_warehousing=current("asset_warehousing"),
            agencies={a["problem"]: a for a in current("agencies")},
        )

    def ceiling_for(self, facility_type: str) -> float | None:
        """The legal ceiling on a facility's rate, or None where its lender is not capped."""
        if facility_type in self.ceiling["facility_types"]:
            return float(self.ceiling["annual_rate"])
        return None

    def medium_limits(self, sector: str | None) -> dict[str, Any]:
        """The upper limits of the medium class (the largest SME) for the sector's group."""
        return dict(self._limits(sector)["medium"])

    def _limits(self, sector: str | None) -> dict[str, Any]:
        table = self.size_classes
        group = (
            "manufacturing" if sector in table["manufacturing_sectors"] else "trade_and_services"
        )
        return dict(table[group])

    def size_class(self, sector: str | None, revenue: float, employees: float) -> str | None:
        """OSMEP size class; the larger class applies when revenue and employees disagree.
        None when neither is known."""
        limits = self._limits(sector)

        def by(measure: str, value: float) -> int | None:
            if value is None or math.isnan(value):
                return None
            for i, name in enumerate(SIZE_CLASSES[:-1]):
                if value <= limits[name][measure]:
                    return i
            return len(SIZE_CLASSES) - 1

        found = [c for c in (by("revenue", revenue), by("employees", employees)) if c is not None]
        return SIZE_CLASSES[max(found)] if found else None

    def agencies_for(self, problem_types: list[str]) -> list[dict[str, Any]]:
        """The agencies for the case's problem types, each named once, in declaration order."""
        out: dict[str, dict[str, Any]] = {}
        for problem in problem_types:
            rule = self.agencies.get(problem)
            if rule is None:
                continue
            for agency in rule["agency"]:
                out.setdefault(
                    agency["id"], {**agency, "problem": problem, "source": rule["source"]}
                )
        return list(out.values())


def size_check(rule: dict[str, Any], size_class: str | None) -> Check:
    allowed = rule["size_classes"]
    return Check(rule["id"], size_class in allowed, size_class, "/".join(allowed), "size_class")


def programme_of(rule: dict[str, Any]) -> dict[str, Any]:
    """What an option shows of the rule it applied."""
    return {
        "id": rule["id"],
        "name_en": rule["name_en"],
        "name_th": rule["name_th"],
        "source": rule["source"],
        "effective_from": str(rule["effective_from"]),
        "effective_to": str(rule["effective_to"]) if rule.get("effective_to") else None,
    }
