"""Schedules per creditor from a plan's terms, worked by hand, and the standing of a plan."""

from __future__ import annotations

import datetime as dt

import pytest

from models.plans.arithmetic import annuity_payment
from models.plans.schedules import due_dates, schedule, standing

TERMS = [
    {"facility_id": "F1", "lender": "Bank A", "facility_type": "term_loan",
     "treatment": "restructured", "outstanding": 1_200_000.0, "haircut_amount": 200_000.0,
     "rate_after": 0.06, "tenor_after": 24, "grace_months": 6, "installment_before": 0.0,
     "tenor_before": 12},
    {"facility_id": "F2", "lender": "Bank B", "facility_type": "term_loan",
     "treatment": "unchanged", "outstanding": 300_000.0, "haircut_amount": 0.0,
     "rate_after": 0.07, "tenor_after": 10, "grace_months": 0, "installment_before": 31_000.0,
     "tenor_before": 10},
    {"facility_id": "F3", "lender": "Moneylender", "facility_type": "informal",
     "treatment": "refinanced", "outstanding": 500_000.0, "haircut_amount": 0.0,
     "rate_after": None, "tenor_after": None, "grace_months": None, "installment_before": 20_000.0,
     "tenor_before": 24},
]  # fmt: skip
NEW = {
    "programme": {"name_en": "TCG-backed loan"}, "guarantee": {"name_en": "TCG"},
    "tenor_months": 36, "intro_months": 0, "installment_intro": 16_000.0, "installment": 16_000.0,
    "guarantee_fee_monthly": 729.17, "fee_waived_months": 24,
}  # fmt: skip


def test_each_creditor_is_due_what_its_terms_say():
    due = schedule({"terms": TERMS, "new_facility": NEW})
    assert set(due) == {"Bank A", "Bank B", "TCG-backed loan", "TCG"}  # the moneylender is paid off
    bank_a = due["Bank A"]
    assert len(bank_a) == 24
    assert bank_a[:6] == [pytest.approx(1_000_000 * 0.06 / 12)] * 6  # interest only in grace
    level = float(annuity_payment(1_000_000, 0.06, 18))
    assert bank_a[6:] == [pytest.approx(level, abs=0.01)] * 18
    assert due["Bank B"] == [31_000.0] * 10
    assert due["TCG-backed loan"] == [16_000.0] * 36
    assert due["TCG"] == [0.0] * 24 + [729.17] * 12  # the fee to the guarantor after its waiver


def test_standing_settles_the_oldest_installments_first():
    dates = due_dates(dt.date(2026, 1, 31), 4)
    assert dates == [dt.date(2026, 1, 31), dt.date(2026, 2, 28), dt.date(2026, 3, 31),
                     dt.date(2026, 4, 30)]  # fmt: skip
    dues = [("Bank A", d, 1000.0) for d in dates]
    paid = [("Bank A", dt.date(2026, 2, 1), 1000.0), ("Bank A", dt.date(2026, 3, 2), 500.0)]
    [row] = standing(dues, paid, dt.date(2026, 4, 30))
    assert row["due_to_date"] == 4000 and row["paid"] == 1500 and row["arrears"] == 2500
    assert row["days_past_due"] == (dt.date(2026, 4, 30) - dt.date(2026, 2, 28)).days
    assert row["alert"] == "special_mention"
    [late] = standing(dues, paid, dt.date(2026, 6, 1))
    assert late["alert"] == "re_default" and late["next_due"] is None
    [current] = standing(dues, [("Bank A", dt.date(2026, 1, 30), 2000.0)], dt.date(2026, 2, 28))
    assert current["alert"] is None and current["arrears"] == 0
    assert current["next_due"] == dt.date(2026, 3, 31) and current["next_amount"] == 1000
