"""Portfolio tables + as-of date -> one feature row per business. The only feature code path:
training, batch scoring and the API all call `feature_columns`, through `build_features` for a
portfolio of frames."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from features.applications import application_features
from features.asof import AsOf, as_of_dates, safe_ratio
from features.columns import Columns, frame_columns, positions
from features.credit import credit_features
from features.portfolio import Portfolio
from features.registry import CATEGORIES, COMPOSITE_NAMES, FEATURE_NAMES
from features.statements import LINE_COLUMNS, LINES, statement_features

# The columns each table contributes to the features.
INPUTS: dict[str, tuple[str, ...]] = {
    "businesses": ("business_id", "founded_year", "employees", "sector", "region"),
    "financial_statements": ("business_id", *LINES),
    "debts": (
        "business_id",
        "as_of",
        "facility_type",
        "outstanding",
        "monthly_installment",
        "days_past_due",
        "collateral_value",
        "restructured_before",
        "annual_rate",
    ),
    "loan_applications": (
        "business_id",
        "application_id",
        "lender",
        "status",
        "submitted_at",
        "status_changed_at",
        "decided_at",
    ),
    "application_status_history": ("application_id", "status", "changed_at"),
}
# The tables scoring reads: the others (cases, outcomes) are not the features' to check.
SCORED_TABLES = tuple(INPUTS)
# The tables a business payload carries; a payload supplies each of them, empty or not.
FEATURE_TABLES = frozenset(("businesses", "financial_statements", "debts", "loan_applications"))
# Zero is the true value of these counts when the table was supplied and a business has no rows.
_ZERO_WHEN_SUPPLIED = {
    "debts": (
        "n_facilities",
        "total_outstanding",
        "annual_debt_service",
        "max_days_past_due",
        "restructured_before",
    ),
    "loan_applications": (
        "n_applications_24m",
        "n_rejections_24m",
        "pending_days_max",
        "has_stalled_application",
    ),
}
# Columns returned beside the features for the plan engine and reports, never fed to a model.
CONTEXT_COLUMNS = ("ebitda", "latest_fiscal_year")


def _zero_if_missing(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), 0.0, values)


def feature_columns(
    tables: Mapping[str, Columns],
    supplied: frozenset[str] | set[str],
    as_of: np.ndarray,
    *,
    sla_days: Mapping[str, int] | int | None = None,
) -> Columns:
    """Features (and context columns) of every business, one array each in business order.

    `tables` hold at least the INPUTS columns; `as_of` is one datetime64[ns] per business. Only
    rows dated on or before a business's as-of date are read. Missing inputs and zero
    denominators give NaN; counts are zero only where their table was supplied. Categorical
    features are text.
    """
    businesses = tables["businesses"]
    ids = businesses["business_id"]

    def codes(name: str) -> np.ndarray:
        return positions(ids, tables[name]["business_id"])

    out: Columns = {
        **statement_features(tables["financial_statements"], codes("financial_statements"), as_of),
        **credit_features(tables["debts"], codes("debts"), as_of),
        **application_features(
            tables["loan_applications"],
            tables["application_status_history"],
            codes("loan_applications"),
            as_of,
            sla_days,
        ),
    }
    for table, names in _ZERO_WHEN_SUPPLIED.items():
        if table in supplied:
            for name in names:
                out[name] = _zero_if_missing(out[name])
    out["dscr"] = safe_ratio(out["ebitda"], out["annual_debt_service"])
    out["has_statements"] = (~np.isnan(out["years_of_statements"])) * 1.0
    out["years_of_statements"] = _zero_if_missing(out["years_of_statements"])
    age = as_of.astype("datetime64[Y]").astype("float64") + 1970.0 - businesses["founded_year"]
    with np.errstate(invalid="ignore"):
        out["firm_age"] = np.where(age >= 0, age, np.nan)
    out["employees"] = businesses["employees"]
    out = {name: np.where(np.isinf(v), np.nan, v) for name, v in out.items()}
    for name, categories in CATEGORIES.items():
        out[name] = np.array([v if v in categories else None for v in businesses[name]], object)
    missing = [name for name in FEATURE_NAMES + COMPOSITE_NAMES if name not in out]
    if missing:
        raise KeyError(f"registered features without code: {missing}")
    return out


def portfolio_columns(portfolio: Portfolio) -> dict[str, Columns]:
    """The INPUTS columns of a portfolio's tables."""
    return {name: frame_columns(portfolio.tables[name], cols) for name, cols in INPUTS.items()}


def features_frame(columns: Columns, business_ids: pd.Index, names: list[str]) -> pd.DataFrame:
    """Feature columns as a frame indexed by business_id, categoricals with fixed categories."""
    data = {
        name: pd.Categorical(columns[name], categories=list(CATEGORIES[name]))
        if name in CATEGORIES
        else columns[name]
        for name in names
    }
    return pd.DataFrame(data, index=pd.Index(business_ids, name="business_id"))


def build_features(
    portfolio: Portfolio,
    as_of: AsOf,
    *,
    sla_days: Mapping[str, int] | int | None = None,
    context: bool = False,
    lines: bool = False,
) -> pd.DataFrame:
    """Features of every business at `as_of` (a date, or a Series of dates by business_id);
    with `context` the CONTEXT_COLUMNS too, with `lines` the LINE_COLUMNS."""
    ids = pd.Index(portfolio.businesses["business_id"], name="business_id")
    columns = feature_columns(
        portfolio_columns(portfolio),
        portfolio.supplied,
        as_of_dates(ids, as_of),
        sla_days=sla_days,
    )
    names = FEATURE_NAMES + (list(CONTEXT_COLUMNS) + COMPOSITE_NAMES if context else [])
    names += list(LINE_COLUMNS) if lines else []
    return features_frame(columns, ids, names)
