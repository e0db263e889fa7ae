"""Labelled training rows: features at each outcome's as-of date, by the one feature code path."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features import Portfolio, build_features
from features.plan import plan_features

KEY = ["business_id", "as_of"]


@dataclass
class Dataset:
    """Feature rows with their label; `keys` says which business and date each row is."""

    frame: pd.DataFrame  # features (+ context), one row per labelled outcome
    y: pd.Series
    keys: pd.DataFrame  # business_id, as_of (and restructuring_id for plans)

    def __len__(self) -> int:
        return len(self.y)

    def take(self, mask: np.ndarray | pd.Series) -> Dataset:
        return Dataset(
            self.frame[mask].reset_index(drop=True),
            self.y[mask].reset_index(drop=True),
            self.keys[mask].reset_index(drop=True),
        )


def concat_datasets(*parts: Dataset) -> Dataset:
    return Dataset(
        pd.concat([p.frame for p in parts], ignore_index=True),
        pd.concat([p.y for p in parts], ignore_index=True),
        pd.concat([p.keys for p in parts], ignore_index=True),
    )


def _features_at(portfolio: Portfolio, rows: pd.DataFrame, date_column: str) -> pd.DataFrame:
    """Features for each (business, date) row. A business appears at most once per call, so
    rows are processed in rounds: the first date of every business, then the second, ..."""
    rows = rows.reset_index(drop=True)
    round_no = rows.groupby("business_id").cumcount()
    parts = []
    for k in sorted(round_no.unique()):
        chunk = rows[round_no == k]
        dates = chunk.set_index("business_id")[date_column]
        sub = portfolio.subset(dates.index)
        features = build_features(sub, dates, context=True, lines=True).loc[dates.index]
        parts.append(features.set_index(chunk.index))
    return pd.concat(parts).sort_index()


def distress_dataset(portfolio: Portfolio) -> Dataset:
    labelled = portfolio.outcomes[portfolio.outcomes["distress_12m"].notna()]
    labelled = labelled.sort_values(KEY, kind="stable").reset_index(drop=True)
    frames = []
    for as_of, rows in labelled.groupby("as_of", sort=True):
        features = build_features(portfolio, as_of, context=True, lines=True)
        frames.append(features.loc[rows["business_id"]].set_index(rows.index))
    frame = pd.concat(frames).sort_index() if frames else pd.DataFrame()
    y = labelled["distress_12m"].astype(int)
    return Dataset(frame, y, labelled[KEY].copy())


def feasibility_dataset(portfolio: Portfolio) -> Dataset:
    plans = portfolio.outcomes[
        portfolio.outcomes["restructuring_id"].notna()
        & portfolio.outcomes["performing_12m"].notna()
    ]
    plans = plans.sort_values(["restructured_at", "restructuring_id"], kind="stable")
    plans = plans.reset_index(drop=True)
    if plans.empty:
        return Dataset(pd.DataFrame(), pd.Series(dtype=int), plans[KEY].copy())
    dates = plans["restructured_at"].fillna(plans["as_of"])
    base = _features_at(portfolio, plans.assign(_at=dates), "_at")
    frame = plan_features(base, plans)
    y = plans["performing_12m"].astype(int)
    keys = plans[["business_id", "restructuring_id"]].assign(as_of=dates)
    return Dataset(frame, y, keys)


__all__ = ["Dataset", "concat_datasets", "distress_dataset", "feasibility_dataset"]
