"""A trained model ready to score: booster, calibration and feature list, saved as plain JSON.

Everything a score needs travels in one JSON document (LightGBM's own text format inside), so a
model is inspectable, diffable and loads without unpickling code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

from features.registry import CATEGORICAL
from features.schema import REGIONS, SECTORS
from models.bands import risk_band
from models.calibration import PlattCalibrator
from models.explain import reason_codes
from models.specs import SPECS, ModelSpec

_CATEGORIES = {"sector": list(SECTORS), "region": list(REGIONS)}


def model_matrix(frame: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """The booster's input: the model's columns in order, categoricals with fixed categories."""
    missing = [f for f in features if f not in frame.columns]
    if missing:
        raise KeyError(f"feature columns missing: {missing}")
    numeric = [f for f in features if f not in CATEGORICAL]
    # One cast for the whole numeric block: per-column casts cost more than the prediction.
    X = frame[features].copy()
    X[numeric] = frame[numeric].astype("float64")
    for name in features:
        if name in CATEGORICAL:
            X[name] = pd.Categorical(X[name].astype("object"), categories=_CATEGORIES[name])
    return X


@dataclass
class Scorer:
    """Score and explain rows of features with one trained model."""

    name: str
    booster_text: str
    calibrator: PlattCalibrator
    features: list[str]
    metadata: dict = field(default_factory=dict)

    @property
    def spec(self) -> ModelSpec:
        return SPECS[self.name]

    @cached_property
    def booster(self) -> lgb.Booster:
        return lgb.Booster(model_str=self.booster_text)

    def raw_score(self, frame: pd.DataFrame) -> np.ndarray:
        return self.booster.predict(model_matrix(frame, self.features), raw_score=True)

    def contributions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Exact TreeSHAP per row in raw log-odds; column `base_value` holds the expectation."""
        values = self.booster.predict(model_matrix(frame, self.features), pred_contrib=True)
        return pd.DataFrame(values, index=frame.index, columns=[*self.features, "base_value"])

    def score(self, frame: pd.DataFrame, *, explain: bool = True, top: int = 5) -> pd.DataFrame:
        """Probability, band (distress only), raw score and, if asked, contributions and reasons."""
        if explain:
            contrib = self.contributions(frame)
            raw = contrib.sum(axis=1).to_numpy()
        else:
            raw = self.raw_score(frame)
        out = pd.DataFrame(index=frame.index)
        out["probability"] = self.calibrator.probability(raw)
        if self.spec.banded:
            out["risk_band"] = risk_band(out["probability"])
        out["raw_score"] = raw
        if explain:
            out["base_value"] = contrib["base_value"]
            out["contributions"] = [
                dict(zip(self.features, row, strict=True))
                for row in contrib[self.features].to_numpy().tolist()
            ]
            target_is_risk = self.spec.target_is_risk
            out["reasons"] = [
                reason_codes(
                    contrib.loc[i, self.features],
                    frame.loc[i],
                    target_is_risk=target_is_risk,
                    top=top,
                )
                for i in frame.index
            ]
        return out

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "features": self.features,
            "calibration": self.calibrator.to_dict(),
            "metadata": self.metadata,
            "booster": self.booster_text,
        }

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.write_text(json.dumps(self.to_dict()))
        return path

    @classmethod
    def from_dict(cls, data: dict) -> Scorer:
        return cls(
            name=data["name"],
            booster_text=data["booster"],
            calibrator=PlattCalibrator.from_dict(data["calibration"]),
            features=list(data["features"]),
            metadata=dict(data.get("metadata", {})),
        )

    @classmethod
    def load(cls, path: str | Path) -> Scorer:
        return cls.from_dict(json.loads(Path(path).read_text()))
