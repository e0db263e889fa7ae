"""Properties of the advice: no plan raises a rate; each creditor's values add up to the
totals; the ranking does not depend on the order options are generated in; on a generated
portfolio no option is dominated, keeps a rate above the ceiling or exits against its numbers;
and every number and comparison in every rationale, in both languages, is one of its fields."""

from __future__ import annotations

import datetime as dt
import math
import random
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from features.portfolio import frames_to_portfolio
from models.advice_report import advice_report
from models.creditors import liquidation
from models.recommend import advise, load_config
from models.situation import situations
from tests.models.advice_cases import facility, situation
from tests.models.test_advice_golden import CASES

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
    from models.creditors import facilities_from

    fs = facilities_from(business.debts, {"informal": 0.15}, 0.075, 60)
    config = load_config()
    result = liquidation(fs, config["liquidation"], config["plan"]["discount_floor"])
    claims = np.array([f.outstanding for f in fs])
    assert result.recovered.sum() == pytest.approx(min(result.proceeds, claims.sum()), rel=1e-9)
    assert np.all(result.recovered <= claims + 1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_ranking_does_not_depend_on_generation_order(name, monkeypatch):
    from models import plan_search

    first = [o["path"] for o in advise(CASES[name], feasibility=_feasible).options]
    original = plan_search.search_plans

    def shuffled(*args, **kwargs):
        result = original(*args, **kwargs)
        random.Random(7).shuffle(result.shortlist)
        return result

    from models import recommend

    monkeypatch.setattr(recommend, "search_plans", shuffled)
    second = [o["path"] for o in advise(CASES[name], feasibility=_feasible).options]
    assert first == second


NUMBER = r"(?<![\w.\-])-?\d[\d,]*(?:\.\d+)?%?"
COMPARISON = re.compile(
    rf"({NUMBER})\s*(?:THB|บาท|months|เดือน|days|วัน)?(?:\s+old)?\s*([<≥])\s*({NUMBER})"
)


def _value(token: str) -> tuple[float, float]:
    """A number as written, and half a unit of its last digit (scaled like the value)."""
    percent = token.endswith("%")
    text = token.rstrip("%").replace(",", "")
    decimals = len(text.split(".")[1]) if "." in text else 0
    scale = 0.01 if percent else 1.0
    return float(text) * scale, 0.5 * 10**-decimals * scale


def _leaves(option) -> list:
    """Every value in the option but its rationales, all the way down."""
    out = []

    def walk(value):
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)
        else:
            out.append(value)

    walk({k: v for k, v in option.items() if not k.startswith("rationale")})
    return out


def _names(option) -> list[str]:
    """The option's text fields (lenders, programmes, agencies, ids): names, not numbers."""
    names = {v for v in _leaves(option) if isinstance(v, str) and len(v) > 1}
    return sorted(names, key=len, reverse=True)


def _fields(option) -> list[float]:
    return [
        float(v)
        for v in _leaves(option)
        if isinstance(v, int | float) and not isinstance(v, bool) and not math.isnan(v)
    ]


def _check_words(option) -> None:
    fields = _fields(option)
    names = _names(option)
    for lang in ("en", "th"):
        text = option[f"rationale_{lang}"]
        for name in names:
            text = text.replace(name, " ")
        for token in re.findall(NUMBER, text):
            value, half = _value(token)
            year = value - 543 if lang == "th" else value
            assert any(
                abs(value - f) <= half + 1e-9
                or abs(year - f) <= half + 1e-9
                or abs(abs(value) - f) <= half + 1e-9
                or abs(value - f / 30.4) <= half + 1e-9
                for f in fields
            ), f"{token} in {lang} is none of the option's numbers: {text}"
        for left, sign, right in COMPARISON.findall(text):
            a, b = _value(left)[0], _value(right)[0]
            assert (a >= b) if sign == "≥" else (a < b), f"{left} {sign} {right}: {text}"


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
    assert report["dominated_ranked_above"] == 0
    assert report["above_ceiling"] == 0
    assert report["exits_where_a_plan_beats_liquidation"] == 0
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
