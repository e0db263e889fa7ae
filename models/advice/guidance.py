"""The options that are not debt plans: a data request, a bank follow-up, an agency referral,
mentoring; and the one shape every option has."""

from __future__ import annotations

import math
from typing import Any

from features.asof import STALE_AFTER_DAYS
from models.advice.paths import PATHS
from models.advice.situation import Situation
from models.plans.creditors import Facility
from models.plans.programmes import Rules

REJECTION_WINDOW_DAYS = 730
# Paths a court or the creditors act on, or that give up the business's property: they need
# statements within the staleness limit, or they are shown only as what the numbers would
# support if current ones confirm them.
NEEDS_CURRENT_NUMBERS = ("orderly_exit", "rehabilitation", "asset_warehousing")


def current_age(statement_age_days: int | None) -> bool:
    """Statements on record and within the staleness limit: the one test of current numbers."""
    return statement_age_days is not None and statement_age_days <= STALE_AFTER_DAYS


def current_numbers(situation: Situation) -> bool:
    return current_age(situation.statement_age_days)


def option(
    path: str, numbers: dict[str, Any], sort: tuple[Any, ...], **extra: Any
) -> dict[str, Any]:
    p = PATHS[path]
    return {
        "path": path,
        "label_en": p.label_en,
        "label_th": p.label_th,
        "numbers": numbers,
        "_sort": (p.stage, *sort),
        **extra,
    }


def data_request(
    situation: Situation, facilities: list[Facility], ebitda: float
) -> dict[str, Any] | None:
    age = situation.statement_age_days
    reasons: list[tuple[str, dict[str, float]]] = []
    asks: list[str] = []
    numbers: dict[str, float] = {}
    if age is None:
        reasons.append(("statements_none", {}))
        asks.append("ask_statements")
    elif age > STALE_AFTER_DAYS:
        statement = situation.latest_statement or {}
        numbers.update(
            statement_year=float(statement.get("fiscal_year", math.nan)),
            statement_age_months=age / 30.4,
            stale_limit_months=STALE_AFTER_DAYS / 30.4,
        )
        reasons.append(("statements_stale", numbers))
        asks.append("ask_statements")
    elif math.isnan(ebitda):
        reasons.append(("ebitda_unknown", {}))
        asks.append("ask_statements")
    unknown = [f for f in facilities if not f.rate_on_record]
    if unknown:
        numbers["rates_unknown"] = float(len(unknown))
        reasons.append(("rates_unknown", numbers))
        asks.append("ask_rates")
    if not reasons:
        return None
    return option("data_request", numbers, (0,), reasons=reasons, asks=asks, checks=[])


def follow_up(situation: Situation) -> list[dict[str, Any]]:
    stalled = sorted(
        (a for a in situation.applications if a["stalled"]),
        key=lambda a: (-(a["days_pending"] - a["sla_days"]), a["application_id"]),
    )
    rejected = sorted(
        (
            a
            for a in situation.applications
            if a["status"] == "rejected" and a["days_pending"] <= REJECTION_WINDOW_DAYS
        ),
        key=lambda a: (a["days_pending"], a["application_id"]),
    )
    chosen = (stalled or rejected)[:1]
    out = []
    for app in chosen:
        numbers = {
            "amount": app["amount"],
            "days_pending": float(app["days_pending"]),
            "sla_days": float(app["sla_days"]),
        }
        out.append(
            option(
                "bank_follow_up", numbers, (0 if app["stalled"] else 1,), application=app, checks=[]
            )
        )
    return out


def referral(situation: Situation, rules: Rules) -> list[dict[str, Any]]:
    agencies = rules.agencies_for(situation.problem_types)
    if not agencies:
        return []
    problems = [p for p in situation.problem_types if p in rules.agencies]
    labels = [(rules.agencies[p]["label_en"], rules.agencies[p]["label_th"]) for p in problems]
    return [option("agency_referral", {}, (0,), agencies=agencies, problems=labels, checks=[])]


def mentoring(
    situation: Situation,
    config: dict[str, Any],
    troubled: bool,
    debt_outstanding: float,
    dscr_before: float,
    nothing_else: bool,
) -> list[dict[str, Any]]:
    limits = config["thresholds"]
    margin, growth = situation.number("ebitda_margin"), situation.number("revenue_growth")
    ebitda = situation.number("ebitda")
    reasons: list[tuple[str, dict[str, float]]] = []
    if margin < limits["weak_margin"]:
        reasons.append(("weak_margin", {"value": margin, "limit": limits["weak_margin"]}))
    if growth < limits["shrinking_revenue"]:
        reasons.append(("shrinking", {"value": growth, "limit": limits["shrinking_revenue"]}))
    if ebitda < 0:
        reasons.append(("losses", {"value": ebitda, "limit": 0.0}))
    if "near_collapse" in situation.problem_types:
        reasons.append(("collapse", {}))
    numbers = {
        "ebitda_margin": margin,
        "revenue_growth": growth,
        "ebitda": ebitda,
        "weak_margin": limits["weak_margin"],
        "shrinking_revenue": limits["shrinking_revenue"],
        "dscr_before": dscr_before,
        "target_dscr": config["plan"]["target_dscr"],
    }
    if reasons:
        return [option("mentoring", numbers, (0,), reasons=reasons, checks=[])]
    if nothing_else:
        # Nothing calls for action: light-touch monitoring, with the numbers that say so.
        light = (
            ("no_debt", {})
            if debt_outstanding <= 0
            else ("healthy", {"value": dscr_before, "limit": config["plan"]["target_dscr"]})
        )
        return [option("mentoring", numbers, (1,), reasons=[light], checks=[])]
    return []
