"""The brute-force reference of every training run: LightGBM with default settings on every
pairwise ratio of the statement lines present, each line's change on the year before, and the
model's features that do not come from statements.

It needs no knowledge of credit analysis, so a model built on the ratio library should match it;
where the reference wins, the library misses a combination of lines the data rewards, and the
run says so (`training.pipeline`, the model card, `rescue promote`).
"""

from __future__ import annotations

from itertools import combinations

import lightgbm as lgb
import numpy as np
import pandas as pd

from features.registry import FEATURES, PLAN_FEATURES
from features.statements import AMOUNTS
from models.scorer import model_matrix
from models.specs import ModelSpec

# Feature families computed from the statements; the others (credit record, applications,
# firm, plan terms) join the reference as they are.
STATEMENT_FAMILIES = frozenset(
    ("liquidity", "leverage", "coverage", "profitability", "activity", "growth",
     "cash_flow", "distress_score", "size")
)  # fmt: skip
MAX_ROUNDS = 2000
EARLY_STOPPING = 100
FAMILY = {f.name: f.family for f in (*FEATURES, *PLAN_FEATURES)}


def loses_to_reference(metrics: dict[str, float]) -> bool:
    """The model ranks the holdout worse than its brute-force reference."""
    return metrics["model_roc_auc"] < metrics["reference_roc_auc"]


def loses_to_logistic(metrics: dict[str, float]) -> bool:
    """The logistic baseline on the same features ranks the holdout better: never silent."""
    return metrics["logistic_roc_auc"] > metrics["model_roc_auc"]


def verdict(metrics: dict[str, float]) -> str:
    """One sentence on the model against its reference, for the log, the card and promotion."""
    model, reference = metrics["model_roc_auc"], metrics["reference_roc_auc"]
    inputs = int(metrics["reference_inputs"])
    if loses_to_reference(metrics):
        return (
            f"loses to its brute-force reference: holdout ROC AUC {model:.4f} < {reference:.4f} "
            f"(ratio {model / reference:.4f}; LightGBM defaults on {inputs} inputs). The ratio "
            "library misses combinations of statement lines that the data rewards; "
            "`rescue promote` refuses this version without --force"
        )
    return (
        f"beats its brute-force reference: holdout ROC AUC {model:.4f} >= {reference:.4f} "
        f"(ratio {model / reference:.4f}; LightGBM defaults on {inputs} inputs)"
    )


def lines_present(frame: pd.DataFrame) -> list[str]:
    """The statement lines with at least one value in `frame`."""
    return [line for line in AMOUNTS if frame[f"line_{line}"].notna().any()]


def reference_matrix(frame: pd.DataFrame, spec: ModelSpec, lines: list[str]) -> pd.DataFrame:
    """Pairwise ratios of `lines` (NaN where the denominator is zero or missing), each line's
    ratio to the year before, and the spec's features that do not come from statements."""
    latest = {line: frame[f"line_{line}"].to_numpy(dtype="float64") for line in lines}
    columns: dict[str, np.ndarray] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for a, b in combinations(lines, 2):
            columns[f"{a}_to_{b}"] = np.where(latest[b] != 0, latest[a] / latest[b], np.nan)
        for line in lines:
            prior = frame[f"prior_line_{line}"].to_numpy(dtype="float64")
            columns[f"{line}_to_prior"] = np.where(prior != 0, latest[line] / prior, np.nan)
    out = pd.DataFrame(columns, index=frame.index)
    others = [f for f in spec.features if FAMILY.get(f) not in STATEMENT_FAMILIES]
    return pd.concat([out, model_matrix(frame, others)], axis=1)


def reference_params(seed: int) -> dict[str, object]:
    """LightGBM's defaults, made reproducible and bounded to the machine."""
    return {
        "objective": "binary",
        "seed": seed,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": 2,
        "verbosity": -1,
    }


def fit_reference(
    spec: ModelSpec,
    train: tuple[pd.DataFrame, pd.Series],
    valid: tuple[pd.DataFrame, pd.Series],
    holdout: pd.DataFrame,
    seed: int,
) -> tuple[np.ndarray, int, int]:
    """Holdout probabilities of the reference fitted on `train`, its rounds chosen by early
    stopping on `valid` (never on the holdout); the number of inputs it had and of its rounds."""
    lines = lines_present(train[0])
    X_train = reference_matrix(train[0], spec, lines)
    data = lgb.Dataset(X_train, train[1])
    check = lgb.Dataset(reference_matrix(valid[0], spec, lines), valid[1], reference=data)
    booster = lgb.train(
        reference_params(seed),
        data,
        num_boost_round=MAX_ROUNDS,
        valid_sets=[check],
        callbacks=[lgb.early_stopping(EARLY_STOPPING, verbose=False)],
    )
    probability = booster.predict(
        reference_matrix(holdout, spec, lines), num_iteration=booster.best_iteration
    )
    return np.asarray(probability, dtype="float64"), X_train.shape[1], booster.best_iteration


def refit_reference(
    spec: ModelSpec,
    train: tuple[pd.DataFrame, pd.Series],
    scored: pd.DataFrame,
    rounds: int,
    seed: int,
) -> np.ndarray:
    """The reference fitted again on other rows for the rounds it was given (as the model is
    in the repeated splits), and its probabilities of `scored`."""
    lines = lines_present(train[0])
    data = lgb.Dataset(reference_matrix(train[0], spec, lines), train[1])
    booster = lgb.train(reference_params(seed), data, num_boost_round=max(rounds, 1))
    return np.asarray(booster.predict(reference_matrix(scored, spec, lines)), dtype="float64")
