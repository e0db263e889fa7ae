"""Drift as the models page reads it: the thresholds of the population stability index and the
latest measurement of each model (`rescue drift`, training.drift, writes them to MLflow)."""

from __future__ import annotations

import datetime as dt
import math

from mlflow.tracking import MlflowClient

PSI_WATCH = 0.1
PSI_ACT = 0.25
DRIFT_EXPERIMENT = "rescue-drift"


def level(value: float) -> str:
    if math.isnan(value):
        return "n/a"
    return "act" if value >= PSI_ACT else "watch" if value >= PSI_WATCH else "stable"


def latest_drift(model: str) -> dict[str, object] | None:
    """The latest drift run of a model, for the models page: its score PSI and the features
    at or above the watch line."""
    client = MlflowClient()
    experiment = client.get_experiment_by_name(DRIFT_EXPERIMENT)
    if experiment is None:
        return None
    runs = client.search_runs(
        [experiment.experiment_id],
        filter_string=f"tags.model_name = '{model}'",
        order_by=["attributes.start_time DESC"],
        max_results=1,
    )
    if not runs:
        return None
    run = runs[0]
    metrics = run.data.metrics
    shifted = sorted(
        ((k.removeprefix("psi_"), v) for k, v in metrics.items() if k.startswith("psi_")),
        key=lambda kv: -kv[1],
    )
    return {
        "as_of": run.data.tags.get("as_of"),
        "version": run.data.tags.get("model_version"),
        "measured_at": dt.datetime.fromtimestamp(run.info.start_time / 1000, dt.UTC),
        "score_psi": metrics.get("score_psi", math.nan),
        "score_level": level(metrics.get("score_psi", math.nan)),
        "features": [(k, v, level(v)) for k, v in shifted if v >= PSI_WATCH],
        "recent_rows": metrics.get("recent_rows", 0.0),
    }
