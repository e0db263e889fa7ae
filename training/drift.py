"""`rescue drift`: population stability between the rows a champion was judged on and recent
intakes, per feature and of the score, logged to MLflow for the models page.

The reference is the champion run's holdout: the latest rows of its training data, the
population it was last measured on. The recent population is the portfolio's case businesses
(received on or after `since` when given; every business when there are no cases), with their
features at the portfolio's date. The population stability index sums, over the reference's
deciles (and a bin for missing values, and one per category), (recent - reference) share times
the log of their ratio. Conventional reading: under 0.1 stable, 0.1 to 0.25 worth watching,
0.25 or more a shift to act on (re-validate, retrain).
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
from mlflow.tracking import MlflowClient

from features import build_features, load_portfolio
from features.portfolio import portfolio_date
from features.registry import CATEGORICAL
from models.drift import DRIFT_EXPERIMENT, PSI_ACT, PSI_WATCH, level
from models.registry import CHAMPION, load_scorer
from training.tracking import holdout_of

BINS = 10
FLOOR = 1e-4  # a share never taken as zero, so an empty bin counts without dividing by it


def _shares(values: pd.Series, edges: np.ndarray | None, categories: list[str]) -> np.ndarray:
    missing = values.isna().to_numpy()
    if edges is None:
        text = values.astype("object").where(~missing, None)
        counts = [int((text == c).sum()) for c in categories]
    else:
        numbers = values.astype("float64").to_numpy()[~missing]
        counts = list(
            np.bincount(np.searchsorted(edges, numbers, side="right"), minlength=len(edges) + 1)
        )
    counts.append(int(missing.sum()))
    total = max(sum(counts), 1)
    return np.maximum(np.asarray(counts, dtype="float64") / total, FLOOR)


def psi(reference: pd.Series, recent: pd.Series, categorical: bool = False) -> float:
    """The population stability index of `recent` against `reference`."""
    if categorical:
        categories = sorted({str(v) for v in pd.concat([reference, recent]).dropna()})
        edges = None
        reference, recent = reference.astype("object"), recent.astype("object")
        reference = reference.where(reference.isna(), reference.astype(str))
        recent = recent.where(recent.isna(), recent.astype(str))
    else:
        categories = []
        known = reference.astype("float64").dropna()
        if known.empty:
            return math.nan
        edges = np.unique(np.quantile(known, np.linspace(0, 1, BINS + 1)[1:-1]))
    expected = _shares(reference, edges, categories)
    actual = _shares(recent, edges, categories)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


@dataclass
class Drift:
    model: str
    version: str
    reference_rows: int
    recent_rows: int
    score_psi: float
    table: pd.DataFrame  # feature, psi, level, missing share in each population
    run_id: str | None = None

    def lines(self, top: int = 10) -> list[str]:
        out = [
            f"{self.model} v{self.version}: {self.reference_rows:,} reference rows (champion's "
            f"holdout) against {self.recent_rows:,} recent; score PSI {self.score_psi:.3f} "
            f"({level(self.score_psi)}; watch >= {PSI_WATCH}, act >= {PSI_ACT})"
        ]
        for row in self.table.head(top).itertuples():
            out.append(f"  {row.feature}: PSI {row.psi:.3f} ({row.level})")
        return out


def measure(model: str, reference: pd.DataFrame, recent: pd.DataFrame, version: str) -> Drift:
    scorer = load_scorer(f"models:/{model}@{CHAMPION}")
    features = [f for f in scorer.features if f in recent.columns]
    rows = []
    for name in features:
        value = psi(reference[name], recent[name], categorical=name in CATEGORICAL)
        rows.append(
            {
                "feature": name, "psi": value, "level": level(value),
                "missing_reference": float(reference[name].isna().mean()),
                "missing_recent": float(recent[name].isna().mean()),
            }
        )  # fmt: skip
    table = pd.DataFrame(rows).sort_values("psi", ascending=False, na_position="last")
    score_psi = math.nan  # a plan model's score needs plan terms intakes do not have
    if len(features) == len(scorer.features):
        scores = [
            pd.Series(scorer.score(frame, explain=False)["probability"].to_numpy())
            for frame in (reference, recent)
        ]
        score_psi = psi(*scores)
    return Drift(
        model, version, len(reference), len(recent), score_psi, table.reset_index(drop=True)
    )


def run_drift(
    data_dir: Path,
    *,
    model: str,
    as_of: dt.date | None = None,
    since: dt.date | None = None,
) -> Drift:
    """Measure and log one model's drift; MLflow must be configured by the caller."""
    client = MlflowClient()
    version = client.get_model_version_by_alias(model, CHAMPION)
    reference = holdout_of(version.run_id or "")
    portfolio = load_portfolio(data_dir)
    when = as_of or portfolio_date(portfolio)
    cases = portfolio.cases
    if len(cases):
        if since is not None:
            cases = cases[cases["received_at"] >= pd.Timestamp(since)]
        portfolio = portfolio.subset(cases["business_id"].unique().tolist())
    recent = build_features(portfolio, pd.Timestamp(when))
    drift = measure(model, reference, recent, version.version)
    experiment = mlflow.set_experiment(DRIFT_EXPERIMENT)
    with mlflow.start_run(experiment_id=experiment.experiment_id, run_name=f"{model} drift") as run:
        mlflow.set_tags(
            {"model_name": model, "model_version": version.version, "as_of": str(when),
             "data_dir": str(data_dir), "since": str(since or "")}
        )  # fmt: skip
        mlflow.log_metrics(
            {"score_psi": drift.score_psi, "reference_rows": drift.reference_rows,
             "recent_rows": drift.recent_rows}
            | {f"psi_{r.feature}": r.psi for r in drift.table.itertuples() if not math.isnan(r.psi)}
        )  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "drift.csv"
            drift.table.to_csv(path, index=False)
            mlflow.log_artifact(str(path))
        drift.run_id = run.info.run_id
    return drift
