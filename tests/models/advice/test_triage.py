"""Triage classes worked by hand: each rule, and the order in which the rules apply."""

from __future__ import annotations

import pytest

from models.advice.triage import TRIAGE_CLASSES, TRIAGE_RANK, triage

FRESH = 200  # days since the latest statement's period end
PLAN = {"dscr_after": 1.40, "feasibility": 0.72, "lender_npv": 5e6, "liquidation_value": 3e6}
LOSING = {"dscr_after": 0.60, "feasibility": 0.20, "lender_npv": 1e6, "liquidation_value": 3e6}


def classify(features, plan=PLAN, reaches=True, problems=(), age=FRESH, legal=None):
    return triage(
        features, plan, reaches, problems, age,
        stale_after_days=548, target_dscr=1.25, legal_action=legal,
    )  # fmt: skip


BASE = {"total_outstanding": 4e6, "max_days_past_due": 10, "dscr": 0.9, "ebitda": 1e6}


@pytest.mark.parametrize(
    ("features", "plan", "reaches", "problems", "age", "expected", "says"),
    [
        (BASE, PLAN, True, (), None, "needs_data", "no financial statements"),
        (BASE, PLAN, True, (), 900, "needs_data", "30 months old"),
        ({**BASE, "max_days_past_due": 45}, PLAN, True, (), 900, "urgent_needs_data",
         "request newer"),
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


@pytest.mark.parametrize(
    ("legal", "expected", "says", "says_th"),
    [
        (("lawsuit", "Bank A"), "act_now", "lender has sued (Bank A)", "เจ้าหนี้ยื่นฟ้องแล้ว (Bank A)"),
        (("enforcement", "Bank B"), "act_now", "enforcement under way", "บังคับคดี"),
        (("none", "Bank A"), "rescuable", "feasibility 72%", "โอกาสสำเร็จ 72%"),
    ],
)  # fmt: skip
def test_legal_action_forces_the_pace(legal, expected, says, says_th):
    """Current arrears under 30 days, but a lender in court: the case cannot wait."""
    result = classify(BASE, legal=legal)
    assert result.triage_class == expected
    assert any(says in r for r in result.reasons), result.reasons
    assert any(says_th in r for r in result.reasons_th), result.reasons_th


@pytest.mark.parametrize(
    ("legal", "expected", "first"),
    [
        (("judgment", "Bank C"), "in_court_needs_data", "judgment against the business (Bank C)"),
        (("demand_notice", "Bank C"), "urgent_needs_data", "demand notice served (Bank C)"),
        (None, "needs_data", "no financial statements on record"),
    ],
)
def test_without_statements_a_lender_in_court_is_its_own_class(legal, expected, first):
    result = classify(BASE, age=None, legal=legal)
    assert result.triage_class == expected
    assert result.reasons[0] == first


def test_runway_is_not_read_from_stale_statements():
    burning = {**BASE, "ebitda": -1.2e6, "cash": 2e5}
    assert classify(burning, age=900).triage_class == "needs_data"
    assert classify(burning).triage_class == "act_now"


def test_every_legal_stage_has_words():
    from features.catalogues.category_labels import LEGAL_STAGE_LABELS as WORDS
    from features.schema import LEGAL_STAGES as STAGES

    assert tuple(WORDS) == STAGES


def test_the_furthest_legal_action_is_the_one_that_counts():
    import datetime as dt

    import pandas as pd

    from models.advice.situation import Situation

    def situation(debts):
        return Situation(
            business_id="B1", as_of=dt.date(2026, 6, 30), features={}, debts=debts,
            applications=[], latest_statement=None, statement_age_days=None, sector=None,
            legal_form=None, employees=5.0, problem_types=[],
        )  # fmt: skip

    debts = pd.DataFrame(
        {
            "lender": ["Bank A", "Bank B", "Lender C"],
            "legal_stage": ["demand_notice", "judgment", None],
        }
    )
    assert situation(debts).legal_action == ("judgment", "Bank B")
    assert situation(debts.assign(legal_stage=[None, "none", None])).legal_action == (
        "none",
        "Bank B",
    )
    assert situation(debts.drop(columns="legal_stage")).legal_action is None
