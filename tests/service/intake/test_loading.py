"""`rescue db load`: a portfolio's cases registered and assessed once, with the database open
to the service's writes while the cases are scored."""

from __future__ import annotations

import sqlite3

from sqlalchemy import func, select

from features import load_portfolio
from models.specs import SPECS
from service.intake import loading
from service.kit.runtime import ModelStore
from service.store.db import Database, upgrade
from service.store.tables import assessments, case_counts, cases
from training.tracking import configure, promote


def test_a_load_registers_and_assesses_every_case_once_without_locking_out_writes(
    tracking_uri, trained, small_portfolio_dir, tmp_path, monkeypatch
):
    configure(tracking_uri)
    for spec in SPECS:
        promote(spec)
    path = tmp_path / "loaded.db"
    upgrade(f"sqlite:///{path}")
    db = Database(f"sqlite:///{path}")
    portfolio = load_portfolio(small_portfolio_dir)
    written_while_scoring = []
    scoring = loading.assessments_for

    def scored_while_another_writes(*args, **kwargs):
        # Another process's write, not waiting: it fails at once if the load held the lock.
        other = sqlite3.connect(path, timeout=0)
        with other:
            other.execute("INSERT INTO model_reloads (requested_at, requested_by) VALUES (?, ?)",
                          ("2026-01-01 00:00:00", "test"))  # fmt: skip
        other.close()
        written_while_scoring.append(True)
        return scoring(*args, **kwargs)

    monkeypatch.setattr(loading, "assessments_for", scored_while_another_writes)
    counts = loading.load_into_db(db, portfolio, ModelStore(tracking_uri).load())
    n = portfolio.cases["case_id"].nunique()
    assert written_while_scoring == [True]
    assert counts["cases"] == counts["assessments"] == n > 0
    with db.engine.connect() as connection:
        unscored = select(func.count()).where(cases.c.risk_band.is_(None))
        assert connection.execute(unscored).scalar_one() == 0
        assert connection.execute(select(func.count()).select_from(assessments)).scalar_one() == n
        kept = connection.execute(select(func.sum(case_counts.c.cases))).scalar_one()
        assert kept == n
    again = loading.load_into_db(db, portfolio, ModelStore(tracking_uri).load())
    assert again["cases"] == again["assessments"] == 0
    db.engine.dispose()
