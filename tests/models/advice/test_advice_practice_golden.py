"""Golden cases a restructuring practitioner works by hand: what a lender would fund, the order
creditors give up value in, unlawful interest, stale numbers and businesses too large for SME
programmes (M = million THB).

- npl_in_court: bank 6M at 9%, 200 days past due, sued; informal 1.3M at 32.9%. Doubtful
  (181-360 days) and sued: no bank or TCG money; SME D Bank only after an agreement all sign.
- priority: bank 1.3M at 6.25% (collateral 1M); informal 0.24M at 31%. The bank recovers
  1M x 0.65 x 0.9 = 585,000, so a 20% haircut on its 715,000 unsecured is 143,000; the informal
  claim is 0.24M / 1.31 x 1.15 = 210,687, cut by 42,137. No one is paid at par from new money
  while the bank is cut.
- usury: informal 0.8M at 41%: principal 0.8M / 1.41 = 567,376; claim 567,376 x 1.15 = 652,482.
- arrears: bank 2M at 6.5% over 48 months, 60 days past due; informal 0.5M at 36%. The bank's
  installment is 47,430 a month, so its arrears are 60 / 30.4 x 47,430 = 93,612; a refinance of
  the informal debt keeps the bank facility and capitalises them, never leaves them as they are.
- stale_hopeless: losses 0.5M, 5M loan, statements 1,000 days old: the data request first; the
  exit only "if current statements confirm it".
- large: manufacturing, revenue 600M against the medium limit 500M: outside SME programmes, so
  no TCG, SME D Bank or Chapter 3/2.
"""

from __future__ import annotations

import tomllib

import pytest

from models.advice.lender_names import lender_name
from models.advice.recommend import advise, facilities_of, load_config
from models.advice.report import (
    arrears_left,
    new_money_refused,
    on_stale_numbers,
    priority_broken,
    sme_advice_for_large,
    unlawful_interest_owed,
)
from models.plans.lending import LOAN_CLASSES, STEPS, Standing, loan_class
from models.plans.programmes import RULES_PATH, Rules
from tests.models.advice.advice_cases import facility, situation
from tests.models.advice.test_advice_golden import CASES as GOLDEN

CASES = {
    "npl_in_court": situation(
        ebitda=1_400_000,
        debts=[
            facility(
                "F1",
                "Siam Bank",
                "term_loan",
                6_000_000,
                0.09,
                36,
                dpd=200,
                collateral=5_000_000,
                legal_stage="lawsuit",
            ),
            facility("F2", "family and friends", "informal", 1_300_000, 0.329, 24, dpd=60),
        ],
    ),
    "priority": situation(
        ebitda=200_000,
        debts=[
            facility("F1", "Bank A", "term_loan", 1_300_000, 0.0625, 48, collateral=1_000_000),
            facility("F2", "moneylender", "informal", 240_000, 0.31, 12),
        ],
    ),
    "usury": GOLDEN["usury"],
    "arrears": situation(
        ebitda=800_000,
        debts=[
            facility(
                "F1", "Bank A", "term_loan", 2_000_000, 0.065, 48, dpd=60, collateral=2_500_000
            ),
            facility("F2", "moneylender", "informal", 500_000, 0.36, 12),
        ],
    ),
    "stale_hopeless": situation(
        ebitda=-500_000,
        statement_age=1_000,
        debts=[
            facility(
                "F1",
                "Bank A",
                "term_loan",
                5_000_000,
                0.07,
                36,
                dpd=200,
                collateral=8_000_000,
                legal_stage="judgment",
            ),
        ],
    ),
    "large": situation(
        ebitda=90_000_000,
        revenue=600_000_000,
        employees=150,
        debts=[
            facility("F1", "Lender X", "informal", 50_000_000, 0.30, 24),
            facility("F2", "Bank A", "term_loan", 30_000_000, 0.065, 60, collateral=40_000_000),
        ],
    ),
}
BANK_MONEY = ("bank-sme-term-loan", "bank-sme-loan-tcg")


def _advise(name: str):
    return advise(CASES[name], feasibility=lambda terms: [0.7] * len(terms))


def _programme(option: dict) -> str | None:
    nf = option.get("new_facility")
    return nf["programme"]["id"] if nf else None


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, "pass"), (30, "pass"), (31, "special_mention"), (90, "special_mention"),
     (91, "substandard"), (180, "substandard"), (181, "doubtful"), (360, "doubtful"),
     (361, "doubtful_of_loss")],
)  # fmt: skip
def test_loan_classes_follow_the_bank_of_thailand_days_past_due(days, expected):
    assert loan_class(days) == expected


def test_every_lends_to_block_names_known_classes_and_steps():
    with open(RULES_PATH, "rb") as handle:
        rules = tomllib.load(handle)
    blocks = [r["lends_to"] for kind in ("refinance_source", "guarantee") for r in rules[kind]]
    assert len(blocks) == len(rules["refinance_source"]) + len(rules["guarantee"])
    names = {name for name, _ in LOAN_CLASSES}
    for block in blocks:
        assert set(block["loan_classes"]) <= names
        assert set(block.get("after_steps", [])) <= set(STEPS)


def test_no_bank_or_guaranteed_money_for_a_sued_non_performing_borrower():
    advice = _advise("npl_in_court")
    refused = {s["programme"]["id"]: s for s in advice.sources}
    for source in BANK_MONEY:
        failed = {c["name"]: c["value"] for c in refused[source]["checks"] if not c["passed"]}
        assert not refused[source]["eligible"]
        assert failed["loan_class"] == "doubtful" and failed["litigation"] == "lawsuit"
    assert all(_programme(o) not in BANK_MONEY for o in advice.options)
    for option in advice.options:
        assert not new_money_refused(option)
        if option.get("new_facility"):
            assert option["after_step"] in STEPS
            assert option["standing"]["litigation"] == "lawsuit"
    top = advice.options[0]
    assert top["path"] in ("restructure", "rehabilitation") and top["viable"]


def test_state_bank_money_after_an_agreement_names_the_step_in_both_languages():
    case = CASES["npl_in_court"]
    standing = Standing.of(facilities_of(case, Rules.on_date(case.as_of), load_config()))
    assert standing.non_performing and standing.days_past_due == 200
    advice = _advise("npl_in_court")
    state = next(s for s in advice.sources if s["programme"]["id"] == "smebank-rehabilitation-loan")
    assert state["eligible"]
    assert any(c["name"] == "after_step" for c in state["checks"])
    with_money = [o for o in advice.options if o.get("after_step") == "restructuring_agreement"]
    for option in with_money:
        assert option["all_agree"]
        assert "restructuring agreement every creditor signs" in option["rationale_en"]
        assert "lawsuit withdrawn" in option["rationale_en"]
        assert "ถอนฟ้อง" in option["rationale_th"]


def test_no_creditor_is_paid_at_par_while_a_better_secured_one_is_cut():
    options = _advise("priority").options
    plans = [o for o in options if o.get("terms")]
    assert plans
    for option in plans:
        assert not priority_broken(option)
        treatments = {t["facility_id"]: t for t in option["terms"]}
        if treatments["F1"]["haircut_amount"] > 0:
            assert treatments["F2"]["treatment"] != "refinanced"
    top = plans[0]
    terms = {t["facility_id"]: t for t in top["terms"]}
    assert terms["F1"]["haircut_amount"] == pytest.approx(0.2 * (1_300_000 - 585_000), abs=1)
    assert terms["F2"]["outstanding"] == pytest.approx(240_000 / 1.31 * 1.15, abs=1)
    assert terms["F2"]["haircut_amount"] == pytest.approx(0.2 * 240_000 / 1.31 * 1.15, abs=1)


def test_usurious_informal_debt_is_reckoned_at_principal_plus_lawful_interest():
    options = _advise("usury").options
    claim = 800_000 / 1.41 * 1.15
    assert claim == pytest.approx(652_482.27, abs=0.01)
    for option in options:
        assert not unlawful_interest_owed(option)
        for term in option.get("terms", []):
            if term["facility_id"] == "F2":
                assert term["outstanding"] == pytest.approx(claim, abs=0.01)
                assert term["balance_on_record"] == 800_000
    top = options[0]
    assert "652,482 THB of a balance of 800,000 THB" in top["rationale_en"]
    assert "loan agreement" in top["rationale_en"] and "สัญญากู้" in top["rationale_th"]


def test_arrears_are_capitalised_or_cured_per_facility_and_said_so():
    options = _advise("arrears").options
    plans = [o for o in options if o.get("terms")]
    assert any(o["path"] == "refinance" for o in plans)
    for option in plans:
        assert not arrears_left(option)
        bank = next(t for t in option["terms"] if t["facility_id"] == "F1")
        assert bank["arrears"] == pytest.approx(60 / 30.4 * 47_429.91, abs=1)
        assert bank["arrears_treatment"] == ("cured" if bank["treatment"] == "refinanced"
                                             else "capitalised")  # fmt: skip
        assert "arrears of about 93,612 THB (60 days past due)" in option["rationale_en"]
        assert "ยอดค้างชำระประมาณ 93,612 บาท (ค้าง 60 วัน)" in option["rationale_th"]


def test_stale_numbers_ask_first_and_an_exit_waits_for_current_ones():
    advice = _advise("stale_hopeless")
    paths = [o["path"] for o in advice.options]
    assert paths[0] == "data_request"
    exits = [o for o in advice.options if o["path"] == "orderly_exit"]
    assert exits, "the numbers on record still point to an exit"
    for option in exits:
        assert option["provisional"]
        assert not on_stale_numbers(option, 1_000)
        assert option["rationale_en"].startswith("If current statements confirm it: ")
        assert option["rationale_th"].startswith("หากงบการเงินปัจจุบันยืนยัน: ")


def test_a_business_above_the_medium_class_is_flagged_and_gets_no_sme_programme():
    advice = _advise("large")
    assert advice.size_class == "large"
    assert advice.scope is not None and advice.scope["sme"] is False
    assert advice.scope["revenue"] == 600_000_000
    assert advice.scope["medium_revenue_limit"] == 500_000_000
    assert "600,000,000 THB ≥ 500,000,000 THB" in advice.scope["note_en"]
    assert "นอกโครงการสำหรับ SME" in advice.scope["note_th"]
    assert not sme_advice_for_large(advice)
    sme_only = ("bank-sme-loan-tcg", "smebank-rehabilitation-loan", "bankruptcy-act-3-2")
    for option in advice.options:
        assert _programme(option) not in sme_only
        assert (option.get("court") or {}).get("id") not in sme_only


def test_the_whole_book_checks_catch_what_they_name():
    """Each check fires on an option built to break it (so a 0 on a portfolio means something)."""
    term = {"outstanding": 100.0, "haircut_amount": 0.0, "collateral_value": 0.0,
            "rate_before": 0.30, "lawful_rate": 0.15, "balance_on_record": None}  # fmt: skip
    secured = {**term, "collateral_value": 50.0, "haircut_amount": 10.0, "rate_before": 0.07,
               "lawful_rate": 0.07}  # fmt: skip
    standing = {"non_performing": True, "litigation": None}
    option = {"path": "restructure", "terms": [term, secured], "new_facility": {"amount": 1.0},
              "standing": standing, "all_agree": True}  # fmt: skip
    assert priority_broken(option)
    assert unlawful_interest_owed(option)
    assert new_money_refused(option)
    assert not new_money_refused({**option, "after_step": "restructuring_agreement"})
    assert new_money_refused({**option, "after_step": "court_rehabilitation"})
    assert on_stale_numbers({"path": "orderly_exit"}, 1_000)
    assert on_stale_numbers({"path": "rehabilitation"}, None)
    assert not on_stale_numbers({"path": "orderly_exit"}, 100)
    past_due = {
        **secured,
        "days_past_due": 45.0,
        "treatment": "unchanged",
        "arrears_treatment": None,
    }
    assert arrears_left({"terms": [past_due]})
    assert not arrears_left({"terms": [{**past_due, "treatment": "capitalised",
                                        "arrears_treatment": "capitalised"}]})  # fmt: skip


def test_thai_text_names_lenders_in_thai_from_the_catalogue():
    for option in _advise("usury").options:
        if option.get("terms"):
            assert "ธนาคารกรุงเทพ" in option["rationale_th"] or "Bangkok Bank" not in str(
                [t["lender"] for t in option["terms"] if t["treatment"] != "refinanced"]
            )
            assert "Bangkok Bank" not in option["rationale_th"]
            assert "Moneylender" not in option["rationale_th"]
            assert "Bangkok Bank" in option["rationale_en"]
    assert lender_name("  family AND friends ", "th") == "ญาติและเพื่อน"
    assert lender_name("Unknown Lender Co", "th") == "Unknown Lender Co"
    assert lender_name("Bangkok Bank", "en") == "Bangkok Bank"
