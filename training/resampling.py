"""Repeated-split intervals: how far each reported metric moves when the rows are split again.

One holdout's figure can sit far from the next sample's, and a bootstrap of that holdout only
says how noisy the holdout is, not how lucky the split was. Here the chosen setting is refitted on
fresh splits of the rows before the holdout, a business's rows kept together: fitted on 60%,
Platt-calibrated on 20%, scored on the 20% it never saw. The 2.5th and 97.5th percentiles over
the repeats bound each metric. The logistic baseline, the literature's scores and the
generator's true probabilities where they are known are scored on the same splits, so the
model's lead over each is measured repeat by repeat. The brute-force reference is not refitted
here: at some ten seconds a fit it would double the cost, so it keeps its bootstrap interval.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import lightgbm as lgb
import numpy as np
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from models.calibration import PlattCalibrator
from models.metrics import evaluate
from models.scorer import model_matrix
from training.datasets import Dataset
from training.selection import weights

REPEATS = 5  # each refits the model and the baselines: training stays under 3 minutes
PARTS = 5  # one part scored, one calibrates, three fit
# The rivals whose share of repeats the model beats on ROC AUC is reported.
BEATEN = frozenset({"logistic", "reference"})


def _parts(pooled: Dataset, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    splitter = StratifiedGroupKFold(PARTS, shuffle=True, random_state=seed)
    groups = pooled.keys["business_id"].astype(str).to_numpy()
    folds = [check for _, check in splitter.split(np.zeros(len(pooled)), pooled.y, groups)]
    fit = np.concatenate(folds[2:])
    return fit, folds[1], folds[0]


def repeated_split_intervals(
    params: dict[str, Any],
    rounds: int,
    features: list[str],
    pooled: Dataset,
    *,
    baselines: dict[str, Callable[[Dataset, Dataset, Dataset], np.ndarray]],
    truth: np.ndarray | None = None,
    repeats: int = REPEATS,
    seed: int = 0,
) -> dict[str, float]:
    """`{name}_{metric}_rs_low/high` for the model, each baseline (called with the fit,
    calibration and scored rows; `logistic` among them) and the truth, the share of repeats the
    model beats the logistic baseline on ROC AUC, and the AUC ratio to the truth."""
    X = model_matrix(pooled.frame, features)
    y = pooled.y.to_numpy()
    draws: dict[str, list[float]] = {}
    for r in range(repeats):
        fit, calibrate, scored = _parts(pooled, seed + r)
        if y[scored].min() == y[scored].max() or y[calibrate].min() == y[calibrate].max():
            continue
        booster = lgb.train(
            params, lgb.Dataset(X.iloc[fit], y[fit], weight=weights(y[fit])), rounds
        )
        calibrator = PlattCalibrator.fit(
            booster.predict(X.iloc[calibrate], raw_score=True), pooled.y.iloc[calibrate]
        )
        parts = [pooled.take(_mask(rows, len(y))) for rows in (fit, calibrate, scored)]
        probability = {
            "model": calibrator.probability(booster.predict(X.iloc[scored], raw_score=True)),
            **{name: baseline(*parts) for name, baseline in baselines.items()},
        }
        if truth is not None:
            probability["truth"] = truth[scored]
        for name, p in probability.items():
            for metric, value in evaluate(y[scored], p).items():
                draws.setdefault(f"{name}_{metric}", []).append(value)
        model_auc = roc_auc_score(y[scored], probability["model"])
        for rival in BEATEN & probability.keys():
            draws.setdefault(f"rs_model_beats_{rival}", []).append(
                float(model_auc > roc_auc_score(y[scored], probability[rival]))
            )
        if truth is not None:
            draws.setdefault("auc_ratio_to_truth", []).append(
                model_auc / roc_auc_score(y[scored], truth[scored])
            )
    out: dict[str, float] = {"rs_repeats": float(len(draws.get("model_roc_auc", [])))}
    for key, values in draws.items():
        if key.startswith("rs_model_beats_"):
            out[key] = float(np.mean(values))
            continue
        out[f"{key}_rs_low"] = float(np.percentile(values, 2.5))
        out[f"{key}_rs_high"] = float(np.percentile(values, 97.5))
    return out


def _mask(rows: np.ndarray, n: int) -> np.ndarray:
    mask = np.zeros(n, bool)
    mask[rows] = True
    return mask
