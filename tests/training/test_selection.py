"""Model selection on a dataset made by hand: which declared directions the data rejects, and how
far the metrics move over repeated splits."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from models.specs import ModelSpec
from training.datasets import Dataset
from training.resampling import repeated_split_intervals
from training.selection import AGAINST_DIRECTION, monotone_verdicts, select

# Declared for a risk target: a higher current ratio or DSCR lowers risk (-1), more leverage
# raises it (+1).
FEATURES = ("current_ratio", "dscr", "liabilities_to_assets")


def _dataset(n: int = 3000, seed: int = 0) -> Dataset:
    """Risk rises with leverage and falls with DSCR, as declared, but rises with the current
    ratio: the one declared direction these rows contradict."""
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "current_ratio": rng.uniform(0.2, 3.0, n),
            "dscr": rng.uniform(0.0, 3.0, n),
            "liabilities_to_assets": rng.uniform(0.1, 1.5, n),
        }
    )
    logit = (
        1.8 * frame["current_ratio"]
        - 1.2 * frame["dscr"]
        + 2.0 * frame["liabilities_to_assets"]
        - 2.5
    )
    y = pd.Series((rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(int))
    keys = pd.DataFrame({"business_id": [f"B{i}" for i in range(n)], "as_of": "2025-12-31"})
    return Dataset(frame, y, keys)


SPEC = ModelSpec(
    name="test",
    target="distress_12m",
    target_is_risk=True,
    features=FEATURES,
    params={"num_threads": 1},
)


def test_declared_directions_for_the_features_used_here():
    assert SPEC.monotone == [-1, -1, 1]


def test_a_direction_is_dropped_only_when_every_fold_runs_against_it():
    against = -AGAINST_DIRECTION - 0.05
    verdicts = monotone_verdicts(
        [1, 1, 1, 0],
        ["a", "b", "c", "d"],
        {"a": [against, against, against], "b": [against, 0.3, against],
         "c": [against, math.nan, against], "d": [against] * 3},
    )  # fmt: skip
    assert [(v.feature, v.kept) for v in verdicts] == [("a", False), ("b", True), ("c", True)]


def test_selection_drops_the_contradicted_direction_and_keeps_the_others():
    selection = select(SPEC, _dataset(), seed=3)
    kept = {v.feature: v.kept for v in selection.verdicts}
    assert kept == {"current_ratio": False, "dscr": True, "liabilities_to_assets": True}
    assert selection.monotone_kept
    assert selection.chosen.params["monotone_constraints"] == [0, -1, 1]
    rho = next(v for v in selection.verdicts if v.feature == "current_ratio").free_direction
    assert all(r > AGAINST_DIRECTION for r in rho)  # the free model's risk rises with it
    assert selection.metrics()["monotone_features_dropped"] == 1
    summary = selection.summary()
    assert summary["chosen"]["monotone"] == 2
    assert len(summary["monotone"]) == 3


def test_repeated_split_intervals_bound_every_metric_and_compare_with_the_baseline():
    pooled = _dataset(2000, seed=1)
    truth = 1 / (1 + np.exp(-(1.8 * pooled.frame["current_ratio"] - 1.2 * pooled.frame["dscr"]
                               + 2.0 * pooled.frame["liabilities_to_assets"] - 2.5)))  # fmt: skip
    params = {**SPEC.lgb_params(0), "monotone_constraints": [0, -1, 1]}

    def constant(fit: Dataset, calibrate: Dataset, scored: Dataset) -> np.ndarray:
        return np.full(len(scored), float(fit.y.mean()))

    out = repeated_split_intervals(
        params, 100, list(FEATURES), pooled, baselines={"logistic": constant},
        truth=truth.to_numpy(), repeats=4, seed=0,
    )  # fmt: skip
    assert out["rs_repeats"] == 4
    for name in ("model", "logistic", "truth"):
        for metric in ("roc_auc", "pr_auc", "brier", "ks", "ece"):
            low, high = out[f"{name}_{metric}_rs_low"], out[f"{name}_{metric}_rs_high"]
            assert low <= high
    assert out["logistic_roc_auc_rs_high"] == pytest.approx(0.5)  # a constant ranks nothing
    assert out["rs_model_beats_logistic"] == 1.0
    assert 0.9 < out["auc_ratio_to_truth_rs_low"] <= out["auc_ratio_to_truth_rs_high"] < 1.05
    assert out["model_roc_auc_rs_low"] < out["model_roc_auc_rs_high"]  # splits do move it
