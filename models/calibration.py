"""Platt calibration of a booster's raw log-odds.

A monotone affine map in log-odds space keeps the ranking (AUC) and keeps SHAP additivity: the
calibrated log-odds are `slope * (base + sum of contributions) + intercept`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class PlattCalibrator:
    slope: float = 1.0
    intercept: float = 0.0

    @classmethod
    def fit(cls, raw_score: ArrayLike, y: ArrayLike) -> PlattCalibrator:
        from sklearn.linear_model import LogisticRegression  # a second to import; scoring
        # only applies the fitted map

        x = np.asarray(raw_score, dtype=float).reshape(-1, 1)
        model = LogisticRegression(C=1e6, max_iter=1000).fit(x, np.asarray(y, dtype=int))
        return cls(float(model.coef_[0, 0]), float(model.intercept_[0]))

    def log_odds(self, raw_score: ArrayLike) -> np.ndarray:
        return self.slope * np.asarray(raw_score, dtype=float) + self.intercept

    def probability(self, raw_score: ArrayLike) -> np.ndarray:
        probability: np.ndarray = 1.0 / (1.0 + np.exp(-self.log_odds(raw_score)))
        return probability

    def to_dict(self) -> dict[str, Any]:
        return {"method": "platt", "slope": self.slope, "intercept": self.intercept}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlattCalibrator:
        return cls(float(data["slope"]), float(data["intercept"]))
