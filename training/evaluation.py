"""A model checked on labelled statements it has never seen: a new sample, or a later year.

The training run's own holdout is small (a few dozen failures move its AUC by several
hundredths), so the way to know a champion is to score a portfolio kept apart from its
training. Each figure comes with a bootstrap interval over the evaluated rows. Beside it stands
the brute-force reference (`training.reference`) fitted on the champion's own training data and
scored on the same rows; the model's lead over it is a paired bootstrap of the same resamples,
so the interval says whether the lead is more than chance.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
from mlflow.tracking import MlflowClient
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import StratifiedGroupKFold

from features import Portfolio, load_portfolio
from models.metrics import bootstrap_intervals, evaluate
from models.scorer import Scorer
from models.specs import DISTRESS, FEASIBILITY, SPECS
from training.datasets import Dataset, distress_dataset, feasibility_dataset
from training.reference import fit_reference
from training.tracking import experiment_id

RESAMPLES = 500
DATASETS: dict[str, Callable[[Portfolio], Dataset]] = {
    DISTRESS: distress_dataset,
    FEASIBILITY: feasibility_dataset,
}
SHOWN = ("roc_auc", "pr_auc", "brier", "ece")


class NoOutcomesError(ValueError):
    """A portfolio without outcomes of both kinds for the model: nothing to rank."""


@dataclass
class Evaluation:
    """A model's figures on one labelled portfolio, and its reference's where it could be fitted."""

    model: str
    version: str | None
    data_dir: str
    rows: int
    positives: int
    metrics: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    reference: dict[str, float] = field(default_factory=dict)
    reference_intervals: dict[str, tuple[float, float]] = field(default_factory=dict)
    lead: dict[str, float] = field(default_factory=dict)  # model minus reference, paired
    training_dir: str | None = None
    seen: int = 0  # evaluated businesses whose ids are in the training data
    note: str = ""

    def lines(self) -> list[str]:
        label = f"{self.model} v{self.version}" if self.version else self.model
        out = [
            f"{label} on {self.data_dir}: {self.rows:,} labelled rows, {self.positives:,} "
            f"positive ({self.positives / self.rows:.1%}); 95% bootstrap intervals",
        ]
        for name in SHOWN:
            low, high = self.intervals.get(name, (np.nan, np.nan))
            row = f"  {name:<8} {self.metrics[name]:.4f} [{low:.4f}, {high:.4f}]"
            if name in self.reference:
                r_low, r_high = self.reference_intervals.get(name, (np.nan, np.nan))
                row += f"   reference {self.reference[name]:.4f} [{r_low:.4f}, {r_high:.4f}]"
            out.append(row)
        if self.lead:
            ratio = self.metrics["roc_auc"] / self.reference["roc_auc"]
            low, high = self.lead["roc_auc_low"], self.lead["roc_auc_high"]
            if low > 0:
                verdict = "the model ranks better than its reference"
            elif high < 0:
                verdict = "the reference ranks better: the features miss what the lines hold"
            else:
                verdict = "the interval includes zero: no difference shown on this sample"
            out.append(
                f"  ROC AUC lead over the reference {self.lead['roc_auc']:+.4f} "
                f"[{low:+.4f}, {high:+.4f}] (ratio {ratio:.3f}): {verdict}"
            )
        if self.training_dir:
            out.append(f"  reference fitted on {self.training_dir}")
        if self.seen:
            out.append(
                f"  warning: {self.seen:,} evaluated businesses have ids that are in the "
                "training data; if they are the same firms, the figures flatter the model"
            )
        if self.note:
            out.append(f"  {self.note}")
        return out


def labelled_rows(model: str, portfolio: Portfolio, where: str | Path) -> Dataset:
    """The rows `model` predicts, with their outcomes; an error naming the folder when there are
    none to rank."""
    dataset = DATASETS[model](portfolio)
    if len(dataset) == 0 or dataset.y.nunique() < 2:
        raise NoOutcomesError(
            f"{where}: no {model} outcomes of both kinds to evaluate against "
            f"({len(dataset)} labelled rows)"
        )
    return dataset


def paired_lead(
    y: np.ndarray, model: np.ndarray, reference: np.ndarray, resamples: int, seed: int
) -> dict[str, float]:
    """The model's ROC AUC minus the reference's, with a 95% interval over resamples that draw
    the same rows for both."""
    rng = np.random.default_rng(seed)
    draws = []
    for _ in range(resamples):
        rows = rng.integers(0, len(y), len(y))
        if y[rows].min() == y[rows].max():
            continue
        draws.append(roc_auc_score(y[rows], model[rows]) - roc_auc_score(y[rows], reference[rows]))
    return {
        "roc_auc": float(roc_auc_score(y, model) - roc_auc_score(y, reference)),
        "roc_auc_low": float(np.percentile(draws, 2.5)),
        "roc_auc_high": float(np.percentile(draws, 97.5)),
    }


def _rows(rows: np.ndarray, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[rows] = True
    return mask


def _fit_and_score_reference(
    model: str, training: Dataset, scored: pd.DataFrame, seed: int
) -> np.ndarray:
    """The reference fitted on the training rows, its rounds chosen on a fifth of the
    businesses held apart, then its probabilities of `scored`."""
    folds = StratifiedGroupKFold(5, shuffle=True, random_state=seed)
    groups = training.keys["business_id"].astype(str).to_numpy()
    fit, check = next(folds.split(np.zeros(len(training)), training.y, groups))
    fitted, valid = (
        training.take(_rows(fit, len(training))),
        training.take(_rows(check, len(training))),
    )
    probability, _, _ = fit_reference(
        SPECS[model], (fitted.frame, fitted.y), (valid.frame, valid.y), scored, seed
    )
    return probability


def training_folder(model: str, version: str | None) -> Path | None:
    """The folder the registered version was trained on, as its run recorded it."""
    if version is None:
        return None
    client = MlflowClient()
    run_id = client.get_model_version(model, version).run_id
    if not run_id:
        return None
    recorded = client.get_run(run_id).data.tags.get("data_dir")
    return Path(recorded) if recorded else None


def evaluate_portfolio(
    data_dir: str | Path,
    rows: Dataset,
    scorer: Scorer,
    *,
    version: str | None = None,
    training_dir: Path | None = None,
    resamples: int = RESAMPLES,
    seed: int = 7,
) -> Evaluation:
    """Score the labelled `rows` of `data_dir` with `scorer`, and fit the brute-force reference
    on `training_dir` (the champion's training data) to score the same rows."""
    y = rows.y.to_numpy(dtype=int)
    probability = scorer.score(rows.frame, explain=False)["probability"].to_numpy()
    result = Evaluation(
        scorer.name, version, str(data_dir), len(y), int(y.sum()),
        evaluate(y, probability), bootstrap_intervals(y, probability, resamples, seed),
    )  # fmt: skip
    if training_dir is None or not training_dir.is_dir():
        where = f" ({training_dir} is not a folder)" if training_dir else ""
        result.note = f"no reference: the champion's training data was not found{where}"
        return result
    training = labelled_rows(scorer.name, load_portfolio(training_dir), training_dir)
    seen = set(training.keys["business_id"].astype(str))
    result.seen = len(set(rows.keys["business_id"].astype(str)) & seen)
    reference = _fit_and_score_reference(scorer.name, training, rows.frame, seed)
    result.training_dir = str(training_dir)
    result.reference = evaluate(y, reference)
    result.reference_intervals = bootstrap_intervals(y, reference, resamples, seed)
    result.lead = paired_lead(y, probability, reference, resamples, seed)
    return result


def log_evaluation(result: Evaluation) -> str:
    """Log the figures to MLflow in the models' experiment, tagged with the version they check;
    returns the run id."""
    metrics = {f"eval_{k}": v for k, v in result.metrics.items()}
    for name, (low, high) in result.intervals.items():
        metrics |= {f"eval_{name}_low": low, f"eval_{name}_high": high}
    metrics |= {f"eval_reference_{k}": v for k, v in result.reference.items()}
    metrics |= {f"eval_lead_{k}": v for k, v in result.lead.items()}
    metrics |= {"eval_rows": float(result.rows), "eval_positives": float(result.positives)}
    with mlflow.start_run(
        experiment_id=experiment_id(), run_name=f"evaluate {result.model}"
    ) as run:
        mlflow.set_tags(
            {
                "kind": "evaluation",
                "model_name": result.model,
                "evaluates_version": result.version or "",
                "data_dir": result.data_dir,
                "training_dir": result.training_dir or "",
                "seen_businesses": str(result.seen),
            }
        )
        mlflow.log_metrics(metrics)
        mlflow.log_text("\n".join(result.lines()), "evaluation.txt")
        return str(run.info.run_id)
