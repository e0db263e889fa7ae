"""Training one model: split, fit, calibrate, compare with baselines and with the truth."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, QuantileTransformer

from features.registry import CATEGORICAL
from models.calibration import PlattCalibrator
from models.metrics import evaluate
from models.scorer import Scorer, model_matrix
from models.specs import ModelSpec
from training.datasets import Dataset, concat_datasets
from training.reference import fit_reference

MAX_ROUNDS = 3000
EARLY_STOPPING = 150
VALID_SHARE = 0.2
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


def _weights(y: pd.Series) -> np.ndarray:
    """Up-weight the rarer class by the square root of the imbalance; calibration undoes it."""
    positives = max(int(y.sum()), 1)
    negatives = max(len(y) - positives, 1)
    minority_is_positive = positives < negatives
    ratio = np.sqrt(max(positives, negatives) / min(positives, negatives))
    boost = (y == 1) if minority_is_positive else (y == 0)
    return np.where(boost, ratio, 1.0)


def _fit(
    params: dict[str, Any], features: list[str], train: Dataset, valid: Dataset | None, rounds: int
) -> lgb.Booster:
    data = lgb.Dataset(model_matrix(train.frame, features), train.y, weight=_weights(train.y))
    if valid is None:
        return lgb.train(params, data, num_boost_round=rounds)
    check = lgb.Dataset(model_matrix(valid.frame, features), valid.y, reference=data)
    return lgb.train(
        params,
        data,
        num_boost_round=rounds,
        valid_sets=[check],
        callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)],
    )


def fit_booster(
    spec: ModelSpec, split: Split, seed: int
) -> tuple[lgb.Booster, PlattCalibrator, dict[str, Any]]:
    """The booster and its calibrator, fitted on the rows before the holdout only."""
    features = list(spec.features)
    params = spec.lgb_params(seed)
    if not spec.cv_folds:
        booster = _fit(params, features, split.train, split.valid, MAX_ROUNDS)
        raw = booster.predict(model_matrix(split.valid.frame, features), raw_score=True)
        return booster, PlattCalibrator.fit(raw, split.valid.y), params
    pooled = concat_datasets(split.train, split.valid)
    folds = StratifiedKFold(spec.cv_folds, shuffle=True, random_state=seed)
    out_of_fold = np.zeros(len(pooled))
    rounds = []
    for fit_idx, check_idx in folds.split(np.zeros(len(pooled)), pooled.y):
        fit_mask = np.zeros(len(pooled), bool)
        fit_mask[fit_idx] = True
        fold = _fit(params, features, pooled.take(fit_mask), pooled.take(~fit_mask), MAX_ROUNDS)
        rounds.append(fold.best_iteration)
        out_of_fold[check_idx] = fold.predict(
            model_matrix(pooled.take(~fit_mask).frame, features), raw_score=True
        )
    booster = _fit(params, features, pooled, None, max(int(np.mean(rounds)), 1))
    booster.best_iteration = booster.current_iteration()
    return booster, PlattCalibrator.fit(out_of_fold, pooled.y), params


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


def altman_baseline(split: Split) -> np.ndarray:
    """Altman Z'' alone (lower is riskier), Platt-calibrated on the validation rows."""
    fill = float(split.train.frame["altman_z2"].median())

    def score(frame: pd.DataFrame) -> np.ndarray:
        values: np.ndarray = frame["altman_z2"].astype("float64").fillna(fill).to_numpy()
        return -values

    calibrator = PlattCalibrator.fit(score(split.valid.frame), split.valid.y)
    return calibrator.probability(score(split.holdout.frame))


def train_model(
    spec: ModelSpec,
    dataset: Dataset,
    *,
    seed: int = 7,
    truth: pd.Series | None = None,
    by_date_share: float | None = None,
) -> TrainResult:
    """Fit, calibrate on the validation rows, evaluate everything on the holdout."""
    split = split_dataset(dataset, seed, by_date_share=by_date_share)
    booster, calibrator, params = fit_booster(spec, split, seed)
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
    if spec.banded and split.train.frame["altman_z2"].notna().any():
        probabilities["altman_z2"] = altman_baseline(split)
    probabilities["reference"], reference_inputs = fit_reference(
        spec,
        (split.train.frame, split.train.y),
        (split.valid.frame, split.valid.y),
        split.holdout.frame,
        seed,
    )
    if truth is not None:
        aligned = truth.reindex(
            pd.MultiIndex.from_frame(split.holdout.keys[list(truth.index.names)])
        )
        if aligned.notna().all():
            probabilities["truth"] = aligned.to_numpy()
    y = split.holdout.y.to_numpy()
    metrics: dict[str, float] = {}
    for name, p in probabilities.items():
        for metric, value in evaluate(y, p).items():
            metrics[f"{name}_{metric}"] = value
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
        spec, scorer, split, metrics, probabilities, importance, booster.best_iteration, params
    )
