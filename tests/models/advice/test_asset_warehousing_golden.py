"""Asset warehousing worked by hand (M = million THB; the discount floor is 8% a year, the
forced sale realises 65% less 10% costs after 24 months).

- lender_terms (as of 2026-06-30, the lender's own rule: transfer at the appraisal, rent 5% a
  year, holding cost 3% a year, rent credited, a 36-month window). Bank A 4M term loan at 7%
  over 60 months, 120 days past due, secured on land and buildings appraised at 3M; Bank B
  0.5M overdraft at 8%; EBITDA 0.9M.
  - The property settles 3M; the 1M shortfall is repaid at 7% over 60 months: 19,801 a month.
  - Rent 3M x 5% / 12 = 12,500 a month. Buy-back 3M x (1 + 3% x 3) - 12,500 x 36 = 2,820,000.
  - Monthly after: 12,500 + 19,801 + 500,000 x 8% / 12 (3,333) = 35,635; DSCR 0.9M / (12 x
    35,635) = 2.10.
  - Bank A's value at 8%: rent 12,500 x 31.916 = 398,950; buy-back 2,820,000 x 0.78723 =
    2,219,989; shortfall 19,801 x 49.318 = 976,548; in all 3,595,487. In a liquidation it gets
    3M x 0.65 x 0.9 = 1,755,000 after 24 months, 1,496,307 today.
- decree (as of 2022-06-30, the 2021 Emergency Decree: rent 3%, holding 1%, 60 months): the same
  business, rent 7,500 a month, buy-back 3M x 1.05 - 7,500 x 60 = 2,700,000.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from models.advice.rationale_check import contradictions
from models.advice.recommend import advise
from models.advice.report import arrears_left, priority_broken, warehousing_unsound
from tests.models.advice.advice_cases import facility, situation


def business(
    dpd: int = 120,
    collateral_type: str = "land_and_buildings",
    lender_b_stage: str = "none",
    ebitda: float = 900_000,
) -> dict:
    return dict(
        ebitda=ebitda,
        debts=[
            facility("F1", "Bank A", "term_loan", 4_000_000, 0.07, 60, dpd=dpd,
                     collateral=3_000_000, collateral_type=collateral_type),
            facility("F2", "Bank B", "overdraft", 500_000, 0.08, 12, legal_stage=lender_b_stage),
        ],
    )  # fmt: skip


def warehousing(case, as_of: dt.date | None = None):
    if as_of is not None:
        case = dataclasses.replace(case, as_of=as_of)
    advice = advise(case)
    found = [o for o in advice.options if o["path"] == "asset_warehousing"]
    assert len(found) <= 1
    return (found[0] if found else None), advice


def test_lender_terms_worked_by_hand():
    option, _ = warehousing(situation(**business()))
    assert option is not None and option["viable"] and not option.get("provisional")
    n = option["numbers"]
    assert option["programme"]["id"] == "lender-transfer-buyback"
    assert n["transfer_value"] == 3_000_000 and n["shortfall"] == 1_000_000
    assert n["shortfall_installment"] == pytest.approx(19_801, abs=1)
    assert n["rent"] == pytest.approx(12_500)
    assert n["buyback_months"] == 36 and n["buyback_price"] == pytest.approx(2_820_000)
    assert n["installment_after"] == pytest.approx(35_635, abs=1)
    assert n["dscr_after"] == pytest.approx(2.10, abs=0.005)
    assert n["lender_value"] == pytest.approx(3_595_487, abs=100)
    assert n["lender_liquidation"] == pytest.approx(1_496_307, abs=5)
    by_lender = {r["lender"]: r for r in option["creditors"]}
    assert by_lender["Bank A"]["plan_npv"] == pytest.approx(n["lender_value"])
    assert by_lender["Bank B"]["plan_npv"] == pytest.approx(500_000)
    held = next(t for t in option["terms"] if t["facility_id"] == "F1")
    assert held["treatment"] == "warehoused" and held["arrears_treatment"] == "capitalised"
    assert not contradictions(option)
    assert not (priority_broken(option) or arrears_left(option))
    assert not warehousing_unsound(option, dt.date(2026, 6, 30))
    assert (
        "2,820,000 THB" in option["rationale_en"] and "12,500 THB a month" in option["rationale_en"]
    )
    assert "ซื้อคืนได้ภายใน 36 เดือน ในราคา 2,820,000 บาท" in option["rationale_th"]
    assert "ที่ดินพร้อมสิ่งปลูกสร้าง" in option["rationale_th"]


def test_the_decree_applies_within_its_window_only():
    option, _ = warehousing(situation(**business()), dt.date(2022, 6, 30))
    assert option is not None and option["programme"]["id"] == "bot-asset-warehousing-2021"
    n = option["numbers"]
    assert n["rent"] == pytest.approx(7_500) and n["buyback_months"] == 60
    assert n["buyback_price"] == pytest.approx(2_700_000)
    assert not warehousing_unsound(option, dt.date(2022, 6, 30))
    # After the Decree's window and before the lenders' own terms: nothing takes applications.
    assert warehousing(situation(**business()), dt.date(2023, 9, 1))[0] is None
    # The same option dated outside its rule's window is caught by the whole-book check.
    assert warehousing_unsound(option, dt.date(2023, 9, 1))


@pytest.mark.parametrize(
    "change",
    [
        {"collateral_type": "machinery"},  # not real estate
        {"collateral_type": "none"},  # what secures it is not on record
        {"lender_b_stage": "lawsuit"},  # another lender is enforcing
        {"ebitda": 300_000},  # not viable even without the debt
    ],
)
def test_not_offered_where_a_check_fails(change):
    assert warehousing(situation(**business(**change)))[0] is None


def test_the_decree_refuses_a_doubtful_loan_the_lenders_own_terms_take():
    assert warehousing(situation(**business(dpd=200)), dt.date(2022, 6, 30))[0] is None
    assert warehousing(situation(**business(dpd=200)))[0] is not None


def test_stale_statements_make_it_provisional():
    option, advice = warehousing(situation(**business(), statement_age=1_000))
    assert option is not None and option["provisional"]
    assert option["rationale_en"].startswith("If current statements confirm it: ")
    assert advice.options[0]["path"] == "data_request"


def test_a_property_worth_more_than_the_claim_settles_the_claim_and_says_so():
    case = situation(
        ebitda=900_000,
        debts=[
            facility("F1", "Bank A", "term_loan", 2_000_000, 0.07, 60, dpd=45,
                     collateral=2_600_000, collateral_type="land"),
        ],
    )  # fmt: skip
    option, _ = warehousing(case)
    assert option is not None
    n = option["numbers"]
    assert n["transfer_value"] == 2_000_000 and n["shortfall"] == 0
    # 2M x (1 + 3% x 3) - 2M x 5% / 12 x 36 = 2,180,000 - 300,000
    assert n["buyback_price"] == pytest.approx(1_880_000)
    assert "(appraised at 2,600,000 THB)" in option["rationale_en"]
    assert "(ราคาประเมิน 2,600,000 บาท)" in option["rationale_th"]
    (term,) = option["terms"]
    assert (
        term["arrears_treatment"] == "settled"
        and "settled with the claim" in option["rationale_en"]
    )
    assert not contradictions(option) and not arrears_left(option)


def test_informal_collateral_is_never_warehoused():
    case = situation(
        ebitda=900_000,
        debts=[
            facility("F1", "moneylender", "informal", 1_000_000, 0.14, 24,
                     collateral=2_000_000, collateral_type="land"),
        ],
    )  # fmt: skip
    assert warehousing(case)[0] is None
