"""Reading models from the MLflow registry: shared by training, batch scoring and the service.

By default the store is embedded: a SQLite file and an artifact folder under `var/` (or
RESCUE_VAR). MLFLOW_TRACKING_URI points everything at a real MLflow server instead. MLflow is
imported only when it has to be asked: a batch run whose champion is remembered
(`models.resolved`) never loads it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from models import resolved
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
    # MLflow reads these when it is first imported; once imported it must be told.
    os.environ["MLFLOW_TRACKING_URI"] = os.environ["MLFLOW_REGISTRY_URI"] = uri
    if "mlflow" in sys.modules:
        import mlflow

        mlflow.set_tracking_uri(uri)
        mlflow.set_registry_uri(uri)
    return uri


def registry_uri() -> str | None:
    """The registry `configure` set, read without importing MLflow when it is not loaded."""
    if "mlflow" in sys.modules:
        import mlflow

        return mlflow.get_registry_uri()
    return os.environ.get("MLFLOW_REGISTRY_URI") or os.environ.get("MLFLOW_TRACKING_URI")


def load_scorer(model_uri: str) -> Scorer:
    """The Scorer inside a logged pyfunc (`models:/name@champion`, `models:/name/3`,
    `runs:/...`). A registered version is read straight from its artifacts (the scorer JSON and
    its TreeSHAP tables): loading the whole pyfunc takes seconds a batch job or a worker's start
    pays for nothing."""
    folder = _registered_folder(model_uri)
    if folder is not None:
        return Scorer.load(folder / SCORER_FILE, folder / TABLES_FILE)
    import mlflow

    model = mlflow.pyfunc.load_model(model_uri)
    scorer: Scorer = model.unwrap_python_model().scorer
    return scorer


def _registered_folder(model_uri: str) -> Path | None:
    """The local folder of a registered version's artifacts (remembered for this state of an
    embedded store, or asked of MLflow), or None to load the pyfunc."""
    if not model_uri.startswith("models:/"):
        return None
    uri = registry_uri()
    database = resolved.sqlite_file(uri) if uri else None
    if database is None:
        return _scorer_artifacts(model_uri)[0]
    state = resolved.store_state(database)
    folder = resolved.recall(database, state, model_uri)
    if folder is not None and (folder / SCORER_FILE).is_file():
        return folder
    folder, local = _scorer_artifacts(model_uri)
    if folder is not None and local:
        resolved.remember(database, state, model_uri, folder)
    return folder


def _scorer_artifacts(model_uri: str) -> tuple[Path | None, bool]:
    """The local folder of a registered version's artifacts, or None to load the pyfunc; and
    whether the folder is the artifact store itself rather than a downloaded copy."""
    import mlflow
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

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
            return None, False
        logged = client.get_logged_model(source.removeprefix("models:/"))
        uri = f"{logged.artifact_location.rstrip('/')}/artifacts"
        folder = Path(mlflow.artifacts.download_artifacts(artifact_uri=uri))
    except (MlflowException, OSError):
        return None, False
    if not (folder / SCORER_FILE).is_file():
        return None, False
    return folder, uri.startswith(("file:", "/"))


def alias_version(name: str, alias: str) -> str | None:
    from mlflow.exceptions import MlflowException
    from mlflow.tracking import MlflowClient

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
