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
    """One term of a true model's log-odds.

    transform: "linear" (weight x clipped value), "log" (weight x log of the clipped value),
    "below" (weight where the value is under `low`), or "interaction" (weight x clipped value
    x the clipped `other` feature). Real credit risk has thresholds and interactions, and a
    linear scorecard cannot see them: they are what a tree model earns its keep on.
    """

    feature: str
    weight: float
    transform: str
    low: float = -np.inf
    high: float = np.inf
    missing: float = 0.0
    other: str | None = None
    other_low: float = -np.inf
    other_high: float = np.inf

    @property
    def label(self) -> str:
        if self.transform == "below":
            return f"{self.feature}<{self.low:g}"
        if self.transform == "interaction":
            return f"{self.feature}*{self.other}"
        return self.feature

    def contribution(self, frame: pd.DataFrame) -> pd.Series:
        raw = frame[self.feature].astype("float64")
        x = raw.clip(self.low, self.high)
        if self.transform == "log":
            x = np.log(x)
        elif self.transform == "below":
            x = (raw < self.low).astype("float64").where(raw.notna())
        elif self.transform == "interaction":
            x = x * frame[self.other].astype("float64").clip(self.other_low, self.other_high)
        return (self.weight * x).fillna(self.missing)


DISTRESS_INTERCEPT = -4.0
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
    Driver("dscr", 0.9, "below", low=1.0),
    Driver(
        "max_days_past_due",
        0.05,
        "interaction",
        0,
        89,
        other="liabilities_to_assets",
        other_low=0.0,
        other_high=1.0,
        missing=0.0,
    ),
)

FEASIBILITY_INTERCEPT = 1.4
FEASIBILITY_DRIVERS: tuple[Driver, ...] = (
    Driver("post_plan_dscr", 1.6, "log", 0.2, 6.0, missing=-0.6),
    Driver("collateral_cover", 0.9, "clip", 0.0, 1.5, missing=0.0),
    Driver("max_days_past_due", -0.02, "clip", 0, 360),
    Driver("firm_age", 0.03, "clip", 0, 30, missing=0.15),
    Driver("liabilities_to_assets", -0.8, "clip", 0.0, 1.8, missing=-0.5),
    Driver("sector_shock", 4.0, "linear"),
    Driver("post_plan_dscr", -0.9, "below", low=1.0, missing=0.0),
    Driver(
        "collateral_cover",
        0.02,
        "interaction",
        0.0,
        1.5,
        other="max_days_past_due",
        other_low=0,
        other_high=90,
    ),
)


@dataclass(frozen=True)
class Variant:
    """Another true distress model for tests: the default drivers plus drivers on ratios of
    statement lines as filed (`line_x` the latest statement's, `prior_line_x` the year
    before's), so that a test can ask whether a model finds what its feature library does not
    spell out."""

    name: str
    ratios: dict[str, tuple[str, str]]  # column -> (numerator, denominator)
    drivers: tuple[Driver, ...]

    def add_ratios(self, features: pd.DataFrame) -> pd.DataFrame:
        out = features.copy()
        for column, (numerator, denominator) in self.ratios.items():
            den = out[denominator].astype("float64")
            out[column] = out[numerator].astype("float64") / den.where(den != 0)
        return out


# Trade-credit dependence, cash flow against all liabilities, inventory building up.
UNSEEN_LINES = Variant(
    "unseen_lines",
    {
        "payables_to_current_liabilities": ("line_payables", "line_current_liabilities"),
        "cash_flow_to_total_liabilities": ("line_operating_cash_flow", "line_total_liabilities"),
        "inventory_to_prior": ("line_inventory", "prior_line_inventory"),
    },
    (
        Driver("payables_to_current_liabilities", 2.5, "clip", 0.0, 1.0),
        Driver("cash_flow_to_total_liabilities", -4.0, "clip", -0.5, 0.5),
        Driver("inventory_to_prior", 1.5, "log", 0.5, 3.0),
    ),
)
VARIANTS = {v.name: v for v in (UNSEEN_LINES,)}


def _logit(
    frame: pd.DataFrame, intercept: float, drivers: tuple[Driver, ...]
) -> tuple[pd.Series, pd.DataFrame]:
    parts = pd.DataFrame({d.label: d.contribution(frame) for d in drivers})
    return intercept + parts.sum(axis=1), parts


def distress_logit(
    features: pd.DataFrame, drivers: tuple[Driver, ...] = DISTRESS_DRIVERS
) -> tuple[pd.Series, pd.DataFrame]:
    """True log-odds of distress within 12 months, and each driver's contribution."""
    return _logit(features, DISTRESS_INTERCEPT, drivers)


def feasibility_logit(features: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """True log-odds that a plan performs for 12 months, and each driver's contribution."""
    return _logit(features, FEASIBILITY_INTERCEPT, FEASIBILITY_DRIVERS)


def sigmoid(x: np.ndarray | pd.Series) -> np.ndarray | pd.Series:
    return 1.0 / (1.0 + np.exp(-x))


def feature_contributions(parts: pd.DataFrame, drivers: tuple[Driver, ...]) -> pd.DataFrame:
    """Contributions per feature: a feature's own terms, plus half of each interaction."""
    out = pd.DataFrame(0.0, index=parts.index, columns=[])
    for d in drivers:
        shares = {d.feature: 0.5, d.other: 0.5} if d.other else {d.feature: 1.0}
        for name, share in shares.items():
            out[name] = out.get(name, 0.0) + share * parts[d.label]
    return out


def driver_table(model: str, parts: pd.DataFrame, drivers: tuple[Driver, ...]) -> pd.DataFrame:
    """The documented driver list, ranked by each feature's spread of contributions."""
    spread = feature_contributions(parts, drivers).std(ddof=0)
    rows = [
        {
            "model": model,
            "term": d.label,
            "feature": d.feature,
            "other_feature": d.other or "",
            "weight": d.weight,
            "transform": d.transform,
            "low": d.low,
            "high": d.high,
            "missing_contribution": d.missing,
            "feature_contribution_std": round(float(spread[d.feature]), 6),
        }
        for d in drivers
    ]
    table = pd.DataFrame(rows)
    order = spread.sort_values(ascending=False, kind="stable")
    rank = {name: i + 1 for i, name in enumerate(order.index)}
    table["feature_rank"] = table["feature"].map(rank)
    return table.sort_values(["feature_rank", "term"], kind="stable").reset_index(drop=True)
