"""Ratios from financial statements, following the accounting conventions of the design brief.

EBIT = revenue - cost_of_sales - operating_expenses (which include depreciation);
EBITDA = EBIT + depreciation; debt = short_term_debt + long_term_debt (or, where the split is
missing, total liabilities less payables: `features.ratios.fill_lines`); 365-day year. The core
ratios are here, the rest of the library in `features.ratios`.
"""

from __future__ import annotations

import numpy as np

from features.asof import positive_ratio, safe_ratio, visible
from features.columns import Columns, Groups, days_between, group_ends, spread, take
from features.ratios import DAYS_PER_YEAR, fill_lines, library_ratios
from features.schema import STATEMENT_AMOUNTS_NONNEGATIVE, STATEMENT_AMOUNTS_SIGNED

AMOUNTS = (*STATEMENT_AMOUNTS_NONNEGATIVE, *STATEMENT_AMOUNTS_SIGNED)
LINES = ("fiscal_year", "period_end", *AMOUNTS)
# Every amount line of the latest statement and of the year before, as filed: what the
# brute-force reference of a training run combines (training.reference), never a model feature.
LINE_COLUMNS = tuple(f"{when}_{line}" for when in ("line", "prior_line") for line in AMOUNTS)


def statement_features(statements: Columns, codes: np.ndarray, cutoff: np.ndarray) -> Columns:
    """One value per business (NaN where it has no visible statement) for each feature.

    `codes` gives each statement row's business position, `cutoff` each business's as-of date.
    """
    n = len(cutoff)
    seen = np.flatnonzero(visible(statements["period_end"], codes, cutoff))
    order = seen[np.lexsort((statements["fiscal_year"][seen], codes[seen]))]
    rows = fill_lines(take({k: statements[k] for k in LINES}, order))
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
    prior = {
        k: np.where(has_prev, spread(v[ends - 1], owners, n), np.nan)
        for k, v in rows.items()
        if k != "period_end"
    }
    prev_revenue, prev_ebitda = prior["revenue"], prior["ebitda"]

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
    f.update(library_ratios(last, prior))
    for line in AMOUNTS:
        f[f"line_{line}"] = last[line]
        f[f"prior_line_{line}"] = prior[line]
    return f
