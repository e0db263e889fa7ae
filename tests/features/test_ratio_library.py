"""The ratio library on the hand-made portfolio, worked by hand: every family, the stand-ins for
missing lines with their flags, and NaN (never zero) where a line is missing."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from features import build_features
from features.feature_labels import READING
from features.portfolio import frames_to_portfolio
from features.ratio_library import LIBRARY
from features.registry import BY_NAME, COMPOSITE_NAMES, FEATURE_NAMES
from tests.features import handmade

NAN = math.nan
COSTS_PER_DAY = (600_000 + 250_000 - 50_000) / 365  # B1: cost of sales + opex - depreciation

B1 = {  # 2023 against 2022; no operating cash flow on file: net income + depreciation
    "gross_margin": 0.4, "operating_margin": 0.15, "pretax_margin": 0.13,
    "ebit_to_assets": 0.15, "retained_earnings_to_assets": 0.2, "roe": 0.208,
    "loss_two_years": 0.0, "debt_to_assets": 0.39, "short_term_debt_share": 90 / 390,
    "current_liabilities_to_assets": 0.2, "fixed_assets_to_equity": 1.5,
    "ebitda_interest_coverage": 10.0, "cash_flow_interest_coverage": 174 / 20,
    "cash_flow_to_liabilities": 0.308, "cash_flow_to_current_liabilities": 0.77,
    "net_debt_to_ebitda": 1.7, "cash_to_assets": 0.05, "current_assets_to_assets": 0.25,
    "inventory_to_current_assets": 0.32, "working_capital_to_revenue": 0.05,
    "no_credit_interval": -30_000 / COSTS_PER_DAY, "cash_days": 50_000 / COSTS_PER_DAY,
    "fixed_asset_turnover": 1000 / 750, "operating_expense_ratio": 0.25,
    "interest_to_revenue": 0.02, "payables_days_of_revenue": 21.9,
    "assets_growth": 1000 / 900 - 1, "debt_growth": 0.0, "receivables_growth": 0.0,
    "operating_expenses_growth": 250 / 220 - 1, "equity_change_to_assets": 0.05,
    "net_income_change": 0.0, "margin_change": 0.2 - 120 / 800, "cash_flow_margin": 0.154,
    "cash_flow_to_assets": 0.154, "capex_to_revenue": NAN, "free_cash_flow_to_debt": NAN,
    "accruals_to_assets": -0.05,
    "altman_z": 1.2 * 0.05 + 1.4 * 0.2 + 3.3 * 0.15 + 0.6 * 1.0 + 1.0 * 1.0,
    "altman_z1": 0.717 * 0.05 + 0.847 * 0.2 + 3.107 * 0.15 + 0.420 * 1.0 + 0.998 * 1.0,
    "zmijewski": -4.336 - 4.513 * 0.104 + 5.679 * 0.5 + 0.004 * 1.25,
    "springate": 1.03 * 0.05 + 3.07 * 0.15 + 0.66 * 0.65 + 0.4 * 1.0,
    "taffler": 3.20 + 12.18 * 0.65 + 2.50 * 0.5 - 10.68 * 0.2 + 0.029 * -30_000 / COSTS_PER_DAY,
    "ohlson_o": (
        -1.32 - 0.407 * math.log(1.0) + 6.03 * 0.5 - 1.43 * 0.05 + 0.0757 * 0.8 - 1.72 * 0
        - 2.37 * 0.104 - 1.83 * 0.308 + 0.285 * 0 - 0.521 * 0.0
    ),
    "debt_estimated": 0.0, "cash_flow_estimated": 1.0, "current_assets_estimated": 0.0,
}  # fmt: skip

B2 = {  # negative equity, one year only
    "roe": NAN, "fixed_assets_to_equity": NAN, "loss_two_years": NAN, "assets_growth": NAN,
    "ohlson_o": NAN, "gross_margin": NAN, "debt_to_assets": 1.5, "cash_flow_estimated": 1.0,
    "cash_flow_to_liabilities": -30 / 150,
}  # fmt: skip

B4 = {  # no debt split, no cost of sales, no net income: stand-ins where they exist, else NaN
    "debt_estimated": 1.0, "debt_to_assets": 90_000 / 400_000, "gross_margin": NAN,
    "cash_flow_estimated": NAN, "cash_flow_margin": NAN, "current_assets_estimated": 0.0,
    "altman_z": NAN, "operating_expense_ratio": 0.2,
}  # fmt: skip

B3 = {r.name: NAN for r in LIBRARY}  # no statements at all


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    return build_features(frames_to_portfolio(handmade.tables()), handmade.AS_OF, context=True)


@pytest.mark.parametrize(("business", "expected"), [("B1", B1), ("B2", B2), ("B3", B3), ("B4", B4)])
def test_hand_computed_library_values(features, business, expected):
    handmade.assert_values(features.loc[business], expected, business)


def test_every_library_ratio_is_a_feature_with_formula_direction_source_and_words():
    """The composite scores are computed beside the features, as baselines, not model inputs."""
    for r in LIBRARY:
        composite = r.family == "distress_score"
        assert (r.name in COMPOSITE_NAMES) == composite
        assert (r.name in FEATURE_NAMES) != composite
        feature = BY_NAME[r.name]
        assert feature.description == r.formula and feature.source and feature.risk in (-1, 0, 1)
        assert READING[r.name][0] and feature.label_th


def test_the_library_covers_the_literatures_families_and_scores():
    families = {r.family for r in LIBRARY}
    assert {"profitability", "leverage", "coverage", "liquidity", "activity", "growth",
            "cash_flow", "distress_score"} <= families  # fmt: skip
    scores = {r.name for r in LIBRARY if r.family == "distress_score"} | {"altman_z2"}
    assert scores == {"altman_z", "altman_z1", "altman_z2", "ohlson_o", "zmijewski",
                      "springate", "taffler"}  # fmt: skip
