"""Triage: how urgent a case is and whether it can be rescued, in a few classes to act on.

A rescue centre's cases are distressed by definition, so the distress probability alone does not
order them. The classes, checked in this order:

1. Without a statement, or with the latest older than the stale limit, rescuability cannot be
   judged, and newer statements are asked for. A case a lender has taken to court (a lawsuit,
   a judgment, enforcement) is `in_court_needs_data`: the court's timetable does not wait for
   the numbers, so the centre seeks mediation or a stay while it asks for them, work apart
   from a plan it can put to the lenders today. Another urgent case (see 5) is
   `urgent_needs_data`, any other `needs_data`: the first thing to do is to get numbers.
2. `no_debt_problem`: no debt on record, or debt that is current (no days past due) and
   serviced with room to spare (DSCR at or above the target).
3. `exit_likely`: no plan reaches the target DSCR and the best plan is worth less to the lenders
   than liquidation.
4. `needs_turnaround`: no plan makes the business viable, but the closest is worth more to the
   lenders than liquidation: the debt can only be eased so far, and the business itself must
   earn more before a plan can work.
5. `act_now`: rescuable (a plan makes the business viable), and urgent: a lender's legal
   action (a demand notice, a lawsuit, a judgment or enforcement), arrears of 30 days or more
   (the Bank of Thailand's special-mention line), a business near collapse, under three months
   of cash at its current losses, or a loan application stalled past its lender's SLA.
6. `rescuable`: a plan makes the business viable and nothing forces the pace.

Every class comes with the reasons that put the case there, as numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from features.catalogues.category_labels import LEGAL_STAGE_LABELS
from models.advice.lender_names import lender_name

# In queue order: the class first, then the distress probability and the time waiting.
TRIAGE_CLASSES = (
    "act_now",
    "in_court_needs_data",
    "urgent_needs_data",
    "rescuable",
    "needs_turnaround",
    "needs_data",
    "exit_likely",
    "no_debt_problem",
)
TRIAGE_RANK = {name: len(TRIAGE_CLASSES) - 1 - i for i, name in enumerate(TRIAGE_CLASSES)}
ARREARS_DAYS = 30
RUNWAY_MONTHS = 3.0
COURT_STAGES = ("lawsuit", "judgment", "enforcement")  # a lender has gone to court


# Each reason in English and Thai, filled from the case's numbers.
REASONS: dict[str, tuple[str, str]] = {
    "no_statements": ("no financial statements on record", "ไม่มีงบการเงินในระบบ"),
    "stale": ("latest statement is {months} months old", "งบการเงินล่าสุดมีอายุ {months} เดือน"),
    "request": ("request newer statements", "ของบการเงินฉบับใหม่"),
    "no_debt": ("no debt on record", "ไม่มีหนี้ในระบบ"),
    "current": ("debt current, DSCR {dscr}", "ชำระหนี้ตรงเวลา DSCR {dscr}"),
    "no_plan": ("no plan reaches DSCR {target}", "ไม่มีแผนใดทำให้ DSCR ถึง {target}"),
    "against": ("best plan {plan} THB against liquidation {liquidation} THB",
                "แผนที่ดีที่สุด {plan} บาท เทียบกับการชำระบัญชี {liquidation} บาท"),
    "nothing_to_compare": ("no plan to compare with liquidation", "ไม่มีแผนให้เทียบกับการชำระบัญชี"),
    "best": ("best plan: DSCR {dscr}", "แผนที่ดีที่สุด: DSCR {dscr}"),
    "best_feasible": ("best plan: DSCR {dscr}, feasibility {feasibility}",
                      "แผนที่ดีที่สุด: DSCR {dscr} โอกาสสำเร็จ {feasibility}"),
    "plan_works": ("a plan can work", "มีแผนที่เป็นไปได้"),
    "arrears": ("{days} days past due", "ค้างชำระ {days} วัน"),
    "collapse": ("business near collapse", "กิจการใกล้ล้มละลาย"),
    "runway": ("{months} months of cash at current losses",
               "เงินสดพอใช้ {months} เดือนที่ระดับขาดทุนปัจจุบัน"),
    "stalled": ("a loan application stalled past its SLA", "มีคำขอสินเชื่อค้างพิจารณาเกินกำหนด"),
    "legal": ("{stage} ({lender})", "{stage_th} ({lender_th})"),
}  # fmt: skip
Reason = tuple[str, str]


def say(key: str, **values: str) -> Reason:
    en, th = REASONS[key]
    return en.format(**values), th.format(**values)


@dataclass(frozen=True)
class Triage:
    triage_class: str
    said: list[Reason]
    feasibility: float | None = None  # the best plan's, shown beside the class in the queue

    @property
    def reasons(self) -> list[str]:
        return [en for en, _ in self.said]

    @property
    def reasons_th(self) -> list[str]:
        return [th for _, th in self.said]


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
    legal_action: tuple[str, str] | None = None,
) -> Triage:
    """The class of one case from its feature row (a mapping), the plan search's best plan,
    whether any plan reached the target DSCR and the furthest legal action (stage, lender)."""
    outstanding = _num(features.get("total_outstanding"))
    arrears = _num(features.get("max_days_past_due"))
    dscr = _num(features.get("dscr"))
    stale = statement_age_days is None or statement_age_days > stale_after_days
    urgent = _urgency(features, problem_types, legal_action, statements_current=not stale)
    target = f"{target_dscr:.2f}"
    if stale:
        # Without recent statements rescuability cannot be judged; urgency still can, from
        # the credit record. A lender in court does not wait for the numbers: the centre acts
        # (mediation, a stay) while it asks for them.
        missing = (
            say("no_statements")
            if statement_age_days is None
            else say("stale", months=f"{statement_age_days / 30.4:.0f}")
        )
        if legal_action is not None and legal_action[0] in COURT_STAGES:
            return Triage("in_court_needs_data", [*urgent, missing, say("request")])
        if urgent:
            return Triage("urgent_needs_data", [*urgent, missing, say("request")])
        return Triage("needs_data", [missing])
    if not outstanding > 0:
        return Triage("no_debt_problem", [say("no_debt")])
    if arrears == 0 and dscr >= target_dscr:
        return Triage("no_debt_problem", [say("current", dscr=f"{dscr:.2f}")])

    plan_value = _num(best_plan.get("lender_npv")) if best_plan else math.nan
    liquidation = _num(best_plan.get("liquidation_value")) if best_plan else math.nan
    against = (
        say("against", plan=f"{plan_value:,.0f}", liquidation=f"{liquidation:,.0f}")
        if best_plan
        else say("nothing_to_compare")
    )
    if not reaches_target and not plan_value > liquidation:
        return Triage("exit_likely", [say("no_plan", target=target), against])

    feasibility = _num(best_plan.get("feasibility")) if best_plan else math.nan
    after = f"{_num(best_plan.get('dscr_after')):.2f}" if best_plan else ""
    rescue = (
        None
        if not best_plan
        else say("best", dscr=after)
        if math.isnan(feasibility)
        else say("best_feasible", dscr=after, feasibility=f"{feasibility:.0%}")
    )
    known = None if math.isnan(feasibility) else feasibility
    if not reaches_target:
        shown = [rescue] if rescue else []
        said = [say("no_plan", target=target), *shown, against, *urgent]
        return Triage("needs_turnaround", said, known)
    if urgent:
        return Triage("act_now", [*urgent, rescue] if rescue else urgent, known)
    return Triage("rescuable", [rescue] if rescue else [say("plan_works")], known)


def _urgency(
    features: Any,
    problem_types: Sequence[str],
    legal_action: tuple[str, str] | None,
    *,
    statements_current: bool,
) -> list[Reason]:
    """What forces the pace: a lender's legal action, arrears past the special-mention line, a
    business near collapse, under three months of cash at its current losses (read only from
    current statements), a loan application stalled past its SLA."""
    urgent = []
    if legal_action is not None and legal_action[0] != "none":
        stage, lender = legal_action
        en, th = LEGAL_STAGE_LABELS[stage]
        urgent.append(
            say("legal", stage=en, stage_th=th, lender=lender, lender_th=lender_name(lender, "th"))
        )
    arrears = _num(features.get("max_days_past_due"))
    if arrears >= ARREARS_DAYS:
        urgent.append(say("arrears", days=f"{arrears:.0f}"))
    if "near_collapse" in problem_types:
        urgent.append(say("collapse"))
    ebitda, cash = _num(features.get("ebitda")), _num(features.get("cash"))
    if statements_current and ebitda < 0 and cash >= 0 and cash / (-ebitda / 12) < RUNWAY_MONTHS:
        urgent.append(say("runway", months=f"{cash / (-ebitda / 12):.1f}"))
    if _num(features.get("has_stalled_application")) > 0:
        urgent.append(say("stalled"))
    return urgent
