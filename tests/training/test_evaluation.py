"""`rescue evaluate`: a model's figures on labelled rows it has never seen, with intervals and
the brute-force reference fitted on its own training data."""

from __future__ import annotations

import mlflow
import numpy as np
import pandas as pd
from mlflow.tracking import MlflowClient

from features.portfolio import write_tables
from models.specs import DISTRESS
from rescue.cli import run
from training.evaluation import Evaluation, paired_lead
from training.synthetic.generator import generate


def _evaluation(lead: tuple[float, float, float]) -> Evaluation:
    metrics = {"roc_auc": 0.80, "pr_auc": 0.3, "brier": 0.05, "ece": 0.01, "ks": 0.4}
    reference = {**metrics, "roc_auc": 0.80 - lead[0]}
    bounds = {k: (v - 0.01, v + 0.01) for k, v in metrics.items()}
    return Evaluation(
        DISTRESS, "3", "held-out", 1000, 40, metrics, bounds, reference, bounds,
        {"roc_auc": lead[0], "roc_auc_low": lead[1], "roc_auc_high": lead[2]},
    )  # fmt: skip


def test_the_verdict_follows_the_interval_not_the_point():
    assert "no difference shown" in _evaluation((0.02, -0.01, 0.05)).lines()[-1]
    assert "ranks better than its reference" in _evaluation((0.02, 0.005, 0.05)).lines()[-1]
    assert "the reference ranks better" in _evaluation((-0.04, -0.07, -0.01)).lines()[-1]


def test_the_paired_lead_is_zero_against_itself_and_positive_against_noise():
    rng = np.random.default_rng(0)
    y = (rng.random(2000) < 0.1).astype(int)
    good = y * 0.5 + rng.random(2000) * 0.6
    same = paired_lead(y, good, good, 200, 0)
    assert same == {"roc_auc": 0.0, "roc_auc_low": 0.0, "roc_auc_high": 0.0}
    noise = paired_lead(y, good, rng.random(2000), 200, 0)
    assert 0 < noise["roc_auc_low"] < noise["roc_auc"] < noise["roc_auc_high"]


def test_a_folder_without_outcomes_is_one_line_naming_it(tmp_path, capsys):
    tables = generate(60, 5)
    tables["outcomes"] = tables["outcomes"].iloc[0:0]
    folder = write_tables(tables, tmp_path / "no-outcomes")
    assert run(["evaluate", "--data", str(folder), "--model-uri", "models:/sme-distress/1"]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and str(folder) in err[0]


def test_evaluate_scores_an_unseen_portfolio_beside_the_reference(
    trained, tracking_uri, small_portfolio_dir, tmp_path, capsys
):
    results, _ = trained
    version = results[DISTRESS].version
    unseen = write_tables(generate(1500, 29), tmp_path / "unseen")
    code = run(
        ["evaluate", "--data", str(unseen), "--model-uri", f"models:/{DISTRESS}/{version}",
         "--tracking-uri", tracking_uri]
    )  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0, out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    for metric in ("roc_auc", "pr_auc", "brier", "ece"):
        assert "reference" in rows[metric], out
    assert f"reference fitted on {small_portfolio_dir}" in out
    # Businesses whose ids the training data also holds are counted and named as a warning.
    ids = [
        set(pd.read_csv(d / "outcomes.csv", dtype={"business_id": str})
            .dropna(subset=["distress_12m"])["business_id"])
        for d in (unseen, small_portfolio_dir)
    ]  # fmt: skip
    shared = len(ids[0] & ids[1])
    assert shared > 0 and f"warning: {shared:,} evaluated businesses have ids" in out
    run_id = out.strip().splitlines()[-1].split()[-1]
    mlflow.set_tracking_uri(tracking_uri)
    logged = MlflowClient().get_run(run_id)
    assert logged.data.tags["evaluates_version"] == str(version)
    assert logged.data.tags["kind"] == "evaluation"
    # The printed figure is the model's AUC on exactly those rows.
    outcomes = pd.read_csv(unseen / "outcomes.csv")
    labelled = int(outcomes["distress_12m"].notna().sum())
    assert logged.data.metrics["eval_rows"] == labelled
    low, high = logged.data.metrics["eval_roc_auc_low"], logged.data.metrics["eval_roc_auc_high"]
    assert low <= logged.data.metrics["eval_roc_auc"] <= high
    assert logged.data.metrics["eval_roc_auc"] > 0.5
