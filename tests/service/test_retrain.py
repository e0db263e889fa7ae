"""`rescue retrain`: recorded outcomes join the base portfolio, the models are trained and
promoted through the gate, and the running service is asked to reload."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest
from sqlalchemy import create_engine, func, select

from features import load_portfolio
from service.kit.payloads import business_payload
from service.store.bookkeeping_tables import model_reloads
from tests.service.inprocess import make_app

pytestmark = pytest.mark.slow


def test_recorded_outcomes_are_trained_on_promoted_and_reloaded(small_portfolio_dir, tmp_path):
    portfolio = load_portfolio(small_portfolio_dir)
    business = str(portfolio.financial_statements["business_id"].iloc[0])
    apps = make_app(tmp_path)
    try:
        _retrain(next(apps), portfolio, business, small_portfolio_dir, tmp_path)
    finally:
        apps.close()


def _retrain(app, portfolio, business, small_portfolio_dir, tmp_path):
    body = {
        **business_payload(portfolio, business), "channel": "oss_centre",
        "received_at": "2025-01-15", "problem_types": ["debt_distress"],
    }  # fmt: skip
    case = app.as_user("analyst", "POST", "/cases", json=body)
    assert case.status_code == 201, case.text
    url = f"/cases/{case.json()['case_id']}"
    for step in ("screening", "analysis", "recommended"):
        moved = app.as_user("analyst", "POST", f"{url}/status", json={"to": step})
        assert moved.status_code == 200, moved.text
    recorded = app.as_user(
        "analyst", "POST", f"{url}/outcome",
        json={"as_of": "2025-06-30", "distress_12m": True},
    )  # fmt: skip
    assert recorded.status_code == 201, recorded.text

    merged = tmp_path / "merged"
    store = f"sqlite:///{tmp_path / 'mlflow.db'}"
    env = {**os.environ, "DATABASE_URL": app.database_url}
    done = subprocess.run(
        [sys.executable, "-m", "rescue", "retrain", "--data", str(small_portfolio_dir),
         "--out", str(merged), "--tracking-uri", store],
        capture_output=True, text=True, env=env, check=False, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 recorded outcome rows" in done.stdout
    assert "is the first champion" in done.stdout and "reload 1 requested" in done.stdout
    outcomes = pd.read_csv(merged / "outcomes.csv", dtype=str)
    mine = outcomes[(outcomes["business_id"] == business) & (outcomes["as_of"] == "2025-06-30")]
    assert list(mine["distress_12m"]) == ["true"]
    base = pd.read_csv(small_portfolio_dir / "outcomes.csv", dtype=str)
    assert len(outcomes) == len(base) + 1
    engine = create_engine(app.database_url)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(model_reloads)).scalar() == 1
    engine.dispose()
