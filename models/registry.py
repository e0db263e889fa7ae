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
# A logged model's artifacts, by the name the pyfunc gives them, and their files.
SCORER_ARTIFACT, TABLES_ARTIFACT = "scorer", "treeshap"
SCORER_FILE, TABLES_FILE = f"{SCORER_ARTIFACT}.json", f"{TABLES_ARTIFACT}.npz"


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
    """The Scorer inside a logged pyfunc (`models:/name@champion`, `models:/name/3`,
    `runs:/...`). A registered version is read straight from its artifacts (the scorer JSON and
    its TreeSHAP tables): loading the whole pyfunc takes seconds a batch job or a worker's start
    pays for nothing."""
    folder = _scorer_artifacts(model_uri)
    if folder is not None:
        return Scorer.load(folder / SCORER_FILE, folder / TABLES_FILE)
    model = mlflow.pyfunc.load_model(model_uri)
    scorer: Scorer = model.unwrap_python_model().scorer
    return scorer


def _scorer_artifacts(model_uri: str) -> Path | None:
    """The local folder of a registered version's artifacts, or None to load the pyfunc."""
    if not model_uri.startswith("models:/"):
        return None
    name, _, rest = model_uri.removeprefix("models:/").partition("@")
    try:
        client = MlflowClient()
        if rest:
            version = client.get_model_version_by_alias(name, rest)
        else:
            name, _, number = name.partition("/")
            version = client.get_model_version(name, number)
        source = version.source or ""
        if not source.startswith("models:/"):
            return None
        logged = client.get_logged_model(source.removeprefix("models:/"))
        uri = f"{logged.artifact_location.rstrip('/')}/artifacts"
        folder = Path(mlflow.artifacts.download_artifacts(artifact_uri=uri))
    except (MlflowException, OSError):
        return None
    return folder if (folder / SCORER_FILE).is_file() else None


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
