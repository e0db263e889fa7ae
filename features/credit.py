"""Credit-behaviour features from the latest facility snapshot visible at the as-of date.

A business's facilities are those of its most recent snapshot dated on or before the as-of date:
taking each facility's own latest row instead would resurrect facilities repaid since.
"""

from __future__ import annotations

import pandas as pd

from features.asof import safe_ratio, visible

COLUMNS = (
    "n_facilities",
    "total_outstanding",
    "annual_debt_service",
    "max_days_past_due",
    "share_informal_debt",
    "collateral_cover",
    "restructured_before",
    "weighted_rate",
)


def current_facilities(debts: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """The facility rows of each business's latest visible snapshot."""
    seen = visible(debts, "as_of", as_of)
    if seen.empty:
        return seen
    latest = seen.groupby("business_id")["as_of"].transform("max")
    return seen[seen["as_of"] == latest]


def credit_features(debts: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """One row per business with facilities on record; index business_id."""
    facilities = current_facilities(debts, as_of)
    if facilities.empty:
        return pd.DataFrame(columns=list(COLUMNS), index=pd.Index([], name="business_id"))
    outstanding = facilities["outstanding"].astype("float64")
    frame = pd.DataFrame(
        {
            "business_id": facilities["business_id"],
            "outstanding": outstanding,
            "informal": outstanding.where(facilities["facility_type"] == "informal", 0.0),
            "installment": facilities["monthly_installment"].astype("float64"),
            "dpd": facilities["days_past_due"].astype("float64"),
            "collateral": facilities["collateral_value"].astype("float64"),
            "restructured": facilities["restructured_before"].astype("float64"),
            "rate_x_outstanding": facilities["annual_rate"].astype("float64") * outstanding,
            "rated_outstanding": outstanding.where(facilities["annual_rate"].notna()),
        }
    )
    g = frame.groupby("business_id", sort=False)
    sums = g.sum(min_count=1)
    f = pd.DataFrame(index=sums.index)
    f["n_facilities"] = g.size().astype("float64")
    f["total_outstanding"] = sums["outstanding"]
    f["annual_debt_service"] = 12.0 * sums["installment"]
    f["max_days_past_due"] = g["dpd"].max()
    f["share_informal_debt"] = safe_ratio(sums["informal"], sums["outstanding"])
    f["collateral_cover"] = safe_ratio(sums["collateral"], sums["outstanding"])
    f["restructured_before"] = g["restructured"].max()
    f["weighted_rate"] = safe_ratio(sums["rate_x_outstanding"], sums["rated_outstanding"])
    return f
