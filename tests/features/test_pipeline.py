"""Feature values computed by hand on a small portfolio, NaN rules, and point-in-time safety."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from features import FEATURE_NAMES, build_features, frames_to_portfolio, load_portfolio
from features.registry import FEATURES, monotone_constraints
from tests.features import handmade
from training.synthetic.generator import LABEL_DATES

NAN = float("nan")

B1 = {
    "current_ratio": 1.25,
    "quick_ratio": 0.85,
    "cash_ratio": 0.25,
    "working_capital_to_assets": 0.05,
    "debt_to_equity": 0.78,
    "negative_equity": 0.0,
    "liabilities_to_assets": 0.5,
    "debt_to_ebitda": 1.95,
    "interest_coverage": 7.5,
    "dscr": 200_000 / (12 * (5_799.84 + 600 + 1_000)),
    "roa": 0.104,
    "ebitda_margin": 0.2,
    "net_margin": 0.104,
    "asset_turnover": 1.0,
    "dso": 36.5,
    "dio": 80 / 600 * 365,
    "dpo": 36.5,
    "cash_conversion_cycle": 36.5 + 80 / 600 * 365 - 36.5,
    "revenue_growth": 0.25,
    "ebitda_growth": 200 / 120 - 1,
    "revenue_volatility": 0.45 / math.sqrt(2),  # std of growth -0.20 and +0.25
    "years_of_statements": 3,
    "altman_z2": 6.56 * 0.05 + 3.26 * 0.2 + 6.72 * 0.15 + 1.05 * 1.0,
    "log_total_assets": math.log1p(1_000_000),
    "log_revenue": math.log1p(1_000_000),
    "employees": 12,
    "firm_age": 14,
    "n_facilities": 3,
    "total_outstanding": 400_000,
    "annual_debt_service": 12 * (5_799.84 + 600 + 1_000),
    "max_days_past_due": 15,
    "share_informal_debt": 0.025,
    "collateral_cover": 0.625,
    "restructured_before": 0,
    "weighted_rate": 0.072,
    "n_applications_24m": 2,  # A2 (151 days old) and A3 (304); A1 is 811 days old
    "n_rejections_24m": 1,  # A3 rejected 260 days ago; A1's rejection is 761 days old
    "days_since_last_rejection": 260,
    "pending_days_max": 151,  # A2 was decided after the as-of date: pending then
    "has_stalled_application": 1,
    "has_statements": 1,
}

B2 = {  # zero and negative denominators
    "current_ratio": NAN,
    "quick_ratio": NAN,
    "cash_ratio": NAN,
    "working_capital_to_assets": 0.2,
    "debt_to_equity": NAN,
    "negative_equity": 1.0,
    "liabilities_to_assets": 1.5,
    "debt_to_ebitda": NAN,
    "interest_coverage": NAN,
    "dscr": NAN,
    "roa": -0.3,
    "ebitda_margin": NAN,
    "net_margin": NAN,
    "asset_turnover": 0.0,
    "dso": NAN,
    "dio": NAN,
    "dpo": NAN,
    "revenue_growth": NAN,
    "revenue_volatility": NAN,
    "years_of_statements": 1,
    "altman_z2": 6.56 * 0.2 + 3.26 * -0.8 + 6.72 * -0.3 + 1.05 * (-50 / 150),
    "log_revenue": 0.0,
    "n_facilities": 0,
    "total_outstanding": 0,
    "max_days_past_due": 0,
    "share_informal_debt": NAN,
    "collateral_cover": NAN,
    "weighted_rate": NAN,
    "n_applications_24m": 0,
    "days_since_last_rejection": NAN,
    "pending_days_max": 0,
    "has_stalled_application": 0,
    "has_statements": 1,
}

B3 = {  # no statements at all, one lease
    "current_ratio": NAN,
    "dscr": NAN,
    "altman_z2": NAN,
    "revenue_growth": NAN,
    "years_of_statements": 0,
    "has_statements": 0,
    "firm_age": NAN,
    "employees": NAN,
    "n_facilities": 1,
    "annual_debt_service": 12 * 2_307.25,
    "weighted_rate": 0.10,
}

B4 = {  # statements with missing lines
    "current_ratio": 1.5,
    "quick_ratio": NAN,  # inventory missing
    "dio": NAN,  # cost of sales missing
    "interest_coverage": NAN,  # EBIT needs cost of sales
    "altman_z2": NAN,
    "liabilities_to_assets": 0.25,
    "asset_turnover": 1.25,
    "n_facilities": 0,
    "dscr": NAN,
}


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    return build_features(frames_to_portfolio(handmade.tables()), handmade.AS_OF)


@pytest.mark.parametrize(("business", "expected"), [("B1", B1), ("B2", B2), ("B3", B3), ("B4", B4)])
def test_hand_computed_values(features, business, expected):
    handmade.assert_values(features.loc[business], expected, business)


def test_one_row_per_business_with_registry_columns_and_no_infinity(features):
    assert list(features.index) == ["B1", "B2", "B3", "B4"]
    assert list(features.columns) == FEATURE_NAMES
    numeric = features.drop(columns=["sector", "region"]).to_numpy(dtype=float)
    assert not np.isinf(numeric).any()
    assert features["sector"].dtype == "category"
    assert features.loc["B3", "sector"] == "I"


def test_credit_features_are_nan_not_zero_when_no_debts_table_was_supplied():
    tables = handmade.tables()
    del tables["debts"], tables["loan_applications"]
    features = build_features(frames_to_portfolio(tables), handmade.AS_OF)
    assert features[["n_facilities", "total_outstanding", "n_applications_24m"]].isna().all().all()


def test_rows_dated_after_as_of_change_nothing(features):
    tables = handmade.tables()
    for name, extra in handmade.later_rows().items():
        tables[name] = pd.concat([tables[name], extra], ignore_index=True)
    history = pd.DataFrame(
        {
            "application_id": ["A2", "A2", "A3", "A3"],
            "status": ["submitted", "approved", "submitted", "rejected"],
            "changed_at": ["2023-11-01", "2024-05-01", "2023-06-01", "2023-07-15"],
        }
    )
    tables["application_status_history"] = history
    later = build_features(frames_to_portfolio(tables), handmade.AS_OF)
    pd.testing.assert_frame_equal(later, features)


def test_generated_portfolio_truncated_at_as_of_gives_identical_features(small_portfolio_dir):
    """The whole history versus only what existed at the as-of date: identical rows."""
    full = load_portfolio(small_portfolio_dir)
    as_of = pd.Timestamp(LABEL_DATES[1])
    cut = {
        "financial_statements": ("period_end",),
        "debts": ("as_of",),
        "loan_applications": ("submitted_at",),
        "application_status_history": ("changed_at",),
    }
    tables = {name: full.tables[name] for name in ("businesses",)}
    for name, (column,) in cut.items():
        tables[name] = full.tables[name][full.tables[name][column] <= as_of]
    # What a user would have had at the time: statuses and decisions not yet made.
    apps = tables["loan_applications"].copy()
    later = apps["status_changed_at"] > as_of
    history = tables["application_status_history"]
    last = history.sort_values("changed_at").groupby("application_id").tail(1)
    status_then = apps["application_id"].map(last.set_index("application_id")["status"])
    apps.loc[later, "status"] = status_then[later]
    apps.loc[later, "status_changed_at"] = pd.NaT
    apps.loc[apps["decided_at"] > as_of, "decided_at"] = pd.NaT
    tables["loan_applications"] = apps
    truncated = frames_to_portfolio(
        {k: v.astype(object).where(v.notna(), None) for k, v in tables.items()}
    )
    pd.testing.assert_frame_equal(
        build_features(truncated, as_of), build_features(full, as_of), check_exact=False
    )


def test_per_business_as_of_dates_match_one_call_per_date(small_portfolio_dir):
    portfolio = load_portfolio(small_portfolio_dir)
    ids = portfolio.business_ids
    dates = pd.Series(np.where(np.arange(len(ids)) % 2, LABEL_DATES[0], LABEL_DATES[2]), index=ids)
    mixed = build_features(portfolio, pd.to_datetime(dates))
    for date in (LABEL_DATES[0], LABEL_DATES[2]):
        one = build_features(portfolio, date)
        chosen = dates.index[dates == date]
        pd.testing.assert_frame_equal(mixed.loc[chosen], one.loc[chosen])


def test_registry_describes_every_feature_with_a_direction():
    assert len({f.name for f in FEATURES}) == len(FEATURES)
    assert all(f.description and f.label_th and f.risk in (-1, 0, 1) for f in FEATURES)
    constraints = monotone_constraints(["dscr", "max_days_past_due", "sector"])
    assert constraints == [-1, 1, 0]


def test_supplied_but_empty_tables_mean_none_on_record():
    """A business registered with no statements, facilities or applications (lists left empty)."""
    tables = {
        "businesses": handmade.BUSINESSES.iloc[[0]].copy(),
        "financial_statements": handmade.STATEMENTS.iloc[0:0].copy(),
        "debts": handmade.DEBTS.iloc[0:0].copy(),
        "loan_applications": handmade.APPLICATIONS.iloc[0:0].copy(),
    }
    row = build_features(frames_to_portfolio(tables), handmade.AS_OF, context=True).loc["B1"]
    assert row["has_statements"] == 0 and row["years_of_statements"] == 0
    assert row["n_facilities"] == 0 and row["n_applications_24m"] == 0
    assert pd.isna(row["dscr"]) and pd.isna(row["ebitda"])
