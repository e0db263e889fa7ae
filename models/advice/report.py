"""Advice across a portfolio: how the top paths fall, and the checks no option may fail
(dominated options ranked above what dominates them, rates kept above the legal ceiling, exits
where a plan beats liquidation, rationales their own numbers contradict, new money a lender
would not give, priority broken between creditors, unlawful interest counted as owed, exits
and court petitions worked out from stale statements, large businesses given SME advice
without a word, asset warehousing off its rule)."""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from features import Portfolio
from features.schema import REAL_ESTATE
from models.advice.guidance import NEEDS_CURRENT_NUMBERS, current_age
from models.advice.paths import PLAN_PATHS, SOLUTION_PATHS
from models.advice.rationale_check import contradictions
from models.advice.recommend import Advice, advise, dominates
from models.advice.situation import situations
from models.plans.plan_search import Feasibility

DEBT_PATHS = (*SOLUTION_PATHS, "orderly_exit")
# The report's checks: each counts what no option (or business) may do; all must be 0.
CHECKS = (
    "dominated_ranked_above",
    "above_ceiling",
    "exits_where_a_plan_beats_liquidation",
    "rationales_contradicting_numbers",
    "new_money_a_lender_refuses",
    "priority_broken",
    "unlawful_interest_counted_as_owed",
    "exits_or_petitions_on_stale_numbers",
    "arrears_left_as_they_are",
    "large_businesses_given_sme_advice",
    "warehousing_unsound",
)


def failures(report: dict[str, Any]) -> dict[str, int]:
    """The checks the report fails, with their counts."""
    return {name: int(report[name]) for name in CHECKS if report[name]}


def dominated_above(options: list[dict[str, Any]]) -> int:
    """Plan options ranked above another plan option that dominates them."""
    plans = [o for o in options if o["path"] in PLAN_PATHS]
    return sum(1 for i, a in enumerate(plans) for b in plans[i + 1 :] if dominates(b, a))


def above_ceiling(option: dict[str, Any]) -> bool:
    """The option keeps some facility's rate above its legal ceiling."""
    return any(
        t["treatment"] != "refinanced"
        and t["rate_after"] is not None
        and t["rate_after"] > t["lawful_rate"] + 1e-12
        for t in option.get("terms", [])
    )


def exit_against_numbers(option: dict[str, Any]) -> bool:
    n = option["numbers"]
    return option["path"] == "orderly_exit" and bool(n["best_plan_value"] >= n["liquidation_value"])


def new_money_refused(option: dict[str, Any]) -> bool:
    """New money for a non-performing or sued borrower without the step that makes it
    possible: a restructuring agreement every creditor signs, or the court's plan."""
    standing = option.get("standing")
    if not option.get("new_facility") or standing is None:
        return False
    if not (standing["non_performing"] or standing["litigation"]):
        return False
    step = option.get("after_step")
    if step == "restructuring_agreement":
        return not bool(option["all_agree"])
    if step == "court_rehabilitation":
        return bool(option["path"] != "rehabilitation")
    return True


def priority_broken(option: dict[str, Any]) -> bool:
    """A secured creditor writes off a larger share of its claim than an unsecured one."""

    def share(t: dict[str, Any]) -> float:
        return t["haircut_amount"] / t["outstanding"] if t["outstanding"] > 0 else 0.0

    terms = option.get("terms", [])
    secured = [share(t) for t in terms if t["collateral_value"] > 0]
    unsecured = [share(t) for t in terms if t["collateral_value"] <= 0]
    return bool(secured and unsecured and max(secured) > min(unsecured) + 1e-9)


def unlawful_interest_owed(option: dict[str, Any]) -> bool:
    """A claim above the ceiling counted at its full balance, as if the excess were owed."""
    return any(
        t["rate_before"] > t["lawful_rate"] + 1e-12
        and not (t.get("balance_on_record") or 0.0) > t["outstanding"]
        for t in option.get("terms", [])
    )


def arrears_left(option: dict[str, Any]) -> bool:
    """A facility past due that the plan neither pays off nor capitalises."""
    return any(
        t["days_past_due"] > 0
        and (t.get("arrears_treatment") is None or t["treatment"] == "unchanged")
        for t in option.get("terms", [])
    )


def on_stale_numbers(option: dict[str, Any], statement_age_days: int | None) -> bool:
    """An exit or a court petition worked out from statements past the staleness limit, not
    marked as waiting for current ones."""
    stale = not current_age(statement_age_days)
    return stale and option["path"] in NEEDS_CURRENT_NUMBERS and not option.get("provisional")


def warehousing_unsound(option: dict[str, Any], as_of: dt.date) -> bool:
    """Asset warehousing of something other than real estate, under a rule not taking
    applications on the date, leaving the business short of the target, the lender worse off
    than in a liquidation, or a buy-back price its own terms do not give."""
    if option["path"] != "asset_warehousing":
        return False
    n, held, rule = option["numbers"], option["warehoused"], option["programme"]
    start, end = dt.date.fromisoformat(rule["effective_from"]), rule["effective_to"]
    in_window = start <= as_of and (end is None or as_of <= dt.date.fromisoformat(end))
    months = n["buyback_months"]
    price = n["transfer_value"] * (1 + n["holding_cost_rate"] * months / 12)
    price -= n["rent"] * months if held["rent_credited"] else 0.0
    return not (
        held["collateral_type"] in REAL_ESTATE
        and in_window
        and n["dscr_after"] >= n["target_dscr"]
        and n["lender_value"] >= n["lender_liquidation"] - 1.0
        and abs(max(price, 0.0) - n["buyback_price"]) <= 1.0
    )


def sme_advice_for_large(advice: Advice) -> bool:
    """A business above the medium size class not flagged, or offered an SME-only programme."""
    if advice.size_class != "large":
        return False
    failed = any(
        c["name"] == "size_class" and not c["passed"]
        for o in advice.options
        for c in o.get("checks", [])
    )
    return advice.scope is None or failed


def advice_report(
    portfolio: Portfolio,
    as_of: dt.date,
    problem_types: Mapping[str, Sequence[str]] | None = None,
    feasibility: Callable[[str], Feasibility | None] | None = None,
    features: pd.DataFrame | None = None,
) -> dict[str, Any]:
    """Advise every business of the portfolio; `feasibility` gives each business's plan scorer."""
    found = situations(portfolio, as_of, problem_types, features)
    top: Counter[str] = Counter()
    debt_top: Counter[str] = Counter()
    options = dominated = ceiling = bad_exits = contradicted = 0
    refused = broken = unlawful = stale = large = arrears = warehoused = 0
    latencies = []
    for business_id, situation in found.items():
        start = time.perf_counter()
        advice = advise(situation, feasibility=feasibility(business_id) if feasibility else None)
        latencies.append(1000 * (time.perf_counter() - start))
        top[advice.options[0]["path"]] += 1
        debt_paths = [o["path"] for o in advice.options if o["path"] in DEBT_PATHS]
        debt_top[debt_paths[0] if debt_paths else "none"] += 1
        options += len(advice.options)
        dominated += dominated_above(advice.options)
        ceiling += sum(above_ceiling(o) for o in advice.options)
        bad_exits += sum(exit_against_numbers(o) for o in advice.options)
        contradicted += sum(bool(contradictions(o)) for o in advice.options)
        refused += sum(new_money_refused(o) for o in advice.options)
        broken += sum(priority_broken(o) for o in advice.options)
        unlawful += sum(unlawful_interest_owed(o) for o in advice.options)
        age = situation.statement_age_days
        stale += sum(on_stale_numbers(o, age) for o in advice.options)
        arrears += sum(arrears_left(o) for o in advice.options)
        large += sme_advice_for_large(advice)
        warehoused += sum(warehousing_unsound(o, situation.as_of) for o in advice.options)
    n = max(len(found), 1)
    return {
        "businesses": len(found),
        "options": options,
        "top_paths": {path: count / n for path, count in top.most_common()},
        "top_debt_paths": {path: count / n for path, count in debt_top.most_common()},
        "dominated_ranked_above": dominated,
        "above_ceiling": ceiling,
        "exits_where_a_plan_beats_liquidation": bad_exits,
        "rationales_contradicting_numbers": contradicted,
        "new_money_a_lender_refuses": refused,
        "priority_broken": broken,
        "unlawful_interest_counted_as_owed": unlawful,
        "exits_or_petitions_on_stale_numbers": stale,
        "arrears_left_as_they_are": arrears,
        "large_businesses_given_sme_advice": large,
        "warehousing_unsound": warehoused,
        "advice_ms_p50": float(np.percentile(latencies, 50)) if latencies else math.nan,
        "advice_ms_p95": float(np.percentile(latencies, 95)) if latencies else math.nan,
    }


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report as a reader sees it."""
    lines = [f"{report['businesses']:,} businesses, {report['options']:,} options"]
    lines += [f"  top path {path}: {share:.1%}" for path, share in report["top_paths"].items()]
    lines += [
        f"  first debt option {path}: {share:.1%}"
        for path, share in report["top_debt_paths"].items()
    ]
    lines += [
        f"  options ranked above one that dominates them: {report['dominated_ranked_above']}",
        f"  options keeping a rate above the legal ceiling: {report['above_ceiling']}",
        f"  exits where a plan beats liquidation: {report['exits_where_a_plan_beats_liquidation']}",
        "  options whose rationale (EN or TH) a number or comparison contradicts: "
        f"{report['rationales_contradicting_numbers']}",
        "  options lending new money to a borrower the lender refuses: "
        f"{report['new_money_a_lender_refuses']}",
        "  options where a secured creditor writes off more than an unsecured one: "
        f"{report['priority_broken']}",
        "  options counting unlawful interest as owed: "
        f"{report['unlawful_interest_counted_as_owed']}",
        "  exits or court petitions on stale statements, not marked provisional: "
        f"{report['exits_or_petitions_on_stale_numbers']}",
        f"  options leaving a facility's arrears as they are: {report['arrears_left_as_they_are']}",
        "  businesses above the medium size class given SME advice without a flag: "
        f"{report['large_businesses_given_sme_advice']}",
        "  asset warehousing off its rule, short of the target or worth less to the lender "
        f"than a liquidation: {report['warehousing_unsound']}",
        f"  advice per business: p50 {report['advice_ms_p50']:.1f} ms, "
        f"p95 {report['advice_ms_p95']:.1f} ms",
    ]
    return lines
