"""Training one model: split, fit, calibrate, compare with baselines and with the truth."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, QuantileTransformer

from features.registry import BY_NAME, CATEGORICAL, COMPOSITE_NAMES
from models.calibration import PlattCalibrator
from models.metrics import bootstrap_intervals, evaluate
from models.scorer import Scorer, model_matrix
from models.specs import ModelSpec
from training.datasets import Dataset, concat_datasets
from training.progress import Say
from training.reference import fit_reference, refit_reference
from training.resampling import repeated_split_intervals
from training.selection import Selection, select, weights

VALID_SHARE = 0.2  # of the pre-holdout rows: early stopping for the brute-force reference
# Plans: the latest third of restructurings is the holdout, about a thousand plans on the default
# portfolio; with a quarter (some 750) the sampling noise of a 10-bin calibration error alone
# was 0.02-0.04, as large as the calibration it is meant to measure.
OUT_OF_TIME_SHARE = 1 / 3


@dataclass
class Split:
    train: Dataset
    valid: Dataset
    holdout: Dataset
    strategy: str


@dataclass
class TrainResult:
    spec: ModelSpec
    scorer: Scorer
    split: Split
    metrics: dict[str, float]
    holdout_probability: dict[str, np.ndarray]  # model, baselines and truth on the holdout
    importance: pd.Series  # mean |SHAP| per feature on the holdout
    best_iteration: int
    params: dict[str, Any] = field(default_factory=dict[str, Any])
    selection: Selection | None = None

    @property
    def monotone(self) -> list[int]:
        """The constraints the model was fitted with, one per feature (0: none)."""
        return list(self.params.get("monotone_constraints", [0] * len(self.spec.features)))


def split_dataset(dataset: Dataset, seed: int, *, by_date_share: float | None = None) -> Split:
    """Out of time where the data allows it: train on earlier as-of dates, hold out the latest.

    With a single as-of date the split is stratified at random, and says so.
    """
    dates = pd.to_datetime(dataset.keys["as_of"])
    if by_date_share is not None and dates.nunique() > 1:
        cut = dates.quantile(1 - by_date_share)
        later = (dates > cut).to_numpy()
        strategy = (
            f"out-of-time: holdout = the latest {by_date_share:.0%} by date (after {cut.date()})"
        )
    elif dates.nunique() > 1:
        later = (dates == dates.max()).to_numpy()
        strategy = (
            f"out-of-time: train on as-of dates before {dates.max().date()}, hold out that date"
        )
    else:
        later = np.zeros(len(dataset), bool)
        _, test_idx = train_test_split(
            np.arange(len(dataset)), test_size=0.2, stratify=dataset.y, random_state=seed
        )
        later[test_idx] = True
        strategy = "stratified random 80/20: the data has a single as-of date"
    earlier = dataset.take(~later)
    train_idx, _ = train_test_split(
        np.arange(len(earlier)), test_size=VALID_SHARE, stratify=earlier.y, random_state=seed
    )
    train_mask = np.zeros(len(earlier), bool)
    train_mask[train_idx] = True
    return Split(earlier.take(train_mask), earlier.take(~train_mask), dataset.take(later), strategy)


def fit_booster(
    spec: ModelSpec, split: Split, seed: int
) -> tuple[lgb.Booster, PlattCalibrator, Selection]:
    """The booster and its calibrator, chosen by cross-validation on the rows before the
    holdout (`training.selection`), refitted on all of them."""
    pooled = concat_datasets(split.train, split.valid)
    chosen = select(spec, pooled, seed)
    X = model_matrix(pooled.frame, list(spec.features))
    y = pooled.y.to_numpy()
    data = lgb.Dataset(X, y, weight=weights(y))
    booster = lgb.train(chosen.chosen.params, data, num_boost_round=chosen.rounds)
    booster.best_iteration = booster.current_iteration()
    return booster, PlattCalibrator.fit(chosen.chosen.out_of_fold, pooled.y), chosen


def logistic_baseline(spec: ModelSpec, split: Split, seed: int) -> np.ndarray:
    """Logistic regression on the same features: imputed, rank-normalised, one-hot sectors."""
    features = list(spec.features)
    numeric = [f for f in features if f not in CATEGORICAL]
    categorical = [f for f in features if f in CATEGORICAL]
    prep = ColumnTransformer(
        [
            (
                "num",
                make_pipeline(
                    SimpleImputer(strategy="median", add_indicator=True, keep_empty_features=True),
                    QuantileTransformer(
                        output_distribution="normal",
                        n_quantiles=min(200, len(split.train)),
                        random_state=seed,
                    ),
                ),
                numeric,
            ),
            (
                "cat",
                make_pipeline(
                    SimpleImputer(strategy="constant", fill_value="missing"),
                    OneHotEncoder(handle_unknown="ignore"),
                ),
                categorical,
            ),
        ]
    )
    model = make_pipeline(prep, LogisticRegression(max_iter=3000, C=0.5))

    def prepared(frame: pd.DataFrame) -> pd.DataFrame:
        X = model_matrix(frame, features)
        for c in categorical:
            X[c] = X[c].astype("object").where(X[c].notna(), "missing")
        return X

    model.fit(prepared(split.train.frame), split.train.y)
    probability: np.ndarray = model.predict_proba(prepared(split.holdout.frame))[:, 1]
    return probability


def score_baseline(split: Split, name: str) -> np.ndarray:
    """A composite score of the literature alone (Altman Z'', Ohlson O, ...), Platt-calibrated
    on the validation rows; a missing score takes the training median."""
    sign = BY_NAME[name].risk
    fill = float(split.train.frame[name].median())

    def score(frame: pd.DataFrame) -> np.ndarray:
        values: np.ndarray = frame[name].astype("float64").fillna(fill).to_numpy()
        return sign * values

    calibrator = PlattCalibrator.fit(score(split.valid.frame), split.valid.y)
    return calibrator.probability(score(split.holdout.frame))


def _repeatable_baselines(
    spec: ModelSpec, split: Split, seed: int, reference_rounds: int
) -> dict[str, Callable[[Dataset, Dataset, Dataset], np.ndarray]]:
    """The logistic baseline, the brute-force reference (for the rounds its own fit chose)
    and, for distress, each literature score, as functions of the fit, calibration and scored
    rows of a fresh split."""

    def logistic(fit: Dataset, calibrate: Dataset, scored: Dataset) -> np.ndarray:
        return logistic_baseline(spec, Split(fit, calibrate, scored, split.strategy), seed)

    def reference(fit: Dataset, _calibrate: Dataset, scored: Dataset) -> np.ndarray:
        return refit_reference(spec, (fit.frame, fit.y), scored.frame, reference_rounds, seed)

    def literature(name: str) -> Callable[[Dataset, Dataset, Dataset], np.ndarray]:
        def score(fit: Dataset, calibrate: Dataset, scored: Dataset) -> np.ndarray:
            return score_baseline(Split(fit, calibrate, scored, split.strategy), name)

        return score

    out: dict[str, Callable[[Dataset, Dataset, Dataset], np.ndarray]] = {
        "logistic": logistic, "reference": reference,
    }  # fmt: skip
    if spec.banded:
        for name in ("altman_z2", *COMPOSITE_NAMES):
            if split.train.frame[name].notna().any():
                out[name] = literature(name)
    return out


def _aligned(truth: pd.Series | None, rows: Dataset) -> np.ndarray | None:
    """The true probability of each row, where the generator's truth covers them all."""
    if truth is None:
        return None
    aligned = truth.reindex(pd.MultiIndex.from_frame(rows.keys[list(truth.index.names)]))
    return aligned.to_numpy() if aligned.notna().all() else None


# The steps `train_model` announces; the pipeline adds one to log and register the model.
TRAIN_STEPS = 4


def train_model(
    spec: ModelSpec,
    dataset: Dataset,
    *,
    seed: int = 7,
    truth: pd.Series | None = None,
    by_date_share: float | None = None,
    step: Say | None = None,
) -> TrainResult:
    """Select, fit and calibrate on the rows before the holdout; evaluate the model, the
    baselines and the brute-force reference on the holdout, each metric with its bootstrap
    interval. `step` hears the start of each of its TRAIN_STEPS steps."""
    step = step or (lambda _message: None)
    split = split_dataset(dataset, seed, by_date_share=by_date_share)
    step(f"{spec.name}: choosing settings and monotone directions by cross-validation")
    booster, calibrator, selection = fit_booster(spec, split, seed)
    step(f"{spec.name}: baselines and the brute-force reference")
    params = selection.chosen.params
    scorer = Scorer(
        name=spec.name,
        booster_text=booster.model_to_string(),
        calibrator=calibrator,
        features=list(spec.features),
        metadata={"best_iteration": booster.best_iteration, "split": split.strategy},
    )
    contrib = scorer.contributions(split.holdout.frame)
    raw = contrib.sum(axis=1).to_numpy()
    probabilities = {"model": calibrator.probability(raw)}
    probabilities["logistic"] = logistic_baseline(spec, split, seed)
    if spec.banded:  # a distress model: each literature score is a baseline
        for name in ("altman_z2", *COMPOSITE_NAMES):
            if split.train.frame[name].notna().any():
                probabilities[name] = score_baseline(split, name)
    probabilities["reference"], reference_inputs, reference_rounds = fit_reference(
        spec,
        (split.train.frame, split.train.y),
        (split.valid.frame, split.valid.y),
        split.holdout.frame,
        seed,
    )
    holdout_truth = _aligned(truth, split.holdout)
    if holdout_truth is not None:
        probabilities["truth"] = holdout_truth
    y = split.holdout.y.to_numpy()
    step(f"{spec.name}: holdout metrics with bootstrap intervals")
    metrics: dict[str, float] = {}
    for name, p in probabilities.items():
        for metric, value in evaluate(y, p).items():
            metrics[f"{name}_{metric}"] = value
        for metric, (low, high) in bootstrap_intervals(y, p, seed=seed).items():
            metrics[f"{name}_{metric}_ci_low"], metrics[f"{name}_{metric}_ci_high"] = low, high
    metrics.update(selection.metrics())
    pooled = concat_datasets(split.train, split.valid)
    step(f"{spec.name}: repeated splits")
    metrics.update(
        repeated_split_intervals(
            params,
            selection.rounds,
            list(spec.features),
            pooled,
            baselines=_repeatable_baselines(spec, split, seed, reference_rounds),
            truth=_aligned(truth, pooled),
            seed=seed,
        )
    )
    if "truth" in probabilities:
        metrics["auc_ratio_to_truth"] = metrics["model_roc_auc"] / metrics["truth_roc_auc"]
    metrics["auc_ratio_to_reference"] = metrics["model_roc_auc"] / metrics["reference_roc_auc"]
    metrics["reference_inputs"] = reference_inputs
    metrics.update(
        n_train=len(split.train), n_valid=len(split.valid), n_holdout=len(split.holdout),
        holdout_positive_rate=float(y.mean()), best_iteration=booster.best_iteration,
    )  # fmt: skip
    importance = contrib[list(spec.features)].abs().mean().sort_values(ascending=False)
    return TrainResult(
        spec, scorer, split, metrics, probabilities, importance, booster.best_iteration, params,
        selection,
    )  # fmt: skip
