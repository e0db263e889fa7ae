"""Point-in-time helpers: what each business could see at its as-of date."""

from __future__ import annotations

import numpy as np
import pandas as pd

AsOf = str | pd.Timestamp | pd.Series
# How a date is written wherever a person types one: command options, forms, files.
DATE_FORMATS = ["%Y-%m-%d"]
# A latest statement older than this is stale: eighteen months, as last year's statements
# are due by May.
STALE_AFTER_DAYS = 548


def as_of_dates(business_ids: pd.Index, as_of: str | pd.Timestamp | pd.Series) -> np.ndarray:
    """One datetime64[ns] as-of date per business: a scalar is broadcast, a Series is aligned on
    business_id."""
    if isinstance(as_of, pd.Series):
        dates = pd.to_datetime(as_of).reindex(business_ids)
        if dates.isna().any():
            missing = list(dates[dates.isna()].index[:5])
            raise ValueError(f"no as-of date for business_id {missing}")
        values: np.ndarray = dates.to_numpy("datetime64[ns]")
        return values
    return np.full(len(business_ids), pd.Timestamp(as_of).to_datetime64(), dtype="datetime64[ns]")


def visible(dates: np.ndarray, codes: np.ndarray, cutoff: np.ndarray) -> np.ndarray:
    """Rows of a known business (code >= 0) dated on or before that business's as-of date."""
    known = codes >= 0
    if not known.any():
        return known
    return known & (dates <= cutoff[np.where(known, codes, 0)])


def safe_ratio(
    numerator: pd.Series | np.ndarray, denominator: pd.Series | np.ndarray
) -> np.ndarray:
    """numerator / denominator, NaN (never inf, never 0) where the denominator is 0 or missing."""
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = num / np.where(den != 0, den, np.nan)
    return np.where(np.isfinite(out), out, np.nan)


def positive_ratio(
    numerator: pd.Series | np.ndarray, denominator: pd.Series | np.ndarray
) -> np.ndarray:
    """A ratio that only means something over a positive base (growth, debt/EBITDA)."""
    den = np.asarray(denominator, dtype="float64")
    with np.errstate(invalid="ignore"):
        return safe_ratio(numerator, np.where(den > 0, den, np.nan))
