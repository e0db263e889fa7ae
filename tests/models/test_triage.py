"""Triage classes worked by hand: each rule, and the order in which the rules apply."""

from __future__ import annotations

import pytest

from models.triage import TRIAGE_CLASSES, TRIAGE_RANK, triage

FRESH = 200  # days since the latest statement's period end
PLAN = {"dscr_after": 1.40, "feasibility": 0.72, "lender_npv": 5e6, "liquidation_value": 3e6}
LOSING = {"dscr_after": 0.60, "feasibility": 0.20, "lender_npv": 1e6, "liquidation_value": 3e6}


def classify(features, plan=PLAN, reaches=True, problems=(), age=FRESH):
    return triage(features, plan, reaches, problems, age, stale_after_days=548, target_dscr=1.25)


BASE = {"total_outstanding": 4e6, "max_days_past_due": 10, "dscr": 0.9, "ebitda": 1e6}


@pytest.mark.parametrize(
    ("features", "plan", "reaches", "problems", "age", "expected", "says"),
    [
        (BASE, PLAN, True, (), None, "needs_data", "no financial statements"),
        (BASE, PLAN, True, (), 900, "needs_data", "30 months old"),
        ({**BASE, "max_days_past_due": 45}, PLAN, True, (), 900, "act_now", "request newer"),
        ({**BASE, "total_outstanding": 0}, PLAN, True, (), FRESH, "no_debt_problem", "no debt"),
        ({**BASE, "max_days_past_due": 0, "dscr": 2.0}, PLAN, True, (), FRESH,
         "no_debt_problem", "DSCR 2.00"),
        (BASE, LOSING, False, (), FRESH, "exit_likely", "against liquidation 3,000,000"),
        ({**BASE, "max_days_past_due": 30}, PLAN, True, (), FRESH, "act_now", "30 days past due"),
        (BASE, PLAN, True, ("near_collapse",), FRESH, "act_now", "near collapse"),
        ({**BASE, "ebitda": -1.2e6, "cash": 2e5}, PLAN, True, (), FRESH, "act_now",
         "2.0 months of cash"),
        ({**BASE, "has_stalled_application": 1.0}, PLAN, True, (), FRESH, "act_now", "stalled"),
        (BASE, PLAN, True, (), FRESH, "rescuable", "feasibility 72%"),
        # A plan short of the target that still beats liquidation is not an exit.
        (BASE, {**LOSING, "lender_npv": 4e6}, False, (), FRESH, "needs_turnaround", "DSCR 0.60"),
        ({**BASE, "max_days_past_due": 60}, {**LOSING, "lender_npv": 4e6}, False, (), FRESH,
         "needs_turnaround", "60 days past due"),
    ],
)  # fmt: skip
def test_hand_worked_cases(features, plan, reaches, problems, age, expected, says):
    result = classify(features, plan, reaches, problems, age)
    assert result.triage_class == expected
    assert any(says in reason for reason in result.reasons), result.reasons


def test_classes_rank_in_the_declared_order():
    assert [TRIAGE_RANK[c] for c in TRIAGE_CLASSES] == sorted(TRIAGE_RANK.values(), reverse=True)
