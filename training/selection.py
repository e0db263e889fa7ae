"""Model selection by cross-validation inside the rows before the holdout.

Each candidate setting (leaves, minimum child samples, L2, feature share, learning rate) is fitted
on k-1 folds and scored on the k-th, with its rounds set by early stopping on that fold: the
holdout is never looked at. Folds keep a business's rows together, so a firm seen at several
dates cannot sit on both sides. The best candidate by mean fold ROC AUC is then fitted again
without monotone constraints; the constraints stay unless the free model wins by more than the
standard error of the fold differences. The chosen model is refitted on all pre-holdout rows with
the mean of its fold rounds, and calibrated on its out-of-fold scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from models.scorer import model_matrix
from models.specs import ModelSpec
from training.datasets import Dataset

MAX_ROUNDS = 3000
EARLY_STOPPING = 100
# From shallow and heavily regularised (a few thousand rows) to deeper and freer.
CANDIDATES: tuple[dict[str, Any], ...] = (
    {"num_leaves": 4, "min_child_samples": 50, "lambda_l2": 5.0, "feature_fraction": 0.8,
     "learning_rate": 0.05},
    {"num_leaves": 7, "min_child_samples": 30, "lambda_l2": 5.0, "feature_fraction": 0.8,
     "learning_rate": 0.03},
    {"num_leaves": 7, "min_child_samples": 100, "lambda_l2": 10.0, "feature_fraction": 0.5,
     "learning_rate": 0.05},
    {"num_leaves": 15, "min_child_samples": 40, "lambda_l2": 2.0, "feature_fraction": 0.8,
     "learning_rate": 0.05},
    {"num_leaves": 15, "min_child_samples": 100, "lambda_l2": 10.0, "feature_fraction": 0.5,
     "learning_rate": 0.05},
    {"num_leaves": 31, "min_child_samples": 200, "lambda_l2": 10.0, "feature_fraction": 0.5,
     "learning_rate": 0.1},
)  # fmt: skip


def weights(y: np.ndarray) -> np.ndarray:
    """Up-weight the rarer class by the square root of the imbalance; calibration undoes it."""
    positives = max(int(y.sum()), 1)
    negatives = max(len(y) - positives, 1)
    ratio = math.sqrt(max(positives, negatives) / min(positives, negatives))
    boost = (y == 1) if positives < negatives else (y == 0)
    return np.where(boost, ratio, 1.0)


@dataclass
class Trial:
    """One setting's cross-validated result."""

    params: dict[str, Any]
    fold_auc: list[float]
    rounds: list[int]
    out_of_fold: np.ndarray = field(repr=False)

    @property
    def auc(self) -> float:
        return float(np.mean(self.fold_auc))

    def summary(self) -> dict[str, Any]:
        keys = ("num_leaves", "min_child_samples", "lambda_l2", "feature_fraction",
                "learning_rate")  # fmt: skip
        return {
            **{k: self.params[k] for k in keys},
            "monotone": "monotone_constraints" in self.params,
            "cv_roc_auc": round(self.auc, 4),
            "fold_roc_auc": [round(a, 4) for a in self.fold_auc],
            "rounds": self.rounds,
        }


@dataclass
class Selection:
    chosen: Trial
    trials: list[Trial]
    monotone_kept: bool
    free: Trial  # the chosen setting without monotone constraints

    @property
    def rounds(self) -> int:
        return max(int(np.mean(self.chosen.rounds)), 1)

    def metrics(self) -> dict[str, float]:
        auc = np.asarray(self.chosen.fold_auc)
        half = 1.96 * auc.std(ddof=1) / math.sqrt(len(auc)) if len(auc) > 1 else math.nan
        return {
            "cv_roc_auc": float(auc.mean()),
            "cv_roc_auc_ci_low": float(auc.mean() - half),
            "cv_roc_auc_ci_high": float(auc.mean() + half),
            "cv_roc_auc_free": self.free.auc,
            "monotone_kept": float(self.monotone_kept),
            "cv_candidates": float(len(self.trials)),
        }


def _folds(pooled: Dataset, k: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    splitter = StratifiedGroupKFold(k, shuffle=True, random_state=seed)
    groups = pooled.keys["business_id"].astype(str).to_numpy()
    y = pooled.y.to_numpy()
    return list(splitter.split(np.zeros(len(y)), y, groups))


def cross_validate(
    params: dict[str, Any],
    features: list[str],
    pooled: Dataset,
    folds: list[tuple[np.ndarray, np.ndarray]],
) -> Trial:
    X = model_matrix(pooled.frame, features)
    y = pooled.y.to_numpy()
    out_of_fold = np.zeros(len(y))
    fold_auc, rounds = [], []
    for fit, check in folds:
        data = lgb.Dataset(X.iloc[fit], y[fit], weight=weights(y[fit]))
        held = lgb.Dataset(X.iloc[check], y[check], reference=data)
        booster = lgb.train(
            params,
            data,
            num_boost_round=MAX_ROUNDS,
            valid_sets=[held],
            callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)],
        )
        out_of_fold[check] = booster.predict(
            X.iloc[check], raw_score=True, num_iteration=booster.best_iteration
        )
        fold_auc.append(float(roc_auc_score(y[check], out_of_fold[check])))
        rounds.append(int(booster.best_iteration))
    return Trial(params, fold_auc, rounds, out_of_fold)


def select(spec: ModelSpec, pooled: Dataset, seed: int) -> Selection:
    """The spec's setting and every candidate, cross-validated; the best, with or without
    monotone constraints."""
    features = list(spec.features)
    folds = _folds(pooled, spec.cv_folds, seed)
    base = spec.lgb_params(seed)
    settings = [base]
    for candidate in CANDIDATES:
        setting = {**base, **candidate}
        if setting not in settings:
            settings.append(setting)
    trials = [cross_validate(p, features, pooled, folds) for p in settings]
    best = max(trials, key=lambda t: t.auc)
    free_params = {
        k: v
        for k, v in best.params.items()
        if k not in ("monotone_constraints", "monotone_constraints_method")
    }
    free = cross_validate(free_params, features, pooled, folds)
    gain = np.asarray(free.fold_auc) - np.asarray(best.fold_auc)
    error = gain.std(ddof=1) / math.sqrt(len(gain)) if len(gain) > 1 else 0.0
    rejected = bool(gain.mean() > error) and any(spec.monotone)
    return Selection(free if rejected else best, trials, not rejected, free)
