"""Triage: how urgent a case is and whether it can be rescued, in a few classes to act on.

A rescue centre's cases are distressed by definition, so the distress probability alone does not
order them. The classes, checked in this order:

1. Without a statement, or with the latest older than the stale limit, rescuability cannot be
   judged: an urgent case (see 4) is `act_now` with a request for statements among its
   reasons, any other is `needs_data`.
2. `no_debt_problem`: no debt on record, or debt that is current (no days past due) and
   serviced with room to spare (DSCR at or above the target).
3. `exit_likely`: no plan reaches the target DSCR and the best plan is worth less to the lenders
   than liquidation.
4. `act_now`: rescuable, and urgent: arrears of 30 days or more (the Bank of Thailand's
   special-mention line), a business near collapse, under three months of cash at its current
   losses, or a loan application stalled past its lender's SLA.
5. `rescuable`: a plan can work and nothing forces the pace.

Every class comes with the reasons that put the case there, as numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# In queue order: the class first, then the distress probability and the time waiting.
TRIAGE_CLASSES = ("act_now", "rescuable", "needs_data", "exit_likely", "no_debt_problem")
TRIAGE_RANK = {name: len(TRIAGE_CLASSES) - 1 - i for i, name in enumerate(TRIAGE_CLASSES)}
ARREARS_DAYS = 30
STALE_AFTER_DAYS = 548  # eighteen months: last year's statements are due by May
RUNWAY_MONTHS = 3.0


@dataclass(frozen=True)
class Triage:
    triage_class: str
    reasons: list[str]


def _num(value: Any) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def triage(
    features: Any,
    best_plan: dict[str, Any] | None,
    reaches_target: bool,
    problem_types: Sequence[str],
    statement_age_days: float | None,
    *,
    stale_after_days: int,
    target_dscr: float,
) -> Triage:
    """The class of one case from its feature row (a mapping), the plan search's best plan and
    whether any plan reached the target DSCR."""
    outstanding = _num(features.get("total_outstanding"))
    arrears = _num(features.get("max_days_past_due"))
    dscr = _num(features.get("dscr"))
    urgent = _urgency(features, problem_types)
    if statement_age_days is None or statement_age_days > stale_after_days:
        # Without recent statements rescuability cannot be judged; urgency still can, from
        # the credit record, and an urgent case is acted on while the statements are asked for.
        missing = (
            "no financial statements on record"
            if statement_age_days is None
            else f"latest statement is {statement_age_days / 30.4:.0f} months old"
        )
        if urgent:
            return Triage("act_now", [*urgent, f"{missing}: request newer ones"])
        return Triage("needs_data", [missing])
    if not outstanding > 0:
        return Triage("no_debt_problem", ["no debt on record"])
    if arrears == 0 and dscr >= target_dscr:
        return Triage("no_debt_problem", [f"debt current, DSCR {dscr:.2f}"])

    plan_value = _num(best_plan.get("lender_npv")) if best_plan else math.nan
    liquidation = _num(best_plan.get("liquidation_value")) if best_plan else math.nan
    if not reaches_target and not plan_value > liquidation:
        return Triage(
            "exit_likely",
            [
                f"no plan reaches DSCR {target_dscr:.2f}",
                f"best plan {plan_value:,.0f} THB against liquidation {liquidation:,.0f} THB"
                if best_plan
                else "no plan to compare with liquidation",
            ],
        )

    feasibility = _num(best_plan.get("feasibility")) if best_plan else math.nan
    rescue = f"best plan: DSCR {_num(best_plan.get('dscr_after')):.2f}" if best_plan else ""
    if not math.isnan(feasibility):
        rescue += f", feasibility {feasibility:.0%}"
    if urgent:
        return Triage("act_now", [*urgent, rescue] if rescue else urgent)
    return Triage("rescuable", [rescue] if rescue else ["a plan can work"])


def _urgency(features: Any, problem_types: Sequence[str]) -> list[str]:
    """What forces the pace: arrears past the special-mention line, a business near collapse,
    under three months of cash at its current losses, a loan application stalled past its SLA."""
    urgent = []
    arrears = _num(features.get("max_days_past_due"))
    if arrears >= ARREARS_DAYS:
        urgent.append(f"{arrears:.0f} days past due")
    if "near_collapse" in problem_types:
        urgent.append("business near collapse")
    ebitda, cash = _num(features.get("ebitda")), _num(features.get("cash"))
    if ebitda < 0 and cash >= 0 and cash / (-ebitda / 12) < RUNWAY_MONTHS:
        urgent.append(f"{cash / (-ebitda / 12):.1f} months of cash at current losses")
    if _num(features.get("has_stalled_application")) > 0:
        urgent.append("a loan application stalled past its SLA")
    return urgent
