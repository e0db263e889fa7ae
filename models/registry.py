"""Reading models from the MLflow registry: shared by training, batch scoring and the service.

By default the store is embedded: a SQLite file and an artifact folder under `var/` (or
RESCUE_VAR). MLFLOW_TRACKING_URI points everything at a real MLflow server instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import mlflow
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from models.scorer import Scorer

CHAMPION = "champion"
CHALLENGER = "challenger"


def default_var() -> Path:
    return Path(os.environ.get("RESCUE_VAR", "var")).resolve()


def configure(tracking_uri: str | None = None) -> str:
    """Point MLflow at the given store, MLFLOW_TRACKING_URI, or the embedded one under var/."""
    uri = tracking_uri or os.environ.get("MLFLOW_TRACKING_URI")
    if not uri:
        var = default_var()
        var.mkdir(parents=True, exist_ok=True)
        uri = f"sqlite:///{var / 'mlflow.db'}"
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    return uri


def load_scorer(model_uri: str) -> Scorer:
    """The Scorer inside a logged pyfunc (`models:/name@champion`, `runs:/...`)."""
    model = mlflow.pyfunc.load_model(model_uri)
    scorer: Scorer = model.unwrap_python_model().scorer
    return scorer


def alias_version(name: str, alias: str) -> str | None:
    try:
        return str(MlflowClient().get_model_version_by_alias(name, alias).version)
    except MlflowException:
        return None


def load_champion(name: str, tracking_uri: str | None = None) -> tuple[Scorer, str]:
    """The champion's scorer and version number; raises if there is none."""
    configure(tracking_uri)
    version = alias_version(name, CHAMPION)
    if version is None:
        raise LookupError(f"no {CHAMPION} registered for {name}")
    return load_scorer(f"models:/{name}/{version}"), version
