"""Invariants of the synthetic portfolio: identities, rates, determinism, documented columns."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from features.loans import annuity_payment
from features.portfolio import write_tables
from features.schema import AMORTISING_FACILITIES, REGIONS, TABLES
from training.synthetic import catalogues
from training.synthetic.generator import LABEL_DATES, generate

REAL_THAI_BANKS = (
    "Bangkok Bank",
    "Kasikorn",
    "Krungthai",
    "Krung Thai",
    "Krungsri",
    "Siam Commercial",
    "TMB",
    "Thanachart",
    "ttb",
    "Government Savings",
    "GSB",
    "BAAC",
    "SME D",
    "SME Development",
    "EXIM",
    "Kiatnakin",
    "TISCO",
    "CIMB",
    "UOB",
    "LH Bank",
    "ICBC",
    "Land and Houses",
)


def _digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(tmp_path):
    a = write_tables(generate(300, 11), tmp_path / "a")
    b = write_tables(generate(300, 11), tmp_path / "b")
    c = write_tables(generate(300, 12), tmp_path / "c")
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


def test_parquet_output_is_deterministic_too(tmp_path):
    a = write_tables(generate(200, 5), tmp_path / "a", "parquet")
    b = write_tables(generate(200, 5), tmp_path / "b", "parquet")
    assert _digest(a) == _digest(b)


def test_every_table_uses_only_documented_columns(small_tables):
    for name, frame in small_tables.items():
        if name in TABLES:
            assert set(frame.columns) <= set(TABLES[name].column_names), name
    assert {"truth", "truth_drivers"} <= set(small_tables)


def test_statements_obey_accounting_identities(small_portfolio_dir):
    fs = pd.read_csv(small_portfolio_dir / "financial_statements.csv")
    assert np.allclose(fs.total_assets, fs.total_liabilities + fs.equity, atol=0.011)
    assert np.allclose(fs.total_assets, fs.current_assets + fs.fixed_assets, atol=0.011)
    assert np.allclose(fs.total_liabilities, fs.current_liabilities + fs.long_term_debt, atol=0.011)
    ebit = fs.revenue - fs.cost_of_sales - fs.operating_expenses
    full = fs.cost_of_sales.notna()
    assert np.allclose(
        (ebit - fs.interest_expense - fs.tax_expense)[full], fs.net_income[full], atol=0.02
    )
    assert (fs.operating_expenses >= fs.depreciation).all()
    assert (fs.period_end == fs.fiscal_year.astype(str) + "-12-31").all()
    assert fs.groupby("business_id").size().max() <= 7


def test_some_micro_firms_file_no_statements_or_lines(small_tables):
    businesses = small_tables["businesses"]
    fs = small_tables["financial_statements"]
    filers = set(fs.business_id)
    micro = businesses[businesses.employees.fillna(0) <= 5]
    no_statements = ~micro.business_id.isin(filers)
    assert 0.2 < no_statements.mean() < 0.6
    assert fs.operating_cash_flow.isna().mean() > 0.05
    assert fs.revenue.notna().all()


def test_installments_follow_the_annuity_formula(small_tables):
    debts = small_tables["debts"]
    amortising = debts[debts.facility_type.isin(AMORTISING_FACILITIES)]
    expected = annuity_payment(
        amortising.outstanding, amortising.annual_rate, amortising.remaining_months
    )
    assert np.allclose(amortising.monthly_installment, expected, atol=0.006)
    revolving = debts[~debts.facility_type.isin(AMORTISING_FACILITIES)]
    assert np.allclose(
        revolving.monthly_installment,
        revolving.outstanding * revolving.annual_rate / 12,
        atol=0.006,
    )


def test_arrears_are_driven_by_health(small_tables):
    """Firms that fall into distress were already more often in arrears before it."""
    debts = small_tables["debts"]
    outcomes = small_tables["outcomes"]
    first = debts[debts.as_of == LABEL_DATES[0]].groupby("business_id").days_past_due.max()
    labels = outcomes[outcomes.as_of == LABEL_DATES[0]].set_index("business_id").distress_12m
    late = first.reindex(labels.index).fillna(0) > 0
    assert late[labels == "true"].mean() > 2 * late[labels == "false"].mean()


def test_outcome_rates_are_in_the_documented_ranges(small_tables):
    outcomes = small_tables["outcomes"]
    distress = outcomes.distress_12m[outcomes.distress_12m != ""]
    assert 0.05 <= (distress == "true").mean() <= 0.20
    restructured = outcomes[outcomes.restructuring_id.fillna("") != ""]
    share = restructured.business_id.nunique() / len(small_tables["businesses"])
    assert 0.20 <= share <= 0.30
    assert restructured.restructuring_id.is_unique
    assert 0.3 < (restructured.performing_12m == "true").mean() < 0.9


def test_truth_matches_outcome_rows_and_drives_them(small_tables):
    outcomes, truth = small_tables["outcomes"], small_tables["truth"]
    assert len(truth) == len(outcomes)
    assert truth.p_true.between(0, 1).all()
    distress = truth[truth.model == "distress"].reset_index(drop=True)
    labels = outcomes[outcomes.distress_12m != ""].reset_index(drop=True)
    assert (distress.business_id == labels.business_id).all()
    observed = (labels.distress_12m == "true").mean()
    assert abs(distress.p_true.mean() - observed) < 0.02
    drivers = small_tables["truth_drivers"]
    assert set(drivers.model) == {"distress", "feasibility"}
    top = drivers[(drivers.model == "distress") & (drivers.feature_rank <= 3)].feature.tolist()
    assert "dscr" in top and "max_days_past_due" in top


def test_thai_geography_and_fictitious_lenders(small_tables):
    assert len(catalogues.PROVINCES) == 77
    assert {r for r, _ in catalogues.PROVINCES.values()} == set(REGIONS)
    assert set(small_tables["businesses"].region) == set(REGIONS)
    lenders = set(small_tables["debts"].lender) | set(small_tables["loan_applications"].lender)
    for lender in lenders:
        assert not any(real.lower() in lender.lower() for real in REAL_THAI_BANKS), lender


def test_applications_include_a_share_stalled_past_the_sla(small_tables):
    apps = small_tables["loan_applications"]
    pending = apps[apps.status.isin(["submitted", "documents_requested", "under_review"])]
    age = (pd.Timestamp("2026-06-30") - pd.to_datetime(pending.submitted_at)).dt.days
    sla = pending.lender.map({k: v[0] for k, v in catalogues.LENDERS.items()})
    stalled = (age > sla).sum()
    assert 0.02 < stalled / len(apps) < 0.2
    assert (apps.rejection_reason.fillna("") != "").sum() == (apps.status == "rejected").sum()


def test_cases_come_from_every_channel_with_problem_types(small_tables):
    cases = small_tables["cases"]
    assert set(cases.channel) == {"oss_centre", "agency_referral", "direct"}
    oss = cases[cases.channel == "oss_centre"]
    assert oss.intake_centre.str.startswith("OSS ").all()
    assert cases.problem_types.str.len().gt(0).all()
    assert 0.05 < len(cases) / len(small_tables["businesses"]) < 0.3
