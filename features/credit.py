"""Credit-behaviour features from the latest facility snapshot visible at the as-of date.

A business's facilities are those of its most recent snapshot dated on or before the as-of date:
taking each facility's own latest row instead would resurrect facilities repaid since.
"""

from __future__ import annotations

import numpy as np

from features.asof import safe_ratio, visible
from features.columns import Columns, Groups


def current_facilities(debts: Columns, codes: np.ndarray, cutoff: np.ndarray) -> np.ndarray:
    """Rows of each business's latest visible snapshot."""
    seen = np.flatnonzero(visible(debts["as_of"], codes, cutoff))
    latest = Groups(codes[seen], len(cutoff)).latest(debts["as_of"][seen])
    rows: np.ndarray = seen[debts["as_of"][seen] == latest[codes[seen]]]
    return rows


def credit_features(debts: Columns, codes: np.ndarray, cutoff: np.ndarray) -> Columns:
    """One value per business (NaN where it has no facility on record) for each feature."""
    rows = current_facilities(debts, codes, cutoff)
    g = Groups(codes[rows], len(cutoff))
    outstanding = debts["outstanding"][rows]
    rate = debts["annual_rate"][rows]
    informal = np.where(debts["facility_type"][rows] == "informal", outstanding, 0.0)
    total = g.sum(outstanding)
    count = g.size()
    f: Columns = {}
    f["n_facilities"] = np.where(count > 0, count, np.nan)
    f["total_outstanding"] = total
    f["annual_debt_service"] = 12.0 * g.sum(debts["monthly_installment"][rows])
    f["max_days_past_due"] = g.max(debts["days_past_due"][rows])
    f["share_informal_debt"] = safe_ratio(g.sum(informal), total)
    f["collateral_cover"] = safe_ratio(g.sum(debts["collateral_value"][rows]), total)
    f["restructured_before"] = g.max(debts["restructured_before"][rows])
    f["weighted_rate"] = safe_ratio(
        g.sum(rate * outstanding), g.sum(np.where(np.isnan(rate), np.nan, outstanding))
    )
    return f
