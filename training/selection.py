"""Model selection by cross-validation inside the rows before the holdout.

Each candidate setting (leaves, minimum child samples, L2, feature share, learning rate) is fitted
on k-1 folds and scored on the k-th, with its rounds set by early stopping on that fold: the
holdout is never looked at. Folds keep a business's rows together, so a firm seen at several
dates cannot sit on both sides. The best candidate by mean fold ROC AUC is then fitted again
without monotone constraints. Each declared direction is checked against that free model on the
rows it did not see: where every fold's SHAP values run against the declared direction
(`monotone_verdicts`), the constraint is dropped for that feature alone and the pruned setting is
cross-validated. The constraints that are left stay unless the free model wins by more than the
standard error of the fold differences. The chosen model is refitted on all pre-holdout rows with
the mean of its fold rounds, and calibrated on its out-of-fold scores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from models.scorer import model_matrix
from models.specs import ModelSpec
from training.datasets import Dataset

MAX_ROUNDS = 3000
EARLY_STOPPING = 100
# A declared direction is rejected when the free model's effect runs the other way in every fold,
# by at least this rank correlation between the feature and its SHAP value.
AGAINST_DIRECTION = 0.1
MONOTONE_KEYS = ("monotone_constraints", "monotone_constraints_method")
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
    boosters: list[lgb.Booster] = field(default_factory=list[lgb.Booster], repr=False)

    @property
    def auc(self) -> float:
        return float(np.mean(self.fold_auc))

    def summary(self) -> dict[str, Any]:
        keys = ("num_leaves", "min_child_samples", "lambda_l2", "feature_fraction",
                "learning_rate")  # fmt: skip
        return {
            **{k: self.params[k] for k in keys},
            "monotone": sum(1 for c in self.params.get("monotone_constraints", ()) if c),
            "cv_roc_auc": round(self.auc, 4),
            "fold_roc_auc": [round(a, 4) for a in self.fold_auc],
            "rounds": self.rounds,
        }


@dataclass(frozen=True)
class MonotoneVerdict:
    """What cross-validation said of one feature's declared direction."""

    feature: str
    declared: int  # +1 the score may only rise with the feature, -1 only fall
    free_direction: list[float]  # per fold: rank correlation of the value and its SHAP value
    kept: bool
    reason: str

    def summary(self) -> dict[str, Any]:
        return {
            "feature": self.feature,
            "declared": self.declared,
            "free_direction": [round(r, 3) for r in self.free_direction],
            "kept": self.kept,
            "reason": self.reason,
        }


@dataclass
class Selection:
    chosen: Trial
    trials: list[Trial]
    monotone_kept: bool
    free: Trial  # the chosen setting without monotone constraints
    verdicts: list[MonotoneVerdict] = field(default_factory=list[MonotoneVerdict])

    def summary(self) -> dict[str, Any]:
        return {
            "chosen": self.chosen.summary(),
            "free": self.free.summary(),
            "candidates": [t.summary() for t in self.trials],
            "monotone": [v.summary() for v in self.verdicts],
        }

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
            "monotone_features_kept": float(sum(1 for v in self.verdicts if v.kept)),
            "monotone_features_dropped": float(sum(1 for v in self.verdicts if not v.kept)),
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
    *,
    keep_boosters: bool = False,
) -> Trial:
    X = model_matrix(pooled.frame, features)
    y = pooled.y.to_numpy()
    out_of_fold = np.zeros(len(y))
    fold_auc, rounds, boosters = [], [], []
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
        if keep_boosters:
            boosters.append(booster)
    return Trial(params, fold_auc, rounds, out_of_fold, boosters)


def free_directions(
    free: Trial,
    features: list[str],
    pooled: Dataset,
    folds: list[tuple[np.ndarray, np.ndarray]],
) -> dict[str, list[float]]:
    """Per feature and fold: the rank correlation between the feature's value and its SHAP value
    in the unconstrained model, on the fold it did not see (NaN where the feature is constant
    or missing there). Positive: the free model's score rises with the feature."""
    X = model_matrix(pooled.frame, features)
    out: dict[str, list[float]] = {f: [] for f in features}
    for booster, (_, check) in zip(free.boosters, folds, strict=True):
        held = X.iloc[check]
        contrib = np.asarray(
            booster.predict(held, pred_contrib=True, num_iteration=booster.best_iteration)
        )
        for j, name in enumerate(features):
            values = pd.to_numeric(held[name], errors="coerce").to_numpy(dtype=float)
            seen = ~np.isnan(values)
            rho = math.nan
            if seen.sum() > 2 and np.ptp(values[seen]) > 0 and np.ptp(contrib[seen, j]) > 0:
                rho = float(spearmanr(values[seen], contrib[seen, j]).statistic)
            out[name].append(rho)
    return out


def monotone_verdicts(
    declared: list[int], features: list[str], directions: dict[str, list[float]]
) -> list[MonotoneVerdict]:
    """A declared direction is dropped when the free model runs against it in every fold."""
    verdicts = []
    for name, sign in zip(features, declared, strict=True):
        if not sign:
            continue
        rho = directions[name]
        against = bool(rho) and all(
            not math.isnan(r) and sign * r <= -AGAINST_DIRECTION for r in rho
        )
        reason = (
            "the free model's effect runs the other way in every fold"
            if against
            else "not rejected by cross-validation"
        )
        verdicts.append(MonotoneVerdict(name, sign, rho, not against, reason))
    return verdicts


def _with_constraints(params: dict[str, Any], constraints: list[int]) -> dict[str, Any]:
    free = {k: v for k, v in params.items() if k not in MONOTONE_KEYS}
    if not any(constraints):
        return free
    return {**free, "monotone_constraints": constraints, "monotone_constraints_method": "advanced"}


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
    declared = list(spec.monotone)
    if not any(declared):
        return Selection(best, trials, False, best)
    free = cross_validate(
        _with_constraints(best.params, []), features, pooled, folds, keep_boosters=True
    )
    verdicts = monotone_verdicts(declared, features, free_directions(free, features, pooled, folds))
    dropped = {v.feature for v in verdicts if not v.kept}
    constrained = best
    if dropped:
        pruned = [0 if f in dropped else c for f, c in zip(features, declared, strict=True)]
        constrained = cross_validate(
            _with_constraints(best.params, pruned), features, pooled, folds
        )
        trials.append(constrained)
    free.boosters.clear()
    gain = np.asarray(free.fold_auc) - np.asarray(constrained.fold_auc)
    error = gain.std(ddof=1) / math.sqrt(len(gain)) if len(gain) > 1 else 0.0
    if not any(v.kept for v in verdicts) or gain.mean() > error:
        reason = "the free model wins cross-validation by more than its standard error"
        verdicts = [
            MonotoneVerdict(v.feature, v.declared, v.free_direction, False,
                            v.reason if not v.kept else reason)
            for v in verdicts
        ]  # fmt: skip
        return Selection(free, trials, False, free, verdicts)
    return Selection(constrained, trials, True, free, verdicts)
