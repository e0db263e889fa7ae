"""Binary-classification metrics reported for every model and baseline."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score, roc_curve

ECE_BINS = 10


def expected_calibration_error(y: ArrayLike, p: ArrayLike, bins: int = ECE_BINS) -> float:
    """Population-weighted |observed rate - mean probability| over equal-count bins.

    Equal-count bins, because probabilities of distress crowd near zero and equal-width bins
    would put nearly everything in the first one.
    """
    y = np.asarray(y, dtype=float)
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    total = 0.0
    for chunk in np.array_split(order, bins):
        if len(chunk):
            total += len(chunk) * abs(y[chunk].mean() - p[chunk].mean())
    return total / len(y)


def ks_statistic(y: ArrayLike, score: ArrayLike) -> float:
    fpr, tpr, _ = roc_curve(np.asarray(y, dtype=int), np.asarray(score, dtype=float))
    return float(np.max(tpr - fpr))


def bootstrap_intervals(
    y: ArrayLike, probability: ArrayLike, resamples: int = 200, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """95% percentile intervals of every metric over bootstrap resamples of the rows: how far
    a holdout of this size could move the figure by chance alone."""
    y = np.asarray(y, dtype=int)
    p = np.asarray(probability, dtype=float)
    rng = np.random.default_rng(seed)
    draws: dict[str, list[float]] = {}
    for _ in range(resamples):
        rows = rng.integers(0, len(y), len(y))
        if y[rows].min() == y[rows].max():
            continue
        for metric, value in evaluate(y[rows], p[rows]).items():
            draws.setdefault(metric, []).append(value)
    return {
        metric: (float(np.percentile(v, 2.5)), float(np.percentile(v, 97.5)))
        for metric, v in draws.items()
    }


def evaluate(y: ArrayLike, probability: ArrayLike) -> dict[str, float]:
    y = np.asarray(y, dtype=int)
    p = np.asarray(probability, dtype=float)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "brier": float(brier_score_loss(y, p)),
        "ks": ks_statistic(y, p),
        "ece": expected_calibration_error(y, p),
    }
