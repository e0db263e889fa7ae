"""Golden cases: businesses worked by hand, with the top path a practitioner would sign and the
numbers behind it (M = million THB).

| case | situation | top path | key numbers, by hand |
| --- | --- | --- | --- |
| usury | bank 3M at 6.5%, 45 dpd; informal 0.8M at 41% | restructure/refinance | DSCR 0.53 |
| no_statements | no statements, performing loan, cover 1.5x | data_request | no exit |
| misses_target | EBITDA 0.3M against 4M at 7%, 40 dpd | best_effort | DSCR < 1.25 |
| hopeless | losses 0.5M, 5M loan, 8M collateral | orderly_exit | 4.68M / 1.0067^24 |
| technology | healthy, technology problem | agency_referral | NIA, ITAP, DEPA |
| rejected | healthy, rejected for collateral | bank_follow_up | a TCG guarantee |
| stalled | healthy, pending 120 days, SLA 45 | bank_follow_up | 120 >= 45 days |
| too_large | informal 50M at 30%, bank 30M | restructure | TCG cap 40M fails |
| sme_rehabilitation | 8M debt, secured 2M refuses | rehabilitation | consent 75% |
| costly_leasing | leasing 3M at 14%, bank at 6.5% | refinance | 6% + 1.75% < 14% |
| no_raise | one loan at 6.58%, DSCR 0.8 | restructure | no refinance |
| healthy | DSCR 3.0, no arrears | mentoring | light touch |
| no_debt | no facilities | mentoring | no debt |
| stale | statements 1,000 days old | data_request | 33 >= 18 months |
| weak_margin | margin 1%, revenue -20% | mentoring | 1.0% < 3.0% |
| good_margin | margin 10.5%, growth 4.9% | no low-margin claim | - |
| rate_unknown | a facility without a rate | data_request | facility terms |
| outdated | outdated product, healthy | agency_referral | DIP, OSMEP |
"""

from __future__ import annotations

import pytest

from models.advice.recommend import advise
from tests.models.advice.advice_cases import application, facility, situation

CASES = {
    "usury": situation(
        ebitda=900_000,
        debts=[
            facility(
                "F1",
                "Bangkok Bank",
                "term_loan",
                3_000_000,
                0.065,
                36,
                dpd=45,
                collateral=3_500_000,
            ),
            facility("F2", "Moneylender", "informal", 800_000, 0.41, 24, dpd=30),
        ],
    ),
    "no_statements": situation(
        ebitda=None,
        statement_age=None,
        debts=[facility("F1", "Bank A", "term_loan", 2_000_000, 0.06, 48, collateral=3_000_000)],
    ),
    "misses_target": situation(
        ebitda=300_000,
        debts=[
            facility("F1", "Bank A", "term_loan", 4_000_000, 0.07, 36, dpd=40, collateral=1_000_000)
        ],
    ),
    "hopeless": situation(
        ebitda=-500_000,
        debts=[
            facility(
                "F1", "Bank A", "term_loan", 5_000_000, 0.07, 36, dpd=200, collateral=8_000_000
            )
        ],
    ),
    "technology": situation(
        ebitda=1_500_000,
        problems=("technology_innovation",),
        debts=[facility("F1", "Bank A", "term_loan", 2_000_000, 0.065, 48, collateral=2_500_000)],
    ),
    "rejected": situation(
        ebitda=1_500_000,
        applications=[
            application("AP1", "Bank C", "rejected", 100, reason="insufficient collateral")
        ],
        debts=[facility("F1", "Bank A", "term_loan", 2_000_000, 0.065, 48, collateral=2_500_000)],
    ),
    "stalled": situation(
        ebitda=1_500_000,
        applications=[application("AP2", "Bank C", "under_review", 120)],
        debts=[facility("F1", "Bank A", "term_loan", 2_000_000, 0.065, 48, collateral=2_500_000)],
    ),
    "too_large": situation(
        ebitda=20_000_000,
        revenue=400_000_000,
        employees=150,
        debts=[
            facility("F1", "Lender X", "informal", 50_000_000, 0.30, 24),
            facility("F2", "Bank A", "term_loan", 30_000_000, 0.065, 60, collateral=40_000_000),
        ],
    ),
    "sme_rehabilitation": situation(
        ebitda=1_100_000,
        debts=[
            facility(
                "F1", "Bank A", "term_loan", 2_000_000, 0.07, 24, dpd=60, collateral=5_000_000
            ),
            facility("F2", "Bank B", "term_loan", 6_000_000, 0.07, 24, dpd=60),
        ],
    ),
    "costly_leasing": situation(
        ebitda=1_100_000,
        debts=[
            facility("F1", "Leasing Co", "leasing", 3_000_000, 0.14, 36, collateral=3_500_000),
            facility("F2", "Bank A", "term_loan", 1_000_000, 0.065, 36, collateral=1_500_000),
        ],
    ),
    "no_raise": situation(
        ebitda=700_000,
        debts=[
            facility(
                "F1", "Bank A", "term_loan", 3_000_000, 0.0658, 60, dpd=15, collateral=4_000_000
            )
        ],
    ),
    "healthy": situation(
        ebitda=3_000_000,
        debts=[facility("F1", "Bank A", "term_loan", 2_000_000, 0.065, 36, collateral=2_500_000)],
    ),
    "no_debt": situation(ebitda=2_000_000),
    "stale": situation(
        ebitda=900_000,
        statement_age=1_000,
        debts=[
            facility("F1", "Bank A", "term_loan", 3_000_000, 0.07, 36, dpd=45, collateral=2_000_000)
        ],
    ),
    "weak_margin": situation(
        ebitda=200_000,
        margin=0.01,
        growth=-0.20,
        debts=[
            facility("F1", "Bank A", "term_loan", 1_000_000, 0.07, 36, dpd=10, collateral=500_000)
        ],
    ),
    "good_margin": situation(
        ebitda=2_100_000,
        margin=0.105,
        growth=0.049,
        debts=[
            facility("F1", "Bank A", "term_loan", 8_000_000, 0.07, 36, dpd=35, collateral=6_000_000)
        ],
    ),
    "rate_unknown": situation(
        ebitda=1_500_000,
        debts=[facility("F1", "Bank A", "term_loan", 2_000_000, None, 48, collateral=2_500_000)],
    ),
    "outdated": situation(
        ebitda=1_500_000,
        problems=("outdated_business",),
        debts=[facility("F1", "Bank A", "term_loan", 2_000_000, 0.065, 48, collateral=2_500_000)],
    ),
}


def _advice(name: str) -> list[dict]:
    return advise(CASES[name], feasibility=lambda terms: [0.7] * len(terms)).options


def _paths(options: list[dict]) -> list[str]:
    return [o["path"] for o in options]


def test_there_are_at_least_fifteen_golden_cases():
    assert len(CASES) >= 15


def test_usurious_informal_debt_is_formalised_and_never_kept_above_the_ceiling():
    options = _advice("usury")
    top = options[0]
    assert top["path"] in ("restructure", "refinance") and top["viable"]
    assert top["numbers"]["dscr_before"] == pytest.approx(900_000 / (12 * 141_330.0), abs=0.01)
    informal = next(t for t in top["terms"] if t["facility_type"] == "informal")
    assert informal["treatment"] == "refinanced"
    for option in options:
        for term in option.get("terms", []):
            assert term["rate_after"] is None or term["rate_after"] <= 0.15 + 1e-12


def test_no_statements_asks_for_them_and_never_exits():
    paths = _paths(_advice("no_statements"))
    assert paths[0] == "data_request"
    assert "orderly_exit" not in paths


def test_a_plan_short_of_the_target_that_beats_liquidation_is_not_an_exit():
    options = _advice("misses_target")
    top = options[0]
    assert top["path"] == "best_effort" and not top["viable"]
    assert top["numbers"]["dscr_after"] < 1.25
    assert top["numbers"]["creditor_npv"] > top["numbers"]["liquidation_value"]
    assert "orderly_exit" not in _paths(options)


def test_a_hopeless_business_with_large_collateral_exits():
    top = _advice("hopeless")[0]
    assert top["path"] == "orderly_exit"
    expected = min(8_000_000 * 0.65 * 0.9, 5_000_000) / (1 + 0.08 / 12) ** 24
    assert top["numbers"]["liquidation_value"] == pytest.approx(expected, rel=1e-9)
    assert top["numbers"]["best_plan_value"] < top["numbers"]["liquidation_value"]


def test_a_technology_problem_with_healthy_finances_is_referred_to_named_agencies():
    top = _advice("technology")[0]
    assert top["path"] == "agency_referral"
    assert {a["id"] for a in top["agencies"]} == {"NIA", "NSTDA-ITAP", "DEPA"}
    assert "National Innovation Agency" in top["rationale_en"]
    assert "สำนักงานนวัตกรรมแห่งชาติ" in top["rationale_th"]


def test_a_rejection_says_its_reason_and_what_is_missing():
    top = _advice("rejected")[0]
    assert top["path"] == "bank_follow_up"
    assert "insufficient collateral" in top["rationale_en"]
    assert "TCG credit guarantee" in top["rationale_en"]
    assert "บสย." in top["rationale_th"]


def test_a_stalled_application_names_its_waiting_time_against_the_sla():
    top = _advice("stalled")[0]
    assert top["path"] == "bank_follow_up"
    assert "120 days ≥ 45 days" in top["rationale_en"]


def test_a_borrower_above_the_guarantee_cap_is_not_offered_the_guarantee():
    advice = advise(CASES["too_large"], feasibility=lambda t: [0.7] * len(t))
    tcg = next(s for s in advice.sources if s["programme"]["id"] == "bank-sme-loan-tcg")
    assert not tcg["eligible"]
    assert any(c["name"] == "amount_within_cap" and not c["passed"] for c in tcg["checks"])
    top = advice.options[0]
    assert top["path"] == "restructure"
    assert (top["programme"] or {}).get("id") != "bank-sme-loan-tcg"
    informal = next(t for t in top["terms"] if t["facility_type"] == "informal")
    assert informal["rate_after"] <= 0.15


def test_an_sme_eligible_for_court_rehabilitation_gets_it_with_the_consent_share():
    top = _advice("sme_rehabilitation")[0]
    assert top["path"] == "rehabilitation", _paths(_advice("sme_rehabilitation"))
    assert top["court"]["id"] == "bankruptcy-act-3-2"
    assert top["numbers"]["consent_share"] == pytest.approx(0.75)
    assert [r["lender"] for r in top["creditors"] if not r["agrees"]] == ["Bank A"]
    assert "75.0% ≥ 66.7%" in top["rationale_en"]


def test_costly_leasing_is_refinanced_below_its_rate():
    top = _advice("costly_leasing")[0]
    assert top["path"] == "refinance" and top["viable"]
    nf = top["new_facility"]
    assert nf["annual_rate"] + nf["guarantee_fee_rate"] < 0.14
    assert top["numbers"]["concession"] == pytest.approx(0.0, abs=1e-6)


def test_no_refinance_raises_what_a_debt_costs():
    options = _advice("no_raise")
    assert "refinance" not in _paths(options)
    assert options[0]["path"] == "restructure"


def test_a_healthy_business_gets_light_touch_advice():
    options = _advice("healthy")
    assert _paths(options) == ["mentoring"]
    assert "no debt problem" in options[0]["rationale_en"]


def test_no_debt_at_all():
    options = _advice("no_debt")
    assert _paths(options) == ["mentoring"]
    assert "no debt on record" in options[0]["rationale_en"]


def test_stale_statements_are_requested_first():
    top = _advice("stale")[0]
    assert top["path"] == "data_request"
    assert "33 months old ≥ 18 months" in top["rationale_en"]
    assert "(ปี 2568)" in top["rationale_th"]  # FY2025 in the Buddhist era


def test_mentoring_reads_its_reasons_from_the_numbers():
    mentoring = next(o for o in _advice("weak_margin") if o["path"] == "mentoring")
    assert "EBITDA margin 1.0% < 3.0%" in mentoring["rationale_en"]
    assert "revenue growth -20.0% < -10.0%" in mentoring["rationale_en"]
    assert all("margin" not in o["rationale_en"] for o in _advice("good_margin"))


def test_a_rate_not_on_record_is_requested():
    top = _advice("rate_unknown")[0]
    assert top["path"] == "data_request"
    assert "facility terms" in top["rationale_en"]


def test_an_outdated_business_is_referred_to_dip_and_osmep():
    top = _advice("outdated")[0]
    assert top["path"] == "agency_referral"
    assert {"DIP", "OSMEP"} <= {a["id"] for a in top["agencies"]}
