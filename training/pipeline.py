"""`rescue train`: both models from one portfolio, each as a tracked and registered MLflow run."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mlflow
import pandas as pd

from features import Portfolio, PortfolioError, load_portfolio
from features.imports.quarantine import quarantine as set_aside
from features.registry import COMPOSITE_NAMES
from models.specs import DISTRESS_SPEC, FEASIBILITY_SPEC, ModelSpec
from training import report
from training.datasets import Dataset, distress_dataset, feasibility_dataset
from training.progress import Say, Steps, progress
from training.reference import loses_to_logistic, loses_to_reference, verdict
from training.tracking import configure, experiment_id, log_scorer, write_json
from training.train import OUT_OF_TIME_SHARE, TrainResult, train_model

MIN_ROWS = 100
MIN_PER_CLASS = 20


@dataclass
class Trained:
    name: str
    version: str | None
    run_id: str | None
    metrics: dict[str, Any]
    message: str


def fingerprint(portfolio: Portfolio) -> str:
    """A hash of every supplied table's content: which data a run was trained on."""
    digest = hashlib.sha256()
    for name in sorted(portfolio.supplied):
        frame = portfolio.tables[name]
        digest.update(name.encode())
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    return digest.hexdigest()


def load_truth(data_dir: Path) -> pd.DataFrame | None:
    """The generator's true probabilities, when the portfolio is a synthetic one."""
    path = data_dir / "truth.csv"
    if not path.exists():
        return None
    return pd.read_csv(path, dtype={"restructuring_id": str}, parse_dates=["as_of"])


def _truth_for(spec: ModelSpec, truth: pd.DataFrame | None) -> pd.Series | None:
    if truth is None:
        return None
    if spec is DISTRESS_SPEC:
        rows = truth[truth["model"] == "distress"]
        return rows.set_index(["business_id", "as_of"])["p_true"]
    rows = truth[truth["model"] == "feasibility"]
    return rows.set_index(["restructuring_id"])["p_true"]


def _trainable(dataset: Dataset) -> str | None:
    if len(dataset) < MIN_ROWS:
        return f"only {len(dataset)} labelled rows (need {MIN_ROWS})"
    counts = dataset.y.value_counts()
    if len(counts) < 2 or counts.min() < MIN_PER_CLASS:
        return f"too few of one outcome ({counts.to_dict()}; need {MIN_PER_CLASS} of each)"
    return None


def _windows(result: TrainResult) -> dict[str, str]:
    """The as-of dates each part of the split covers, as run tags."""
    out = {}
    for part in ("train", "holdout"):
        dates = pd.to_datetime(getattr(result.split, part).keys["as_of"])
        if len(dates):
            out[f"{part}_window"] = f"{dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
    return out


def _log_run(result: TrainResult, portfolio_hash: str, data_dir: Path, seed: int) -> Trained:
    spec = result.spec
    with mlflow.start_run(experiment_id=experiment_id(), run_name=spec.name) as run:
        params = {k: v for k, v in result.params.items() if k != "monotone_constraints"}
        mlflow.log_params({**params, "n_features": len(spec.features), "train_seed": seed})
        mlflow.set_tags(
            {
                "model_name": spec.name,
                "split_strategy": result.split.strategy,
                "data_fingerprint": portfolio_hash,
                "data_dir": str(data_dir.resolve()),
                "loses_to_reference": str(loses_to_reference(result.metrics)).lower(),
                "loses_to_logistic": str(loses_to_logistic(result.metrics)).lower(),
                **_windows(result),
            }
        )
        mlflow.log_metrics({k: float(v) for k, v in result.metrics.items()})
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            plots = folder / "plots"
            plots.mkdir()
            report.roc_plot(result, plots / "roc.png")
            report.calibration_plot(result, plots / "calibration.png")
            report.shap_summary_plot(result, plots / "shap_summary.png")
            report.shap_plots(result, plots)
            mlflow.log_artifacts(str(plots), "plots")
            monotone = result.monotone
            features = [
                {"name": f, "declared_monotone": d, "monotone": c}
                for f, d, c in zip(spec.features, spec.monotone, monotone, strict=True)
            ]
            mlflow.log_artifact(str(write_json(folder / "features.json", features)))
            if result.selection is not None:
                mlflow.log_artifact(
                    str(write_json(folder / "selection.json", result.selection.summary()))
                )
            holdout = result.split.holdout
            frame = holdout.frame[list(spec.features)].copy()
            frame["_label"] = holdout.y.to_numpy()
            for column in holdout.keys:
                frame[f"_{column}"] = holdout.keys[column].astype(str).to_numpy()
            (folder / "holdout").mkdir()
            frame.to_parquet(folder / "holdout" / "holdout.parquet", index=False)
            mlflow.log_artifacts(str(folder / "holdout"), "holdout")
            registered = log_scorer(result.scorer, folder)
            card = report.model_card(
                result,
                version=registered.version,
                fingerprint=portfolio_hash,
                data_dir=str(data_dir),
            )
            mlflow.log_text(card, "model_card.md")
        return Trained(spec.name, registered.version, run.info.run_id, result.metrics, "trained")


# Each model's steps with their usual share of a run: building its rows, the steps of
# `train_model` (TRAIN_STEPS), then logging and registering it. Measured on a 3,000-business
# portfolio on 2 cores, where choosing settings takes half the run and feasibility a tenth.
STEP_WEIGHTS = {
    DISTRESS_SPEC.name: [1.0, 60.0, 7.0, 13.0, 20.0, 4.0],
    FEASIBILITY_SPEC.name: [0.1, 3.0, 0.5, 3.0, 1.5, 1.5],
}


def train_all(
    data_dir: str | Path,
    *,
    seed: int = 7,
    tracking_uri: str | None = None,
    say: Say | None = None,
    quarantine: Path | None = None,
) -> list[Trained]:
    """Train, log and register both models; a model without enough labels is skipped. With
    `quarantine`, rows with problems are set aside (written there) instead of stopping."""
    say = say or progress()
    data_dir = Path(data_dir)
    configure(tracking_uri)
    say(f"loading portfolio {data_dir}")
    if quarantine is None:
        portfolio = load_portfolio(data_dir)
    else:
        kept = set_aside(data_dir)
        kept.rejected.to_csv(quarantine, index=False)
        say(f"{kept.summary()}; set-aside rows in {quarantine}")
        if kept.portfolio is None:
            raise PortfolioError(kept.fatal)
        portfolio = kept.portfolio
    portfolio_hash = fingerprint(portfolio)
    truth = load_truth(data_dir)
    steps = Steps([*STEP_WEIGHTS[DISTRESS_SPEC.name], *STEP_WEIGHTS[FEASIBILITY_SPEC.name]], say)
    outcomes = []
    for spec, build, share in (
        (DISTRESS_SPEC, distress_dataset, None),
        (FEASIBILITY_SPEC, feasibility_dataset, OUT_OF_TIME_SHARE),
    ):
        steps.step(f"{spec.name}: building training rows")
        dataset = build(portfolio)
        problem = _trainable(dataset)
        if problem:
            message = f"{spec.name}: skipped: {problem}"
            if spec is FEASIBILITY_SPEC and len(dataset) == 0:
                message = f"{spec.name}: skipped: the portfolio has no restructuring outcomes"
            say(message)
            outcomes.append(Trained(spec.name, None, None, {}, message))
            steps.skip(len(STEP_WEIGHTS[spec.name]) - 1)
            continue
        say(f"{spec.name}: training on {len(dataset):,} rows")
        result = train_model(
            spec, dataset, seed=seed, truth=_truth_for(spec, truth), by_date_share=share,
            step=steps.step,
        )  # fmt: skip
        steps.step(f"{spec.name}: logging to MLflow and registering")
        trained = _log_run(result, portfolio_hash, data_dir, seed)
        m = result.metrics
        line = (
            f"{spec.name}: v{trained.version} ({result.split.strategy}); holdout ROC AUC "
            f"{m['model_roc_auc']:.4f}, ECE {m['model_ece']:.4f}, "
            f"logistic {m['logistic_roc_auc']:.4f}"
        )
        scores = {
            n: m[f"{n}_roc_auc"] for n in ("altman_z2", *COMPOSITE_NAMES) if f"{n}_roc_auc" in m
        }
        if scores:
            best = max(scores, key=scores.__getitem__)
            line += f", best literature score {best} {scores[best]:.4f}"
        if "truth_roc_auc" in m:
            line += (
                f"; true probabilities {m['truth_roc_auc']:.4f}"
                f" (ratio {m['auc_ratio_to_truth']:.4f})"
            )
        say(line)
        say(f"{spec.name}: {verdict(m)}")
        if loses_to_logistic(m):
            say(
                f"{spec.name}: WARNING: the logistic baseline ranks the holdout better "
                f"({m['logistic_roc_auc']:.4f} > {m['model_roc_auc']:.4f})"
            )
        outcomes.append(trained)
    return outcomes
