"""A trained model ready to score: booster, calibration and feature list, saved as plain JSON.

Everything a score needs travels in one JSON document (LightGBM's own text format inside), so a
model is inspectable, diffable and loads without unpickling code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from features.registry import CATEGORIES
from models.bands import risk_band
from models.calibration import PlattCalibrator
from models.explain import TOP_REASONS, reason_codes, reason_lines, reason_table
from models.specs import SPECS, ModelSpec
from models.treeshap import TreeTables, TreeTooDeepError, build_tables

if TYPE_CHECKING:
    import lightgbm as lgb


def model_matrix(frame: pd.DataFrame, features: list[str]) -> pd.DataFrame:
    """The training frame: the model's columns in order, categoricals with fixed categories, so
    LightGBM records them as categorical features with these codes."""
    missing = [f for f in features if f not in frame.columns]
    if missing:
        raise KeyError(f"feature columns missing: {missing}")
    numeric = [f for f in features if f not in CATEGORIES]
    X = frame[features].copy()
    X[numeric] = frame[numeric].astype("float64")
    for name in features:
        if name in CATEGORIES:
            X[name] = pd.Categorical(X[name].astype("object"), categories=list(CATEGORIES[name]))
    return X


def _codes(values: Iterable[Any], categories: tuple[str, ...]) -> np.ndarray:
    if isinstance(values, pd.Series) and isinstance(values.dtype, pd.CategoricalDtype):
        codes = values.cat.set_categories(list(categories)).cat.codes.to_numpy("float64")
        return np.where(codes < 0, np.nan, codes)
    lookup = {c: float(i) for i, c in enumerate(categories)}
    return np.array([lookup.get(v, np.nan) for v in values], dtype="float64")


def feature_matrix(columns: Mapping[str, Any], features: list[str]) -> np.ndarray:
    """The booster's input as floats: categoricals as their code in the fixed category list,
    which is what LightGBM makes of the categorical columns of `model_matrix`."""
    missing = [f for f in features if f not in columns]
    if missing:
        raise KeyError(f"feature columns missing: {missing}")
    return np.column_stack(
        [
            _codes(columns[f], CATEGORIES[f])
            if f in CATEGORIES
            else np.asarray(columns[f], dtype="float64")
            for f in features
        ]
    )


# Below this many rows a prediction runs on one thread: OpenMP's helper threads would add
# little speed and then spin on the other core, which a server under load needs for requests.
PARALLEL_PREDICT_ROWS = 1024


def predict_threads(rows: int) -> int:
    """LightGBM `num_threads` for predicting `rows` rows (0: OpenMP's default, every core)."""
    return 1 if rows < PARALLEL_PREDICT_ROWS else 0


# From this many rows explanations come from the per-leaf tables of `models.treeshap`, built
# once per model; below it LightGBM's own TreeSHAP, on one thread, answers a single case sooner
# than the tables could be built and compiled for a process that may only ever see one.
TABLE_EXPLAIN_ROWS = 64


@dataclass
class Scores:
    """Scores of rows in input order; contributions (with the base value last) when explained."""

    raw: np.ndarray
    probability: np.ndarray
    bands: list[str] | None
    contributions: np.ndarray | None


@dataclass
class Scorer:
    """Score and explain rows of features with one trained model."""

    name: str
    booster_text: str
    calibrator: PlattCalibrator
    features: list[str]
    metadata: dict[str, Any] = field(default_factory=dict[str, Any])

    @property
    def spec(self) -> ModelSpec:
        return SPECS[self.name]

    @cached_property
    def booster(self) -> lgb.Booster:
        import lightgbm as lgb  # a second to import, with scikit-learn: batch scoring needs
        # only the tables, which come with a registered model

        return lgb.Booster(model_str=self.booster_text)

    @cached_property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.booster_text.encode()).hexdigest()

    def _predict(self, X: np.ndarray, **kind: bool) -> np.ndarray:
        predicted = self.booster.predict(X, num_threads=predict_threads(len(X)), **kind)
        return np.asarray(predicted, dtype="float64")

    @cached_property
    def tables(self) -> TreeTables | None:
        """The booster's TreeSHAP tables, or None where a path is too deep for them."""
        try:
            return build_tables(self.booster)
        except TreeTooDeepError:
            return None

    def shap_values(self, X: np.ndarray) -> np.ndarray:
        """Exact TreeSHAP of a feature matrix in raw log-odds, the expectation last; by the
        tables for a batch, by LightGBM for a few rows."""
        if len(X) >= TABLE_EXPLAIN_ROWS and self.tables is not None:
            return self.tables.shap_values(X)
        return self._predict(X, pred_contrib=True)

    def raw_score(self, frame: pd.DataFrame) -> np.ndarray:
        return self._predict(feature_matrix(frame, self.features), raw_score=True)

    def contributions(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Exact TreeSHAP per row in raw log-odds; column `base_value` holds the expectation."""
        values = self.shap_values(feature_matrix(frame, self.features))
        return pd.DataFrame(values, index=frame.index, columns=[*self.features, "base_value"])

    def explanation(self, frame: pd.DataFrame) -> Any:
        """TreeSHAP of `frame` as a `shap.Explanation`, for shap's own plots (beeswarm,
        waterfall, dependence): the booster's exact contributions with the feature values."""
        import shap  # for its plots only: a second to import

        X = feature_matrix(frame, self.features)
        values = self.shap_values(X)
        return shap.Explanation(
            values=values[:, :-1], base_values=values[:, -1], data=X, feature_names=self.features
        )

    def evaluate(self, X: np.ndarray, *, explain: bool = True) -> Scores:
        """Probabilities, bands (distress only) and, if asked, TreeSHAP for a feature matrix."""
        contrib = self.shap_values(X) if explain else None
        raw = contrib.sum(axis=1) if contrib is not None else self._predict(X, raw_score=True)
        probability = self.calibrator.probability(raw)
        bands = risk_band(probability).tolist() if self.spec.banded else None
        return Scores(raw, probability, bands, contrib)

    def reasons(
        self, contributions: np.ndarray, values: Mapping[str, Any], top: int = TOP_REASONS
    ) -> list[dict[str, Any]]:
        return reason_codes(
            self.features, contributions, values, target_is_risk=self.spec.target_is_risk, top=top
        )

    def reason_lines(self, scores: Scores, frame: pd.DataFrame) -> list[str]:
        """Each explained row's top reasons as one English line (the batch output)."""
        if scores.contributions is None:
            raise ValueError("the scores were not explained")
        return reason_lines(
            self.features, scores.contributions[:, :-1], frame,
            target_is_risk=self.spec.target_is_risk,
        )  # fmt: skip

    def score(
        self,
        frame: pd.DataFrame,
        *,
        explain: bool = True,
        top: int = TOP_REASONS,
        contributions: bool = True,
    ) -> pd.DataFrame:
        """Probability, band (distress only), raw score and, if asked, reasons and (unless
        `contributions` is False, as in batch output) every feature's contribution."""
        scores = self.evaluate(feature_matrix(frame, self.features), explain=explain)
        out = pd.DataFrame(index=frame.index)
        out["probability"] = scores.probability
        if scores.bands is not None:
            out["risk_band"] = scores.bands
        out["raw_score"] = scores.raw
        if scores.contributions is not None:
            contrib = scores.contributions
            out["base_value"] = contrib[:, -1]
            if contributions:
                out["contributions"] = [
                    dict(zip(self.features, row, strict=True)) for row in contrib[:, :-1].tolist()
                ]
            out["reasons"] = reason_table(
                self.features, contrib[:, :-1], frame,
                target_is_risk=self.spec.target_is_risk, top=top,
            )  # fmt: skip
        return out

    def to_dict(self) -> dict[str, Any]:
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

    def save_tables(self, path: Path) -> Path | None:
        """The TreeSHAP tables, to travel with the model: a batch then explains without
        building them, or importing LightGBM. None when the booster has no tables."""
        return None if self.tables is None else self.tables.save(path, self.fingerprint)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scorer:
        return cls(
            name=data["name"],
            booster_text=data["booster"],
            calibrator=PlattCalibrator.from_dict(data["calibration"]),
            features=list(data["features"]),
            metadata=dict(data.get("metadata", {})),
        )

    @classmethod
    def load(cls, path: str | Path, tables: Path | None = None) -> Scorer:
        """A saved scorer, with the tables `save_tables` wrote when they are of this model."""
        scorer = cls.from_dict(json.loads(Path(path).read_text()))
        saved = None if tables is None else TreeTables.load(tables, scorer.fingerprint)
        if saved is not None:
            scorer.__dict__["tables"] = saved  # what the cached property would have built
        return scorer
