"""The advice on a portfolio's cases, reviewed: the report of `models.advice.report` with the
feasibility champion scoring the plans when one is registered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from features import Portfolio, build_features
from models.advice.report import advice_report
from models.plans.plan_search import Feasibility, feasibility_function
from models.registry import load_champion
from models.specs import FEASIBILITY


def case_problems(portfolio: Portfolio) -> dict[str, list[str]]:
    """Each business's problem types, from its cases."""
    cases = portfolio.tables.get("cases")
    out: dict[str, list[str]] = {}
    if cases is None:
        return out
    for business_id, problems in zip(cases["business_id"], cases["problem_types"], strict=True):
        for problem in str(problems or "").split(";"):
            if problem.strip() and problem.strip() != "nan":
                out.setdefault(str(business_id), []).append(problem.strip())
    return out


def review_advice(
    portfolio: Portfolio,
    as_of: dt.date,
    *,
    tracking_uri: str | None = None,
    limit: int | None = None,
) -> dict[str, Any]:
    """Advise the businesses with a case (all when there are no cases), at most `limit`."""
    problems = case_problems(portfolio)
    ids = list(problems) or [str(b) for b in portfolio.businesses["business_id"]]
    ids = sorted(dict.fromkeys(ids))[:limit] if limit else sorted(dict.fromkeys(ids))
    subset = portfolio.subset(ids)
    features = build_features(subset, as_of, context=True)
    try:
        scorer, _ = load_champion(FEASIBILITY, tracking_uri)
    except LookupError:
        scorer = None
    scoring: Callable[[str], Feasibility | None] | None = None
    if scorer is not None:
        found = scorer

        def scoring(business_id: str) -> Feasibility | None:
            return feasibility_function(found, features.loc[business_id])

    report = advice_report(subset, as_of, problems, scoring, features)
    report["feasibility_model"] = scorer is not None
    return report
