"""Ratios from financial statements, following the accounting conventions of the design brief.

EBIT = revenue - cost_of_sales - operating_expenses (which include depreciation);
EBITDA = EBIT + depreciation; debt = short_term_debt + long_term_debt; 365-day year.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.asof import positive_ratio, safe_ratio, visible

DAYS_PER_YEAR = 365.0


def add_earnings(frame: pd.DataFrame) -> pd.DataFrame:
    """EBIT, EBITDA and debt columns, NaN where an input line is missing."""
    out = frame.copy()
    out["ebit"] = out["revenue"] - out["cost_of_sales"] - out["operating_expenses"]
    out["ebitda"] = out["ebit"] + out["depreciation"]
    out["debt"] = out["short_term_debt"] + out["long_term_debt"]
    return out


def latest_statements(statements: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """Per business, every visible statement, sorted by fiscal year, with earnings columns."""
    seen = visible(statements, "period_end", as_of)
    seen = seen.sort_values(["business_id", "fiscal_year"], kind="stable")
    return add_earnings(seen)


def statement_features(statements: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """One row per business with at least one visible statement; index business_id."""
    seen = latest_statements(statements, as_of)
    if seen.empty:
        return pd.DataFrame(index=pd.Index([], name="business_id", dtype="string"))
    grouped = seen.groupby("business_id", sort=False)
    last = grouped.tail(1).set_index("business_id")
    previous = seen.set_index(["business_id", "fiscal_year"])
    prev_key = pd.MultiIndex.from_arrays([last.index, last["fiscal_year"] - 1])
    prev = previous.reindex(prev_key)
    prev.index = last.index

    # Year-on-year revenue growth between consecutive visible years, for volatility.
    prior_fy = grouped["fiscal_year"].shift(1)
    prior_rev = grouped["revenue"].shift(1)
    yoy = positive_ratio(seen["revenue"], prior_rev) - 1.0
    yoy = yoy.where(seen["fiscal_year"] - prior_fy == 1)
    volatility = yoy.groupby(seen["business_id"]).std(ddof=1)

    ca, cl, ta = last["current_assets"], last["current_liabilities"], last["total_assets"]
    tl, equity = last["total_liabilities"], last["equity"]
    revenue, cos = last["revenue"], last["cost_of_sales"]
    ebit, ebitda = last["ebit"], last["ebitda"]

    f = pd.DataFrame(index=last.index)
    f["current_ratio"] = safe_ratio(ca, cl)
    f["quick_ratio"] = safe_ratio(ca - last["inventory"], cl)
    f["cash_ratio"] = safe_ratio(last["cash"], cl)
    f["working_capital_to_assets"] = safe_ratio(ca - cl, ta)
    f["debt_to_equity"] = positive_ratio(last["debt"], equity)
    f["negative_equity"] = (equity <= 0).astype("float64").where(equity.notna())
    f["liabilities_to_assets"] = safe_ratio(tl, ta)
    f["debt_to_ebitda"] = positive_ratio(last["debt"], ebitda)
    f["interest_coverage"] = safe_ratio(ebit, last["interest_expense"])
    f["roa"] = safe_ratio(last["net_income"], ta)
    f["ebitda_margin"] = safe_ratio(ebitda, revenue)
    f["net_margin"] = safe_ratio(last["net_income"], revenue)
    f["asset_turnover"] = safe_ratio(revenue, ta)
    f["dso"] = safe_ratio(last["receivables"], revenue) * DAYS_PER_YEAR
    f["dio"] = safe_ratio(last["inventory"], cos) * DAYS_PER_YEAR
    f["dpo"] = safe_ratio(last["payables"], cos) * DAYS_PER_YEAR
    f["cash_conversion_cycle"] = f["dso"] + f["dio"] - f["dpo"]
    f["revenue_growth"] = positive_ratio(revenue, prev["revenue"]) - 1.0
    f["ebitda_growth"] = positive_ratio(ebitda, prev["ebitda"]) - 1.0
    f["revenue_volatility"] = volatility.reindex(f.index)
    f["years_of_statements"] = grouped.size().reindex(f.index).astype("float64")
    f["altman_z2"] = (
        6.56 * safe_ratio(ca - cl, ta)
        + 3.26 * safe_ratio(last["retained_earnings"], ta)
        + 6.72 * safe_ratio(ebit, ta)
        + 1.05 * safe_ratio(equity, tl)
    )
    f["log_total_assets"] = np.log1p(ta.where(ta >= 0))
    f["log_revenue"] = np.log1p(revenue.where(revenue >= 0))
    f["ebitda"] = ebitda
    f["latest_fiscal_year"] = last["fiscal_year"].astype("float64")
    return f
