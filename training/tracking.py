"""MLflow tracking and registry: where runs go, how models are registered and promoted.

Reading models back (configure, load_scorer, alias_version) lives in models.registry, which
the service shares; this module adds what only training does: logging, registering, promoting.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import mlflow
import pandas as pd
from mlflow.tracking import MlflowClient

from models import resolved
from models.metrics import evaluate
from models.registry import (
    CHALLENGER,
    CHAMPION,
    SCORER_ARTIFACT,
    SCORER_FILE,
    TABLES_ARTIFACT,
    TABLES_FILE,
    alias_version,
    configure,
    load_scorer,
)
from models.scorer import Scorer
from training.reference import loses_to_reference, verdict

log = logging.getLogger(__name__)
EXPERIMENT = "sme-rescue"
PRIMARY_METRIC = "roc_auc"
_PACKAGE_ROOT = Path(__file__).resolve().parent.parent


def experiment_id(name: str = EXPERIMENT) -> str:
    client = MlflowClient()
    found = client.get_experiment_by_name(name)
    if found is not None:
        return found.experiment_id
    location = None
    database = resolved.sqlite_file(mlflow.get_tracking_uri())
    if database is not None:  # embedded store: artifacts beside the database file
        location = (database.parent / "mlartifacts").as_uri()
    return client.create_experiment(name, artifact_location=location)


def pip_requirements() -> list[str]:
    names = ["lightgbm", "numpy", "pandas", "scikit-learn", "pyarrow", "mlflow"]
    return [f"{n}=={version(n)}" for n in names]


@dataclass
class Registered:
    run_id: str
    version: str


def log_scorer(scorer: Scorer, folder: Path) -> Registered:
    """Log the scorer as a self-contained pyfunc (feature code included) and register it."""
    artifacts = {SCORER_ARTIFACT: str(scorer.save(folder / SCORER_FILE))}
    tables = scorer.save_tables(folder / TABLES_FILE)
    if tables is not None:
        artifacts[TABLES_ARTIFACT] = str(tables)
    # MLflow prints its registration messages on standard error; they become debug records.
    chatter = io.StringIO()
    with contextlib.redirect_stderr(chatter):
        info = mlflow.pyfunc.log_model(
            name="model",
            python_model=str(_PACKAGE_ROOT / "models" / "pyfunc_model.py"),
            artifacts=artifacts,
            code_paths=[str(_PACKAGE_ROOT / "features"), str(_PACKAGE_ROOT / "models")],
            pip_requirements=pip_requirements(),
            registered_model_name=scorer.name,
        )
    log.debug("mlflow: %s", chatter.getvalue().strip())
    version_ = str(info.registered_model_version)
    MlflowClient().set_registered_model_alias(scorer.name, CHALLENGER, version_)
    return Registered(info.run_id, version_)


@dataclass
class Promotion:
    promoted: bool
    message: str
    challenger: str | None
    champion: str | None


def holdout_of(run_id: str) -> pd.DataFrame:
    """A run's holdout rows: feature columns, and `_label` and the keys prefixed with `_`."""
    with tempfile.TemporaryDirectory() as tmp:
        path = mlflow.artifacts.download_artifacts(
            run_id=run_id, artifact_path="holdout/holdout.parquet", dst_path=tmp
        )
        return pd.read_parquet(path)


def promote(name: str, *, force: bool = False, reason: str | None = None) -> Promotion:
    """Move `champion` to the challenger if it beats the champion on the challenger's holdout."""
    client = MlflowClient()
    challenger = alias_version(name, CHALLENGER)
    champion = alias_version(name, CHAMPION)
    if challenger is None:
        return Promotion(False, f"{name}: no challenger to promote", None, champion)
    if challenger == champion:
        return Promotion(
            False, f"{name}: version {challenger} is already champion", challenger, champion
        )
    if force:
        if not reason:
            raise ValueError("--force needs a --reason")
        client.set_model_version_tag(name, challenger, "forced_promotion_reason", reason)
        client.set_registered_model_alias(name, CHAMPION, challenger)
        return Promotion(
            True,
            f"{name}: version {challenger} forced to champion ({reason})",
            challenger,
            champion,
        )
    run_id = client.get_model_version(name, challenger).run_id
    behind = _behind_reference(run_id) if run_id else None
    if behind:
        return Promotion(
            False, f"{name}: not promoted. Version {challenger} {behind}", challenger, champion
        )
    if champion is None:
        client.set_registered_model_alias(name, CHAMPION, challenger)
        return Promotion(
            True, f"{name}: version {challenger} is the first champion", challenger, None
        )
    if run_id is None:
        return Promotion(False, f"{name}: version {challenger} has no training run", None, champion)
    holdout = holdout_of(run_id)
    y = holdout.pop("_label").to_numpy()
    holdout = holdout.drop(columns=[c for c in holdout if c.startswith("_")])
    scores = {}
    for label, version_ in (("challenger", challenger), ("champion", champion)):
        scorer = load_scorer(f"models:/{name}/{version_}")
        p = scorer.score(holdout, explain=False)["probability"].to_numpy()
        scores[label] = evaluate(y, p)[PRIMARY_METRIC]
    summary = (
        f"{PRIMARY_METRIC} on the challenger's holdout ({len(y)} rows): challenger v{challenger} "
        f"{scores['challenger']:.4f}, champion v{champion} {scores['champion']:.4f}"
    )
    client.set_model_version_tag(name, challenger, "promotion_check", summary)
    if scores["challenger"] > scores["champion"]:
        client.set_registered_model_alias(name, CHAMPION, challenger)
        return Promotion(True, f"{name}: promoted. {summary}", challenger, champion)
    return Promotion(False, f"{name}: not promoted. {summary}", challenger, champion)


def _behind_reference(run_id: str) -> str | None:
    """Why a run's model may not be promoted without --force: it lost to its brute-force
    reference. None for a run that beat it, or one trained before runs had a reference."""
    metrics = MlflowClient().get_run(run_id).data.metrics
    if "reference_roc_auc" not in metrics or not loses_to_reference(metrics):
        return None
    return verdict(metrics)


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, indent=2, default=str))
    return path


__all__ = [
    "CHALLENGER",
    "CHAMPION",
    "Promotion",
    "Registered",
    "alias_version",
    "configure",
    "experiment_id",
    "load_scorer",
    "log_scorer",
    "promote",
    "write_json",
]
