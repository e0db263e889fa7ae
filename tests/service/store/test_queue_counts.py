"""The queue's counts: sums kept by the database for the filters its counts table answers, and
for the rest counts kept a moment (this process's own writes drop them at once, another
process's writes show when they expire, and each user and set of filters has its own)."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from service.store import queue_counts
from service.store.db import Database, upgrade
from service.store.tables import cases
from tests.service.inprocess import case_payload, make_app


@pytest.fixture
def app(tmp_path):
    yield from make_app(tmp_path, queue_counts_seconds=30)


def _total(app, user: str = "analyst", **params) -> int:
    response = app.as_user(user, "GET", "/cases", params=params)
    assert response.status_code == 200, response.text
    return int(response.json()["total"])


def _register(app, business_id: str, province: str = "Chiang Mai", seed: int = 300) -> str:
    response = app.as_user(
        "analyst", "POST", "/cases", json=case_payload(business_id, province, seed)
    )
    assert response.status_code == 201, response.text
    return str(response.json()["case_id"])


def test_this_process_s_writes_show_in_the_next_count(app):
    assert _total(app) == 0 and _total(app, q="B-QC1") == 0
    case_id = _register(app, "B-QC1")
    assert _total(app) == 1 and _total(app, q="B-QC1") == 1
    moved = app.as_user("analyst", "POST", f"/cases/{case_id}/status", json={"to": "closed"})
    assert moved.status_code == 200, moved.text
    assert _total(app) == 0 and _total(app, q="B-QC1") == 0


def test_another_process_s_writes_show_when_the_counts_expire(app, monkeypatch):
    case_id = _register(app, "B-QC2")
    assert _total(app) == 1 and _total(app, q="B-QC2") == 1
    elsewhere = Database(app.database_url)  # another engine: what another worker would write
    with elsewhere.engine.begin() as connection:
        connection.execute(update(cases).where(cases.c.case_id == case_id).values(status="closed"))
    assert _total(app) == 0  # summed by the database: at once
    assert _total(app, q="B-QC2") == 1  # counted and kept
    assert _total(app, q="B-QC2", open_only="false") == 1  # other filters on their own
    now = queue_counts.time.monotonic()
    monkeypatch.setattr(queue_counts.time, "monotonic", lambda: now + 31)
    assert _total(app, q="B-QC2") == 0
    elsewhere.engine.dispose()


def test_each_user_and_filter_is_counted_for_itself(app):
    _register(app, "B-QC3", "Chiang Mai", seed=301)
    _register(app, "B-QC4", "Bangkok", seed=302)
    assert _total(app) == 2
    assert _total(app, province="Bangkok") == 1
    assert _total(app, "intake_cm") == 1  # an intake officer sees their own province


def test_a_rolled_back_write_keeps_the_counts(tmp_path):
    url = f"sqlite:///{tmp_path / 'counts.db'}"
    upgrade(url)
    database = Database(url)
    kept = queue_counts.CountCache(database.engine, seconds=30)
    calls = []

    def count() -> queue_counts.Counts:
        calls.append(1)
        return len(calls), {}, {}

    assert kept.get("k", count)[0] == 1
    assert kept.get("k", count)[0] == 1
    with pytest.raises(RuntimeError), database.engine.begin() as connection:
        connection.execute(update(cases).values(status="closed"))
        raise RuntimeError("abandoned")
    assert kept.get("k", count)[0] == 1
    with database.engine.begin() as connection:
        connection.execute(update(cases).values(status="closed"))
    assert kept.get("k", count)[0] == 2
