"""Point-in-time helpers: what each business could see at its as-of date."""

from __future__ import annotations

import numpy as np
import pandas as pd

AsOf = str | pd.Timestamp | pd.Series


def as_of_series(business_ids: pd.Index, as_of: AsOf) -> pd.Series:
    """One as-of date per business: a scalar is broadcast, a Series is aligned on business_id."""
    if isinstance(as_of, pd.Series):
        dates = pd.to_datetime(as_of).reindex(business_ids)
        if dates.isna().any():
            missing = list(dates[dates.isna()].index[:5])
            raise ValueError(f"no as-of date for business_id {missing}")
    else:
        dates = pd.Series(pd.Timestamp(as_of), index=business_ids)
    return dates.astype("datetime64[ns]").rename("as_of")


def visible(frame: pd.DataFrame, date_column: str, as_of: pd.Series) -> pd.DataFrame:
    """Rows of `frame` dated on or before their business's as-of date."""
    if frame.empty:  # pandas names an empty join's index after the key, clashing with it
        return frame
    joined = frame.join(as_of.rename("_cutoff"), on="business_id", how="inner")
    return joined[joined[date_column] <= joined["_cutoff"]].drop(columns="_cutoff")


def _values(x: pd.Series | np.ndarray) -> np.ndarray:
    return x.to_numpy(dtype="float64", na_value=np.nan) if isinstance(x, pd.Series) else x


def safe_ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN (never inf, never 0) where the denominator is 0 or missing.

    Computed on NumPy arrays: a pandas operation costs about a millisecond of fixed overhead,
    which dominates when one business is scored.
    """
    num, den = _values(numerator), _values(denominator)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / np.where(den != 0, den, np.nan)
    out[~np.isfinite(out)] = np.nan
    return pd.Series(out, index=numerator.index)


def positive_ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """A ratio that only means something over a positive base (growth, debt/EBITDA)."""
    den = _values(denominator)
    return safe_ratio(numerator, np.where(den > 0, den, np.nan))
