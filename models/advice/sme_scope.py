"""Whether a business is inside SME programmes: a business above the medium size class is not,
and its advice says so with the numbers that put it there."""

from __future__ import annotations

import math
from typing import Any

from features.catalogues.languages import LANGUAGES
from models.advice import wording as w
from models.advice.situation import Situation
from models.plans.programmes import Rules


def sme_scope(rules: Rules, situation: Situation, size_class: str | None) -> dict[str, Any] | None:
    """A business above the medium size class is outside SME programmes: say so, with the
    numbers and the medium class's limits that put it there."""
    if size_class != "large":
        return None
    statement = situation.latest_statement or {}
    limits = rules.medium_limits(situation.sector)
    out: dict[str, Any] = {
        "size_class": size_class,
        "sme": False,
        "revenue": float(statement.get("revenue", math.nan)),
        "employees": situation.employees,
        "medium_revenue_limit": float(limits["revenue"]),
        "medium_employees_limit": float(limits["employees"]),
        "rule": rules.size_classes["id"],
    }
    for lang in LANGUAGES:
        out[f"note_{lang}"] = w.outside_sme(out, lang)
    return out
