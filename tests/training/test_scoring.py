"""`rescue score`: sharded batch scoring gives the same scores as scoring all at once."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pandas as pd
import pytest

from features import PortfolioError, build_features, load_portfolio
from features.asof import STALE_AFTER_DAYS
from models.specs import DISTRESS, FEASIBILITY
from training.scoring import score_portfolio
from training.tracking import load_scorer

AS_OF = "2026-06-30"


def test_sharded_scores_equal_one_pass_scores(mlflow_store, small_portfolio_dir, tmp_path):
    scorer = load_scorer(f"models:/{DISTRESS}/1")
    out = tmp_path / "scores.csv"
    n = score_portfolio(
        small_portfolio_dir, out, scorer, as_of=AS_OF, shard_rows=300, say=lambda _m: None
    )
    scores = pd.read_csv(out).set_index("business_id").sort_index()
    assert n == len(scores) == 2000
    assert list(scores.columns[:3]) == ["distress_probability", "risk_band", "top_reasons"]
    expected = scorer.score(
        build_features(load_portfolio(small_portfolio_dir), AS_OF), explain=False
    )
    pd.testing.assert_series_equal(
        scores["distress_probability"],
        expected["probability"].round(6).sort_index().rename("distress_probability"),
        check_index_type=False,
        atol=1e-9,
    )
    assert scores["top_reasons"].str.contains("distress").all()
    # Scores on statements past the stale limit (or none at all) are marked as such.
    portfolio = load_portfolio(small_portfolio_dir)
    statements = portfolio.financial_statements
    visible = statements[statements["period_end"] <= pd.Timestamp(AS_OF)]
    ends = visible.groupby("business_id")["period_end"].max()
    age = (pd.Timestamp(AS_OF) - ends).dt.days.reindex(scores.index)
    assert (scores["statement_age_days"].fillna(-1) == age.fillna(-1)).all()
    assert (scores["stale_statements"] == (age.isna() | (age > STALE_AFTER_DAYS))).all()
    assert scores["stale_statements"].any() and not scores["stale_statements"].all()


def test_plans_add_feasibility_columns(mlflow_store, small_portfolio_dir, tmp_path):
    plans = pd.DataFrame(
        {
            "business_id": ["B000001", "B000002"],
            "plan_outstanding": [500_000.0, 80_000.0],
            "plan_rate": [0.05, 0.06],
            "plan_tenor_months": [84, 60],
            "plan_grace_months": [6, 0],
            "plan_haircut": [0.1, 0.0],
        }
    )
    out = tmp_path / "scores.csv"
    score_portfolio(
        small_portfolio_dir, out, load_scorer(f"models:/{DISTRESS}/1"),
        feasibility=load_scorer(f"models:/{FEASIBILITY}/1"), plans=plans, as_of=AS_OF,
        say=lambda _m: None,
    )  # fmt: skip
    scores = pd.read_csv(out).set_index("business_id")
    assert scores.loc[["B000001", "B000002"], "feasibility_probability"].between(0, 1).all()
    assert scores["feasibility_probability"].notna().sum() == 2


def test_invalid_portfolio_writes_nothing_and_names_the_row(
    mlflow_store, small_portfolio_dir, tmp_path
):
    bad = tmp_path / "bad"
    shutil.copytree(small_portfolio_dir, bad)
    debts = pd.read_csv(bad / "debts.csv", dtype=str)
    debts.loc[10, "outstanding"] = "-1"
    debts.to_csv(bad / "debts.csv", index=False)
    out = tmp_path / "scores.csv"
    with pytest.raises(PortfolioError) as raised:
        score_portfolio(bad, out, load_scorer(f"models:/{DISTRESS}/1"), shard_rows=500, say=print)
    assert [str(p) for p in raised.value.problems] == ["debts.csv:12: outstanding: negative: -1"]
    assert not out.exists()


def test_tables_the_features_do_not_read_are_not_checked(
    mlflow_store, small_portfolio_dir, tmp_path
):
    portfolio = tmp_path / "portfolio"
    shutil.copytree(small_portfolio_dir, portfolio)
    (portfolio / "outcomes.csv").write_text("business_id,as_of\nB-unknown,not a date\n")
    scorer = load_scorer(f"models:/{DISTRESS}/1")
    for shard_rows in (500, 25_000):
        out = tmp_path / f"scores-{shard_rows}.csv"
        n = score_portfolio(portfolio, out, scorer, shard_rows=shard_rows, say=print)
        assert n == len(pd.read_csv(out)) == len(load_portfolio(small_portfolio_dir).businesses)


def test_score_command_uses_the_champion(mlflow_store, small_portfolio_dir, tmp_path):
    from training.tracking import promote

    promote(DISTRESS)
    out = tmp_path / "cli.csv"
    result = subprocess.run(
        [sys.executable, "-m", "rescue", "score", "--data", str(small_portfolio_dir),
         "--out", str(out), "--as-of", AS_OF, "--tracking-uri", mlflow_store],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert len(pd.read_csv(out)) == 2000
