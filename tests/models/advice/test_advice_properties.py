"""Properties of the advice: no plan raises a rate; each creditor's values add up to the
totals; the ranking does not depend on the order options are generated in; on a generated
portfolio no option is dominated, keeps a rate above the ceiling or exits against its numbers;
and every number and comparison in every rationale, in both languages, is one of its fields."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from features.portfolio import frames_to_portfolio
from models.advice.rationale_check import contradictions
from models.advice.recommend import advise, load_config
from models.advice.report import CHECKS, advice_report, failures
from models.advice.situation import situations
from models.plans.creditors import liquidation
from tests.models.advice.advice_cases import facility, situation
from tests.models.advice.test_advice_golden import CASES

KINDS = ("term_loan", "overdraft", "leasing", "informal")


@st.composite
def businesses(draw):
    n = draw(st.integers(1, 4))
    debts = [
        facility(
            f"F{i}", draw(st.sampled_from(["Bank A", "Bank B", "Lender C"])),
            draw(st.sampled_from(KINDS)), draw(st.floats(100_000, 20_000_000)),
            draw(st.floats(0.0, 0.6)), draw(st.integers(6, 120)),
            dpd=draw(st.integers(0, 200)), collateral=draw(st.floats(0, 30_000_000)),
        )
        for i in range(n)
    ]  # fmt: skip
    return situation(ebitda=draw(st.floats(-2_000_000, 10_000_000)), debts=debts)


def _feasible(terms):
    return [0.4 + 0.4 * (i % 2) for i in range(len(terms))]


@settings(max_examples=60, deadline=None)
@given(businesses())
def test_no_plan_raises_a_rate_and_creditor_values_add_up(business):
    advice = advise(business, feasibility=_feasible)
    for option in advice.options:
        for term in option.get("terms", []):
            if term["rate_after"] is not None:
                assert term["rate_after"] <= term["rate_before"] + 1e-12
                assert term["rate_after"] <= term["lawful_rate"] + 1e-12
        if option.get("terms"):
            n = option["numbers"]
            rows = option["creditors"]
            assert sum(r["plan_npv"] for r in rows) == pytest.approx(n["creditor_npv"], rel=1e-9)
            assert sum(r["liquidation_value"] for r in rows) == pytest.approx(
                n["liquidation_value"], rel=1e-9
            )
            by_terms = sum(t["plan_npv"] for t in option["terms"])
            assert by_terms == pytest.approx(n["creditor_npv"], rel=1e-9)
            if option["new_facility"] is None:
                assert n["concession"] >= -1e-6  # a restructure never looks like a gain


@settings(max_examples=60, deadline=None)
@given(businesses())
def test_liquidation_distributes_exactly_the_proceeds_up_to_the_claims(business):
    from models.plans.creditors import facilities_from

    fs = facilities_from(business.debts, {"informal": 0.15}, 0.075, 60)
    config = load_config()
    result = liquidation(fs, config["liquidation"], config["plan"]["discount_floor"])
    claims = np.array([f.outstanding for f in fs])
    assert result.recovered.sum() == pytest.approx(min(result.proceeds, claims.sum()), rel=1e-9)
    assert np.all(result.recovered <= claims + 1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_ranking_does_not_depend_on_generation_order(name, monkeypatch):
    from models.plans import plan_search

    first = [o["path"] for o in advise(CASES[name], feasibility=_feasible).options]
    original = plan_search.search_plans

    def shuffled(*args, **kwargs):
        result = original(*args, **kwargs)
        random.Random(7).shuffle(result.shortlist)
        return result

    from models.advice import recommend

    monkeypatch.setattr(recommend, "search_plans", shuffled)
    second = [o["path"] for o in advise(CASES[name], feasibility=_feasible).options]
    assert first == second


def _check_words(option) -> None:
    problems = contradictions(option)
    assert problems == [], (problems, option["rationale_en"], option["rationale_th"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_rationales_never_contradict_their_numbers(name):
    for option in advise(CASES[name], feasibility=_feasible).options:
        _check_words(option)


@pytest.fixture(scope="module")
def generated(small_tables):
    portfolio = frames_to_portfolio(small_tables)
    ids = list(portfolio.businesses["business_id"][:400])
    return portfolio.subset(ids)


def test_on_a_generated_portfolio_no_option_fails_the_checks(generated):
    report = advice_report(generated, dt.date(2025, 6, 30))
    assert report["businesses"] == 400
    assert failures(report) == {}
    assert set(CHECKS) <= set(report)
    assert sum(report["top_paths"].values()) == pytest.approx(1.0)


def test_on_a_generated_portfolio_every_rationale_matches_its_numbers(generated):
    found = situations(generated, dt.date(2025, 6, 30))
    for business in list(found.values())[:200]:
        for option in advise(business, feasibility=_feasible).options:
            _check_words(option)


@settings(max_examples=60, deadline=None)
@given(businesses())
def test_no_plan_raises_the_monthly_installments(business):
    for option in advise(business, feasibility=_feasible).options:
        if option.get("terms") and option["numbers"]["installment_before"] > 0:
            n = option["numbers"]
            assert n["installment_after"] <= n["installment_before"] * (1 + 1e-9)
