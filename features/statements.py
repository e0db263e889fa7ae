"""Ratios from financial statements, following the accounting conventions of the design brief.

EBIT = revenue - cost_of_sales - operating_expenses (which include depreciation);
EBITDA = EBIT + depreciation; debt = short_term_debt + long_term_debt; 365-day year.
"""

from __future__ import annotations

import numpy as np

from features.asof import positive_ratio, safe_ratio, visible
from features.columns import Columns, Groups, days_between, group_ends, spread, take

DAYS_PER_YEAR = 365.0
LINES = (
    "fiscal_year",
    "period_end",
    "revenue",
    "cost_of_sales",
    "operating_expenses",
    "depreciation",
    "interest_expense",
    "net_income",
    "cash",
    "receivables",
    "inventory",
    "current_assets",
    "total_assets",
    "payables",
    "current_liabilities",
    "short_term_debt",
    "long_term_debt",
    "total_liabilities",
    "equity",
    "retained_earnings",
)


def add_earnings(lines: Columns) -> Columns:
    """EBIT, EBITDA and debt beside the statement lines, NaN where an input line is missing."""
    out = dict(lines)
    out["ebit"] = lines["revenue"] - lines["cost_of_sales"] - lines["operating_expenses"]
    out["ebitda"] = out["ebit"] + lines["depreciation"]
    out["debt"] = lines["short_term_debt"] + lines["long_term_debt"]
    return out


def statement_features(statements: Columns, codes: np.ndarray, cutoff: np.ndarray) -> Columns:
    """One value per business (NaN where it has no visible statement) for each feature.

    `codes` gives each statement row's business position, `cutoff` each business's as-of date.
    """
    n = len(cutoff)
    seen = np.flatnonzero(visible(statements["period_end"], codes, cutoff))
    order = seen[np.lexsort((statements["fiscal_year"][seen], codes[seen]))]
    rows = add_earnings(take({k: statements[k] for k in LINES}, order))
    business = codes[order]
    year = rows["fiscal_year"]
    groups = Groups(business, n)

    # The previous row of the same business, and whether it is the year just before.
    follows = np.r_[False, (business[1:] == business[:-1]) & (year[1:] - year[:-1] == 1)]
    prior_revenue = np.r_[np.nan, rows["revenue"][:-1]] if len(order) else rows["revenue"]
    yoy = np.where(follows, positive_ratio(rows["revenue"], prior_revenue) - 1.0, np.nan)

    ends = group_ends(business)
    owners = business[ends]
    last = {k: spread(v[ends], owners, n) for k, v in rows.items() if k != "period_end"}
    has_prev = spread(follows[ends], owners, n) == 1.0
    prev_revenue = np.where(has_prev, spread(rows["revenue"][ends - 1], owners, n), np.nan)
    prev_ebitda = np.where(has_prev, spread(rows["ebitda"][ends - 1], owners, n), np.nan)

    ca, cl, ta = last["current_assets"], last["current_liabilities"], last["total_assets"]
    tl, equity = last["total_liabilities"], last["equity"]
    revenue, cos = last["revenue"], last["cost_of_sales"]
    ebit, ebitda = last["ebit"], last["ebitda"]
    count = groups.size()

    f: Columns = {}
    f["current_ratio"] = safe_ratio(ca, cl)
    f["quick_ratio"] = safe_ratio(ca - last["inventory"], cl)
    f["cash_ratio"] = safe_ratio(last["cash"], cl)
    f["working_capital_to_assets"] = safe_ratio(ca - cl, ta)
    f["debt_to_equity"] = positive_ratio(last["debt"], equity)
    f["negative_equity"] = np.where(np.isnan(equity), np.nan, equity <= 0)
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
    f["revenue_growth"] = positive_ratio(revenue, prev_revenue) - 1.0
    f["ebitda_growth"] = positive_ratio(ebitda, prev_ebitda) - 1.0
    f["revenue_volatility"] = groups.std(yoy)
    f["years_of_statements"] = np.where(count > 0, count, np.nan)
    f["altman_z2"] = (
        6.56 * safe_ratio(ca - cl, ta)
        + 3.26 * safe_ratio(last["retained_earnings"], ta)
        + 6.72 * safe_ratio(ebit, ta)
        + 1.05 * safe_ratio(equity, tl)
    )
    with np.errstate(invalid="ignore"):
        f["log_total_assets"] = np.log1p(np.where(ta >= 0, ta, np.nan))
        f["log_revenue"] = np.log1p(np.where(revenue >= 0, revenue, np.nan))
    f["ebitda"] = ebitda
    f["latest_fiscal_year"] = last["fiscal_year"]
    # How old the numbers are: a score on statements years old is flagged where it is shown.
    latest_end = groups.latest(statements["period_end"][order])
    f["statement_age_days"] = days_between(cutoff, latest_end)
    return f
