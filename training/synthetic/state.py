"""The generator's shared state: the seed's random stream, the calendar, and the firm-level
arrays each table's drawing reads and adds to."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from features import build_features, frames_to_portfolio
from training.synthetic.truth import DISTRESS_DRIVERS, Variant

Progress = Callable[[str], None]

FIRST_YEAR = 2019
LAST_YEAR = 2025
LABEL_DATES = ("2022-12-31", "2023-12-31", "2024-12-31")
RESTRUCTURING_DATES = ("2022-12-31", "2023-12-31", "2024-12-31")
CUTOFF = "2026-06-30"  # the data cut-off: the latest snapshot; cases arrive in the year before
MACRO = {2019: 0.0, 2020: -0.07, 2021: -0.03, 2022: 0.03, 2023: 0.02, 2024: 0.0, 2025: -0.01}
COVID = {2020: -0.10, 2021: -0.05, 2022: 0.05, 2023: 0.02}


def round_money(x: np.ndarray) -> np.ndarray:
    return np.round(x, 2)


class GeneratorState:
    """Arrays over firms, filled in as the tables are drawn (firms first, then statements,
    facilities, applications, outcomes and cases)."""

    size: np.ndarray
    ids: np.ndarray
    sector: np.ndarray
    province: np.ndarray
    founded: np.ndarray
    health: np.ndarray
    restructured_flag: np.ndarray
    revenue: np.ndarray
    revenue0: np.ndarray
    rate: np.ndarray
    firm_shock: np.ndarray
    sector_shock: pd.DataFrame
    past_restructured: np.ndarray
    ebitda: np.ndarray
    debt: np.ndarray
    book: pd.DataFrame
    _feasibility_parts: pd.DataFrame

    def __init__(
        self,
        businesses: int = 12_000,
        seed: int = 7,
        progress: Progress | None = None,
        variant: Variant | None = None,
    ):
        if businesses < 1:
            raise ValueError("businesses must be at least 1")
        self.variant = variant
        self.distress_drivers = DISTRESS_DRIVERS + (variant.drivers if variant else ())
        self.n = businesses
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.progress = progress or (lambda _msg: None)
        self.years = np.arange(FIRST_YEAR, LAST_YEAR + 1)

    def features_at(self, tables: dict[str, pd.DataFrame], as_of: str | pd.Series) -> pd.DataFrame:
        """Features of the tables drawn so far, with the sector shock of each as-of year."""
        portfolio = frames_to_portfolio(tables)
        features = build_features(portfolio, as_of, context=True, lines=self.variant is not None)
        if self.variant is not None:
            features = self.variant.add_ratios(features)
        year = pd.Series(as_of, index=features.index) if not isinstance(as_of, pd.Series) else as_of
        year = pd.to_datetime(year).dt.year.clip(upper=LAST_YEAR)
        shock = self.sector_shock.stack()
        keys = pd.MultiIndex.from_arrays([features["sector"].astype(str), year.to_numpy()])
        features["sector_shock"] = shock.reindex(keys).to_numpy()
        return features
