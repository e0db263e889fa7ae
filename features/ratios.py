"""The ratio library's values (`features.ratio_library` declares them), from the latest
statement and the one of the year before; NaN wherever an input line is missing or a
denominator is zero, never zero in its place."""

from __future__ import annotations

import numpy as np

from features.asof import positive_ratio, safe_ratio
from features.columns import Columns

DAYS_PER_YEAR = 365.0


def _known(*values: np.ndarray) -> np.ndarray:
    known: np.ndarray = np.logical_and.reduce([~np.isnan(v) for v in values])
    return known


EBITDA_LINES = ("revenue", "cost_of_sales", "operating_expenses", "depreciation")


def earnings(lines: Columns) -> Columns:
    """EBIT and EBITDA from the income lines (NaN where one is missing)."""
    ebit = lines["revenue"] - lines["cost_of_sales"] - lines["operating_expenses"]
    return {"ebit": ebit, "ebitda": ebit + lines["depreciation"]}


def fill_lines(lines: Columns) -> Columns:
    """EBIT, EBITDA and debt beside the statement lines, with coarser lines standing in for
    missing finer ones, and a flag (1.0, 0.0, or NaN where neither was there) for each stand-in:
    debt from total liabilities less payables, operating cash flow from net income plus
    depreciation (funds from operations), current assets from cash, receivables and inventory."""
    out = {**lines, **earnings(lines)}
    for line, stand_in, flag in (
        ("debt", lines["short_term_debt"] + lines["long_term_debt"], "debt_estimated"),
        ("operating_cash_flow", lines["operating_cash_flow"], "cash_flow_estimated"),
        ("current_assets", lines["current_assets"], "current_assets_estimated"),
    ):
        coarse = {
            "debt": lines["total_liabilities"] - lines["payables"],
            "operating_cash_flow": lines["net_income"] + lines["depreciation"],
            "current_assets": lines["cash"] + lines["receivables"] + lines["inventory"],
        }[line]
        use = np.isnan(stand_in) & ~np.isnan(coarse)
        out[line] = np.where(use, coarse, stand_in)
        out[flag] = np.where(_known(out[line]), use * 1.0, np.nan)
    return out


def _growth(now: np.ndarray, before: np.ndarray) -> np.ndarray:
    return positive_ratio(now, before) - 1.0


def library_ratios(last: Columns, prior: Columns) -> Columns:
    """Every ratio of the library for each business: `last` holds the latest statement's
    (filled) lines, `prior` the year before's (NaN where there is none)."""
    revenue, cos, opex = last["revenue"], last["cost_of_sales"], last["operating_expenses"]
    ta, tl, equity = last["total_assets"], last["total_liabilities"], last["equity"]
    ca, cl, cash = last["current_assets"], last["current_liabilities"], last["cash"]
    ni, ocf, debt = last["net_income"], last["operating_cash_flow"], last["debt"]
    ebit, ebitda, interest = last["ebit"], last["ebitda"], last["interest_expense"]
    ebt = ni + last["tax_expense"]
    wc = ca - cl
    positive_equity = np.where(equity > 0, equity, np.nan)
    cash_costs = (cos + opex - last["depreciation"]) / DAYS_PER_YEAR
    losses = np.where(_known(ni, prior["net_income"]), (ni < 0) & (prior["net_income"] < 0), np.nan)
    ni_change = safe_ratio(ni - prior["net_income"], np.abs(ni) + np.abs(prior["net_income"]))
    margin = safe_ratio(ebitda, revenue)

    f: Columns = {}
    f["gross_margin"] = safe_ratio(revenue - cos, revenue)
    f["operating_margin"] = safe_ratio(ebit, revenue)
    f["pretax_margin"] = safe_ratio(ebt, revenue)
    f["ebit_to_assets"] = safe_ratio(ebit, ta)
    f["retained_earnings_to_assets"] = safe_ratio(last["retained_earnings"], ta)
    f["roe"] = safe_ratio(ni, positive_equity)
    f["loss_two_years"] = losses * 1.0
    f["debt_to_assets"] = safe_ratio(debt, ta)
    f["short_term_debt_share"] = safe_ratio(last["short_term_debt"], debt)
    f["current_liabilities_to_assets"] = safe_ratio(cl, ta)
    f["fixed_assets_to_equity"] = safe_ratio(last["fixed_assets"], positive_equity)
    f["ebitda_interest_coverage"] = safe_ratio(ebitda, interest)
    f["cash_flow_interest_coverage"] = safe_ratio(ocf + interest, interest)
    f["cash_flow_to_liabilities"] = safe_ratio(ocf, tl)
    f["cash_flow_to_current_liabilities"] = safe_ratio(ocf, cl)
    f["net_debt_to_ebitda"] = positive_ratio(debt - cash, ebitda)
    f["cash_to_assets"] = safe_ratio(cash, ta)
    f["current_assets_to_assets"] = safe_ratio(ca, ta)
    f["inventory_to_current_assets"] = safe_ratio(last["inventory"], ca)
    f["working_capital_to_revenue"] = safe_ratio(wc, revenue)
    f["no_credit_interval"] = positive_ratio(ca - last["inventory"] - cl, cash_costs)
    f["cash_days"] = positive_ratio(cash, cash_costs)
    f["fixed_asset_turnover"] = safe_ratio(revenue, last["fixed_assets"])
    f["operating_expense_ratio"] = safe_ratio(opex, revenue)
    f["interest_to_revenue"] = safe_ratio(interest, revenue)
    f["payables_days_of_revenue"] = safe_ratio(last["payables"], revenue) * DAYS_PER_YEAR
    for line, name in (
        ("total_assets", "assets_growth"), ("debt", "debt_growth"),
        ("receivables", "receivables_growth"), ("inventory", "inventory_growth"),
        ("payables", "payables_growth"), ("cash", "cash_growth"),
        ("current_liabilities", "current_liabilities_growth"),
        ("operating_expenses", "operating_expenses_growth"),
    ):  # fmt: skip
        f[name] = _growth(last[line], prior[line])
    f["equity_change_to_assets"] = safe_ratio(equity - prior["equity"], ta)
    f["net_income_change"] = ni_change
    f["margin_change"] = margin - safe_ratio(prior["ebitda"], prior["revenue"])
    f["cash_flow_margin"] = safe_ratio(ocf, revenue)
    f["cash_flow_to_assets"] = safe_ratio(ocf, ta)
    f["capex_to_revenue"] = safe_ratio(last["capex"], revenue)
    f["capex_to_depreciation"] = safe_ratio(last["capex"], last["depreciation"])
    f["free_cash_flow_to_debt"] = safe_ratio(ocf - last["capex"], debt)
    f["accruals_to_assets"] = safe_ratio(ni - ocf, ta)

    x1, x2, x3 = safe_ratio(wc, ta), safe_ratio(last["retained_earnings"], ta), f["ebit_to_assets"]
    x4, x5 = safe_ratio(equity, tl), safe_ratio(revenue, ta)
    f["altman_z"] = 1.2 * x1 + 1.4 * x2 + 3.3 * x3 + 0.6 * x4 + 1.0 * x5
    f["altman_z1"] = 0.717 * x1 + 0.847 * x2 + 3.107 * x3 + 0.420 * x4 + 0.998 * x5
    with np.errstate(invalid="ignore", divide="ignore"):
        size = np.log(np.where(ta > 0, ta / 1e6, np.nan))
    insolvent = np.where(_known(tl, ta), tl > ta, np.nan) * 1.0
    f["ohlson_o"] = (
        -1.32 - 0.407 * size + 6.03 * safe_ratio(tl, ta) - 1.43 * x1
        + 0.0757 * safe_ratio(cl, ca) - 1.72 * insolvent - 2.37 * safe_ratio(ni, ta)
        - 1.83 * safe_ratio(ocf, tl) + 0.285 * f["loss_two_years"] - 0.521 * ni_change
    )  # fmt: skip
    f["zmijewski"] = (
        -4.336 - 4.513 * safe_ratio(ni, ta) + 5.679 * safe_ratio(tl, ta)
        + 0.004 * safe_ratio(ca, cl)
    )  # fmt: skip
    f["springate"] = 1.03 * x1 + 3.07 * x3 + 0.66 * safe_ratio(ebt, cl) + 0.4 * x5
    f["taffler"] = (
        3.20 + 12.18 * safe_ratio(ebt, cl) + 2.50 * safe_ratio(ca, tl)
        - 10.68 * safe_ratio(cl, ta) + 0.029 * f["no_credit_interval"]
    )  # fmt: skip
    for flag in ("debt_estimated", "cash_flow_estimated", "current_assets_estimated"):
        f[flag] = last[flag]
    return f
