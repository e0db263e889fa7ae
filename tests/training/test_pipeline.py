"""`rescue train`: tracked runs, registry aliases, promotion, skipped models, the pyfunc."""

from __future__ import annotations

import shutil
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
from mlflow.tracking import MlflowClient

from features import build_features, load_portfolio
from models.specs import DISTRESS, FEASIBILITY
from training.datasets import distress_dataset
from training.tracking import CHALLENGER, CHAMPION, alias_version, load_scorer, promote

METRICS = ("roc_auc", "pr_auc", "brier", "ks", "ece")


def test_both_models_are_logged_with_metrics_artifacts_and_a_challenger(trained, mlflow_store):
    results, messages = trained
    client = MlflowClient()
    for name in (DISTRESS, FEASIBILITY):
        result = results[name]
        assert result.version == "1"
        run = client.get_run(result.run_id)
        for metric in METRICS:
            assert f"model_{metric}" in run.data.metrics
            assert f"logistic_{metric}" in run.data.metrics
            assert f"reference_{metric}" in run.data.metrics
            # every reported metric has its repeated-split range, the reference's included
            for rival in ("model", "logistic", "reference"):
                low = run.data.metrics[f"{rival}_{metric}_rs_low"]
                assert low <= run.data.metrics[f"{rival}_{metric}_rs_high"]
        assert 0.0 <= run.data.metrics["rs_model_beats_reference"] <= 1.0
        assert run.data.metrics["reference_inputs"] > 200  # pairs of ~22 lines, and the rest
        beaten = run.data.metrics["model_roc_auc"] >= run.data.metrics["reference_roc_auc"]
        assert run.data.tags["loses_to_reference"] == ("false" if beaten else "true")
        card = client.download_artifacts(result.run_id, "model_card.md")
        assert "brute-force reference" in Path(card).read_text()
        assert run.data.tags["data_fingerprint"]
        assert run.data.tags["split_strategy"].startswith("out-of-time")
        artifacts = {a.path for a in client.list_artifacts(result.run_id)}
        assert {"plots", "features.json", "model_card.md", "holdout"} <= artifacts
        plots = {a.path for a in client.list_artifacts(result.run_id, "plots")}
        assert plots == {
            f"plots/{name}.png"
            for name in (
                "roc", "calibration", "shap_summary", "shap_beeswarm", "shap_waterfall",
                "shap_dependence",
            )
        }  # fmt: skip
        assert alias_version(name, CHALLENGER) == "1"
    distress_run = client.get_run(results[DISTRESS].run_id)
    assert "altman_z2_roc_auc" in distress_run.data.metrics
    assert any("true probabilities" in m for m in messages)


def test_model_beats_altman_and_tracks_the_truth_on_the_small_portfolio(trained):
    metrics = trained[0][DISTRESS].metrics
    assert metrics["model_roc_auc"] > metrics["altman_z2_roc_auc"]
    assert metrics["auc_ratio_to_truth"] > 0.93
    assert metrics["model_ece"] < 0.05


def test_promotion_needs_a_better_challenger_or_a_forced_reason(
    small_portfolio_dir, tmp_path, train
):
    store = f"sqlite:///{tmp_path / 'promotion.db'}"
    quiet = {"tracking_uri": store, "say": lambda _m: None}
    train(small_portfolio_dir, **quiet)
    # A model that loses to its brute-force reference needs --force, even as the first champion.
    client = MlflowClient()
    run_id = client.get_model_version(DISTRESS, "1").run_id
    logged = client.get_run(run_id).data.metrics["reference_roc_auc"]
    client.log_metric(run_id, "reference_roc_auc", 0.999)  # as if the reference had won
    refused = promote(DISTRESS)
    assert not refused.promoted and "loses to its brute-force reference" in refused.message
    assert alias_version(DISTRESS, CHAMPION) is None
    client.log_metric(run_id, "reference_roc_auc", logged)
    first = promote(DISTRESS)
    assert first.promoted and alias_version(DISTRESS, CHAMPION) == "1"
    # The same data and seed give the same model: it does not beat the champion.
    train(small_portfolio_dir, **quiet)
    assert alias_version(DISTRESS, CHALLENGER) == "2"
    check = promote(DISTRESS)
    assert not check.promoted and "not promoted" in check.message
    assert alias_version(DISTRESS, CHAMPION) == "1"
    with pytest.raises(ValueError, match="reason"):
        promote(DISTRESS, force=True)
    forced = promote(DISTRESS, force=True, reason="retrained after data fix")
    assert forced.promoted and alias_version(DISTRESS, CHAMPION) == "2"
    tags = MlflowClient().get_model_version(DISTRESS, "2").tags
    assert tags["forced_promotion_reason"] == "retrained after data fix"
    assert "challenger" in tags["promotion_check"]


def test_explanations_are_additive_for_every_scored_row(trained, mlflow_store, small_portfolio_dir):
    scorer = load_scorer(f"models:/{DISTRESS}/1")
    frame = build_features(load_portfolio(small_portfolio_dir), "2024-12-31")
    contrib = scorer.contributions(frame)
    raw = scorer.raw_score(frame)
    assert np.abs(contrib.sum(axis=1).to_numpy() - raw).max() < 1e-6
    scored = scorer.score(frame.head(50))
    assert set(scored["risk_band"]) <= set("ABCDE")
    first = scored["reasons"].iloc[0]
    assert len(first) == 5 and first[0]["text_th"] and first[0]["text_en"]


def test_true_top_drivers_are_among_the_top_global_shap_features(mlflow_store, small_portfolio_dir):
    """On 2,000 businesses there are only ~300 plans: the feasibility check takes the top two
    true drivers here; the default portfolio's quality test checks the top three of both."""
    drivers = pd.read_csv(small_portfolio_dir / "truth_drivers.csv")
    for name, model, depth in ((DISTRESS, "distress", 3), (FEASIBILITY, "feasibility", 2)):
        scorer_features = set(load_scorer(f"models:/{name}/1").features)
        true_top = drivers[(drivers.model == model) & (drivers.feature_rank <= depth)].feature
        true_top = [f for f in dict.fromkeys(true_top) if f in scorer_features]
        portfolio = load_portfolio(small_portfolio_dir)
        if model == "distress":
            frame = build_features(portfolio, "2024-12-31")
        else:
            from training.datasets import feasibility_dataset

            frame = feasibility_dataset(portfolio).frame
        contrib = load_scorer(f"models:/{name}/1").contributions(frame)
        top = contrib.drop(columns="base_value").abs().mean().nlargest(10).index
        assert set(true_top) <= set(top), (model, true_top, list(top))


def test_pyfunc_scores_portfolio_tables_with_the_training_feature_rows(
    trained, mlflow_store, small_portfolio_dir
):
    """The registered model and the training pipeline see identical rows for a business."""
    portfolio = load_portfolio(small_portfolio_dir)
    dataset = distress_dataset(portfolio)
    row = dataset.keys[dataset.keys["as_of"] == "2024-12-31"].index[0]
    business = dataset.keys.loc[row, "business_id"]
    tables = {
        name: frame[frame["business_id"] == business]
        for name, frame in portfolio.tables.items()
        if name in portfolio.supplied and "business_id" in frame
    }
    apps = set(tables["loan_applications"]["application_id"])
    history = portfolio.application_status_history
    tables["application_status_history"] = history[history["application_id"].isin(apps)]
    model = mlflow.pyfunc.load_model(f"models:/{DISTRESS}@{CHALLENGER}")
    served = model.predict({**tables, "as_of": "2024-12-31"})
    assert list(served["business_id"]) == [business]
    scorer = model.unwrap_python_model().scorer
    expected = scorer.score(dataset.frame.loc[[row]], explain=False)["probability"].iloc[0]
    assert served["probability"].iloc[0] == pytest.approx(expected, abs=1e-12)
    contrib = served.filter(like="contrib_").to_numpy().sum()
    assert contrib + served["base_value"].iloc[0] == pytest.approx(served["raw_score"].iloc[0])


def test_training_on_statements_and_outcomes_only_skips_feasibility(
    small_portfolio_dir, tmp_path, train
):
    folder = tmp_path / "lean"
    folder.mkdir()
    for name in ("businesses", "financial_statements"):
        shutil.copy(small_portfolio_dir / f"{name}.csv", folder)
    outcomes = pd.read_csv(small_portfolio_dir / "outcomes.csv", dtype=str)
    outcomes = outcomes[outcomes["restructuring_id"].isna()][
        ["business_id", "as_of", "distress_12m"]
    ]
    outcomes.to_csv(folder / "outcomes.csv", index=False)
    statements = pd.read_csv(folder / "financial_statements.csv")
    statements = statements.drop(columns=["inventory", "operating_cash_flow", "retained_earnings"])
    statements.loc[statements.index % 7 == 0, "cost_of_sales"] = np.nan
    statements.to_csv(folder / "financial_statements.csv", index=False)
    messages: list[str] = []
    results = train(folder, tracking_uri=f"sqlite:///{tmp_path / 'm.db'}", say=messages.append)
    by_name = {r.name: r for r in results}
    assert by_name[DISTRESS].version == "1"
    assert by_name[FEASIBILITY].version is None
    assert "no restructuring outcomes" in by_name[FEASIBILITY].message
    assert any("single as-of" in m or "out-of-time" in m for m in messages)
