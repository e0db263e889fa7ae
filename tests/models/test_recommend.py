"""Plan search and recommendations: targets met or explained, options carry their numbers."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.plans import annuity_payment
from models.recommend import Position, load_config, recommend, search_plans

TARGET = load_config()["plan"]["target_dscr"]


def _features(**overrides) -> pd.Series:
    outstanding = 2_000_000.0
    base = {
        "total_outstanding": outstanding,
        "weighted_rate": 0.08,
        "annual_debt_service": 12 * float(annuity_payment(outstanding, 0.08, 36)),
        "ebitda": 700_000.0,
        "collateral_cover": 0.8,
        "share_informal_debt": 0.0,
        "max_days_past_due": 30.0,
        "has_stalled_application": 0.0,
        "n_rejections_24m": 0.0,
        "pending_days_max": 0.0,
        "ebitda_margin": 0.12,
        "revenue_growth": 0.02,
    }
    return pd.Series({**base, **overrides})


def test_position_reads_the_current_tenor_from_the_installments():
    position = Position.from_features(_features())
    assert position.tenor_months == 36
    assert position.collateral == pytest.approx(1_600_000)


def test_search_returns_plans_reaching_the_target_with_least_npv_loss_first():
    result = search_plans(Position.from_features(_features()))
    assert result.reaches_target and result.plans
    assert all(p["dscr_after"] >= TARGET for p in result.plans)
    losses = [p["npv_loss"] for p in result.plans]
    assert losses == sorted(losses)
    assert result.plans[0]["dscr_before"] < TARGET


def test_search_says_why_when_no_plan_reaches_the_target():
    result = search_plans(Position.from_features(_features(ebitda=20_000.0)))
    assert not result.reaches_target
    assert "no plan in the search space reaches DSCR" in result.message
    assert search_plans(Position.from_features(_features(ebitda=math.nan))).plans == []


@settings(max_examples=60, deadline=None)
@given(
    st.floats(50_000, 20_000_000),
    st.floats(0.02, 0.4),
    st.integers(6, 120),
    st.floats(-100_000, 5_000_000),
)
def test_every_recommended_plan_meets_the_target_or_says_why(outstanding, rate, months, ebitda):
    features = _features(
        total_outstanding=outstanding,
        weighted_rate=rate,
        annual_debt_service=12 * float(annuity_payment(outstanding, rate, months)),
        ebitda=ebitda,
    )
    result = search_plans(Position.from_features(features))
    if result.reaches_target:
        assert all(p["dscr_after"] >= TARGET for p in result.plans)
    else:
        assert "no plan" in result.message


def test_recommendations_rank_paths_with_numbers_and_reasons():
    reasons = [{"feature": "dscr"}, {"feature": "max_days_past_due"}]
    options = recommend(
        _features(share_informal_debt=0.3, has_stalled_application=1.0, pending_days_max=120.0),
        distress_probability=0.3,
        reasons=reasons,
        problem_types=["debt_distress", "technology_innovation"],
        feasibility=lambda plans: [0.7] * len(plans),
    )
    paths = [o["path"] for o in options]
    assert paths[0] == "restructure"
    assert {"refinance", "bank_follow_up", "agency_referral"} <= set(paths)
    assert [o["rank"] for o in options] == list(range(1, len(options) + 1))
    restructure = options[0]
    for key in ("installment_before", "installment_after", "dscr_before", "dscr_after",
                "lender_npv", "liquidation_value", "feasibility"):  # fmt: skip
        assert key in restructure["numbers"]
    assert restructure["drivers"] == ["dscr", "max_days_past_due"]
    assert restructure["rationale_th"] and restructure["rationale_en"]
    refinance = [o for o in options if o["path"] == "refinance"]
    assert {o["guaranteed"] for o in refinance} == {False, True}


def test_no_feasible_plan_and_better_liquidation_recommends_an_orderly_exit():
    options = recommend(
        _features(ebitda=-50_000.0, collateral_cover=1.2, ebitda_margin=-0.05),
        distress_probability=0.8,
        reasons=[{"feature": "dscr"}],
        problem_types=["near_collapse"],
        feasibility=lambda plans: [0.1] * len(plans),
    )
    paths = [o["path"] for o in options]
    assert "orderly_exit" in paths and "restructure" not in paths
    exit_option = next(o for o in options if o["path"] == "orderly_exit")
    assert exit_option["numbers"]["liquidation_value"] > 0


def test_a_healthy_business_gets_light_touch_advice():
    options = recommend(
        _features(
            ebitda=5_000_000.0,
            max_days_past_due=0.0,
            annual_debt_service=100_000.0,
            weighted_rate=0.06,
        ),
        distress_probability=0.01,
        reasons=[{"feature": "dscr"}],
        problem_types=[],
    )
    assert [o["path"] for o in options] == ["mentoring"]
