"""Portfolio tables + as-of date -> one feature row per business. The only feature code path:
training, batch scoring and the API all call `build_features`."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from features.applications import application_features
from features.asof import AsOf, as_of_series, safe_ratio
from features.credit import credit_features
from features.portfolio import Portfolio
from features.registry import FEATURE_NAMES
from features.schema import REGIONS, SECTORS
from features.statements import statement_features

# Zero is the true value of these counts when the table was supplied and a business has no rows.
_CREDIT_ZERO = (
    "n_facilities",
    "total_outstanding",
    "annual_debt_service",
    "max_days_past_due",
    "restructured_before",
)
_APPLICATION_ZERO = (
    "n_applications_24m",
    "n_rejections_24m",
    "pending_days_max",
    "has_stalled_application",
)
# Columns returned beside the features for the plan engine and reports, never fed to a model.
CONTEXT_COLUMNS = ("ebitda", "latest_fiscal_year")


def build_features(
    portfolio: Portfolio,
    as_of: AsOf,
    *,
    sla_days: Mapping[str, int] | int | None = None,
    context: bool = False,
) -> pd.DataFrame:
    """Features of every business at `as_of` (a date, or a Series of dates by business_id).

    Only rows dated on or before a business's as-of date are read. Missing inputs and zero
    denominators give NaN; counts are zero only where their table was supplied.
    """
    businesses = portfolio.businesses.set_index("business_id")
    ids = pd.Index(businesses.index, name="business_id")
    dates = as_of_series(ids, as_of)

    stmt = statement_features(portfolio.financial_statements, dates).reindex(ids)
    credit = credit_features(portfolio.debts, dates).reindex(ids)
    apps = application_features(
        portfolio.loan_applications, portfolio.application_status_history, dates, sla_days
    ).reindex(ids)

    if "debts" in portfolio.supplied:
        credit[list(_CREDIT_ZERO)] = credit[list(_CREDIT_ZERO)].fillna(0.0)
    if "loan_applications" in portfolio.supplied:
        apps[list(_APPLICATION_ZERO)] = apps[list(_APPLICATION_ZERO)].fillna(0.0)

    out = pd.concat([stmt, credit, apps], axis=1)
    out = out.reindex(columns=sorted(set(out.columns) | set(FEATURE_NAMES) | set(CONTEXT_COLUMNS)))
    out["dscr"] = safe_ratio(out["ebitda"], out["annual_debt_service"])
    out["has_statements"] = out["years_of_statements"].notna().astype("float64")
    out["years_of_statements"] = out["years_of_statements"].fillna(0.0)
    founded = businesses["founded_year"].astype("float64")
    age = dates.dt.year.astype("float64") - founded
    out["firm_age"] = age.where(age >= 0)
    out["employees"] = businesses["employees"].astype("float64")
    out["sector"] = pd.Categorical(businesses["sector"], categories=list(SECTORS))
    out["region"] = pd.Categorical(businesses["region"], categories=list(REGIONS))

    numeric = [c for c in out.columns if c not in ("sector", "region")]
    out[numeric] = out[numeric].astype("float64").replace([np.inf, -np.inf], np.nan)
    columns = FEATURE_NAMES + (list(CONTEXT_COLUMNS) if context else [])
    result = out[columns].copy()
    result.index.name = "business_id"
    return result
