"""Plan arithmetic against known values, and its properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from models.plans.arithmetic import (
    Plan,
    amortisation_schedule,
    annuity_payment,
    dscr,
    implied_tenor,
    liquidation_value,
    npv,
)


def test_known_installment():
    assert float(annuity_payment(1_000_000, 0.06, 60)) == pytest.approx(19_332.80, abs=0.005)
    assert float(annuity_payment(120_000, 0.0, 12)) == pytest.approx(10_000)
    assert math.isnan(float(annuity_payment(1_000, 0.05, 0)))


def test_grace_months_are_interest_only_then_the_loan_amortises_to_zero():
    schedule = amortisation_schedule(1_000_000, 0.06, 60, grace_months=6)
    grace = schedule.iloc[:6]
    assert np.allclose(grace["payment"], 5_000.0) and np.allclose(grace["principal"], 0.0)
    level = float(annuity_payment(1_000_000, 0.06, 54))
    assert np.allclose(schedule["payment"].iloc[6:], level)
    assert schedule["closing"].iloc[-1] == pytest.approx(0.0, abs=1e-6)
    assert schedule["principal"].sum() == pytest.approx(1_000_000)


def test_npv_of_a_known_stream():
    # 12 payments of 1,000 at 12% a year (1% a month): 1000 * (1 - 1.01^-12) / 0.01
    assert npv(np.full(12, 1_000.0), 0.12) == pytest.approx(11_255.08, abs=0.01)
    assert npv(np.array([1_010.0]), 0.12) == pytest.approx(1_000.0)
    # Discounting at the loan's own rate gives back the principal.
    assert Plan(500_000, 0.07, 48).lender_npv(0.07) == pytest.approx(500_000, rel=1e-9)


def test_closed_form_npv_equals_the_schedule():
    plan = Plan(750_000, 0.065, 84, grace_months=9, haircut=0.1)
    assert plan.lender_npv(0.08) == pytest.approx(npv(plan.cash_flows(), 0.08), rel=1e-9)


def test_dscr_after_a_term_extension():
    ebitda = 250_000.0
    before = dscr(ebitda, 12 * float(annuity_payment(1_000_000, 0.06, 60)))
    after = dscr(ebitda, 12 * float(annuity_payment(1_000_000, 0.06, 120)))
    assert before == pytest.approx(250_000 / (12 * 19_332.80), rel=1e-6)
    assert after == pytest.approx(250_000 / (12 * 11_102.05), rel=1e-6)
    assert math.isnan(dscr(ebitda, 0))


def test_implied_tenor_inverts_the_annuity():
    installment = float(annuity_payment(400_000, 0.08, 72))
    assert implied_tenor(400_000, 0.08, installment) == 72
    assert implied_tenor(400_000, 0.08, 400_000 * 0.08 / 12) is None


def test_liquidation_value_discounts_the_net_proceeds():
    value = liquidation_value(
        1_000_000, haircut=0.3, costs_share=0.1, delay_months=12, annual_discount_rate=0.12
    )
    assert value == pytest.approx(630_000 / 1.01**12)
    capped = liquidation_value(
        1_000_000, haircut=0, costs_share=0, delay_months=0, annual_discount_rate=0.1, cap=200_000
    )
    assert capped == 200_000


principal = st.floats(1_000, 50_000_000)
rate = st.floats(0.0, 0.5)


@settings(max_examples=200, deadline=None)
@given(principal, rate, st.integers(1, 240), st.integers(1, 120))
def test_a_longer_tenor_never_raises_the_installment(p, r, months, extra):
    shorter = float(annuity_payment(p, r, months))
    longer = float(annuity_payment(p, r, months + extra))
    assert longer <= shorter * (1 + 1e-12)


@settings(max_examples=200, deadline=None)
@given(
    principal, rate, st.integers(2, 180), st.floats(0, 0.9), st.floats(0, 0.1), st.floats(0.0, 0.3)
)
def test_a_larger_haircut_never_raises_lender_npv(p, r, months, haircut, more, discount):
    small = Plan(p * (1 - haircut), r, months, haircut=haircut)
    large = Plan(p * (1 - min(haircut + more, 1.0)), r, months, haircut=min(haircut + more, 1.0))
    assert large.lender_npv(discount) <= small.lender_npv(discount) * (1 + 1e-12) + 1e-9
