"""The true outcome models of the synthetic portfolio.

Outcomes are drawn from logistic models of *observable* drivers, computed by the project's own
feature pipeline at the as-of date, plus the sector's shock in the as-of year. Because the truth
uses what a model can see, the true probabilities are the best any model could do, and the gap
between a trained model and them measures the model, not the data.

Each driver is a transformed feature times a weight; a missing driver takes a fixed contribution
(`missing`) stated next to it, so missing statements carry their own risk as they do in practice.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Driver:
    feature: str
    weight: float
    transform: str  # "linear", "log", "clip" (linear within [low, high])
    low: float = -np.inf
    high: float = np.inf
    missing: float = 0.0

    def contribution(self, values: pd.Series) -> pd.Series:
        x = values.astype("float64").clip(self.low, self.high)
        if self.transform == "log":
            x = np.log(x)
        return (self.weight * x).fillna(self.missing)


DISTRESS_INTERCEPT = -3.5
DISTRESS_DRIVERS: tuple[Driver, ...] = (
    Driver("max_days_past_due", 0.035, "clip", 0, 89),
    Driver("dscr", -0.75, "log", 0.1, 8.0, missing=0.35),
    Driver("liabilities_to_assets", 1.6, "clip", 0.0, 1.8, missing=0.9),
    Driver("revenue_growth", -2.2, "clip", -0.6, 0.6, missing=0.0),
    Driver("current_ratio", -0.55, "log", 0.1, 8.0, missing=0.0),
    Driver("ebitda_margin", -2.5, "clip", -0.5, 0.5, missing=-0.15),
    Driver("share_informal_debt", 0.9, "clip", 0.0, 1.0),
    Driver("n_rejections_24m", 0.3, "clip", 0, 3),
    Driver("sector_shock", -3.0, "linear"),
)

FEASIBILITY_INTERCEPT = 0.9
FEASIBILITY_DRIVERS: tuple[Driver, ...] = (
    Driver("post_plan_dscr", 1.6, "log", 0.2, 6.0, missing=-0.6),
    Driver("collateral_cover", 0.9, "clip", 0.0, 1.5, missing=0.0),
    Driver("max_days_past_due", -0.02, "clip", 0, 360),
    Driver("firm_age", 0.03, "clip", 0, 30, missing=0.15),
    Driver("liabilities_to_assets", -0.8, "clip", 0.0, 1.8, missing=-0.5),
    Driver("sector_shock", 4.0, "linear"),
)


def _logit(frame: pd.DataFrame, intercept: float, drivers: tuple[Driver, ...]):
    parts = pd.DataFrame({d.feature: d.contribution(frame[d.feature]) for d in drivers})
    return intercept + parts.sum(axis=1), parts


def distress_logit(features: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """True log-odds of distress within 12 months, and each driver's contribution."""
    return _logit(features, DISTRESS_INTERCEPT, DISTRESS_DRIVERS)


def feasibility_logit(features: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """True log-odds that a plan performs for 12 months, and each driver's contribution."""
    return _logit(features, FEASIBILITY_INTERCEPT, FEASIBILITY_DRIVERS)


def sigmoid(x: np.ndarray | pd.Series) -> np.ndarray | pd.Series:
    return 1.0 / (1.0 + np.exp(-x))


def driver_table(model: str, parts: pd.DataFrame, drivers: tuple[Driver, ...]) -> pd.DataFrame:
    """The documented driver list with each driver's spread of contributions on this data."""
    spread = parts.std(ddof=0)
    rows = [
        {
            "model": model,
            "feature": d.feature,
            "weight": d.weight,
            "transform": d.transform,
            "low": d.low,
            "high": d.high,
            "missing_contribution": d.missing,
            "contribution_std": round(float(spread[d.feature]), 6),
        }
        for d in drivers
    ]
    table = pd.DataFrame(rows).sort_values("contribution_std", ascending=False, kind="stable")
    table["rank"] = np.arange(1, len(table) + 1)
    return table.reset_index(drop=True)
