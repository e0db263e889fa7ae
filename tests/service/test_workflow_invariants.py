"""The workflow's invariants, kept by the database whatever the order requests arrive in: one plan
in effect per case, no decision or plan on a closed case, no note edit lost.

Each defect here was seen with concurrent clicks: four plans put into effect at once all took
effect, a decision sent with a close landed after it, and of six edits of one note an accepted
one vanished from the note and its history."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, select
from sqlalchemy.exc import IntegrityError

from features import load_portfolio
from service.store.tables import (
    case_note_edits,
    case_notes,
    case_plans,
    case_status_changes,
    decisions,
)
from tests.service.inprocess import App, case_payload
from tests.service.plannable import cases_with_plans


def _at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls on threads released together, so their requests interleave."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        start.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def _rows(database_url: str, query: Any) -> list[Any]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    engine.dispose()
    return rows


# In process: notes and the database's own constraints.


def _note(app: App) -> tuple[str, int]:
    case_id = app.as_user("analyst", "POST", "/cases", json=case_payload("B-N", "Chiang Mai"))
    case_id = case_id.json()["case_id"]
    note = app.as_user("analyst", "POST", f"/cases/{case_id}/notes", json={"body": "first"})
    assert note.status_code == 201 and note.json()["version"] == 1
    return case_id, note.json()["id"]


def _texts(app: App, note_id: int) -> tuple[str, list[str]]:
    body = _rows(app.database_url, select(case_notes.c.body).where(case_notes.c.id == note_id))
    history = _rows(
        app.database_url,
        select(case_note_edits.c.previous_body)
        .where(case_note_edits.c.note_id == note_id)
        .order_by(case_note_edits.c.id),
    )
    return body[0][0], [h[0] for h in history]


def test_concurrent_edits_of_a_note_lose_nothing(app):
    case_id, note_id = _note(app)
    url = f"/cases/{case_id}/notes/{note_id}"
    bodies = [f"edit {i}" for i in range(6)]
    answers = _at_once(
        [lambda b=b: app.as_user("analyst", "PATCH", url, json={"body": b}) for b in bodies]
    )
    accepted = [b for b, a in zip(bodies, answers, strict=True) if a.status_code == 200]
    assert {a.status_code for a in answers} <= {200, 409}
    assert accepted, [a.text for a in answers]
    current, history = _texts(app, note_id)
    # Every accepted text is the note or in its history, and the history is one chain: each
    # edit replaced the text the one before it wrote.
    assert set(accepted) <= {current, *history}
    assert history[0] == "first" and len(history) == len(accepted)
    assert len(set(history)) == len(history)


def test_an_edit_of_a_version_changed_since_is_refused_and_overwrites_nothing(app):
    case_id, note_id = _note(app)
    url = f"/cases/{case_id}/notes/{note_id}"
    answers = _at_once(
        [
            lambda i=i: app.as_user("analyst", "PATCH", url, json={"body": f"v{i}", "version": 1})
            for i in range(6)
        ]
    )
    codes = sorted(a.status_code for a in answers)
    assert codes == [200] + [409] * 5, [a.text for a in answers]
    winner = next(a for a in answers if a.status_code == 200)
    assert winner.json()["version"] == 2 and winner.headers["etag"] == '"2"'
    assert "was edited since version 1" in next(a for a in answers if a.status_code == 409).text
    stale = app.as_user("analyst", "PATCH", url, json={"body": "late"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    fresh = app.as_user("analyst", "PATCH", url, json={"body": "now"}, headers={"If-Match": '"2"'})
    assert fresh.status_code == 200 and fresh.json()["version"] == 3
    assert _texts(app, note_id) == ("now", ["first", winner.json()["body"]])


def test_the_database_refuses_a_second_plan_and_a_decision_on_a_closed_case(app):
    """The constraints hold for any writer, not only for the service's own checks."""
    case_id = app.as_user("analyst", "POST", "/cases", json=case_payload("B-D", "Chiang Mai"))
    case_id = case_id.json()["case_id"]
    now = dt.datetime.now(dt.UTC)
    decision = {
        "case_id": case_id, "path": "restructure", "overrides_model": False,
        "decided_by": "analyst", "decided_at": now,
    }  # fmt: skip
    plan = {
        "case_id": case_id, "path": "restructure", "first_due": now.date(), "option": {},
        "created_by": "analyst", "created_at": now,
    }  # fmt: skip
    engine = create_engine(app.database_url)
    with engine.begin() as connection:
        decision_id = connection.execute(insert(decisions).values(**decision)).inserted_primary_key
        connection.execute(insert(case_plans).values(**plan, decision_id=decision_id[0]))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(case_plans).values(**plan, decision_id=decision_id[0]))
    with engine.begin() as connection:  # an ended plan makes room for the next one
        connection.execute(case_plans.update().values(ended_at=now))
        connection.execute(insert(case_plans).values(**plan, decision_id=decision_id[0]))
    assert (
        app.as_user(
            "analyst", "POST", f"/cases/{case_id}/status", json={"to": "closed"}
        ).status_code
        == 200
    )
    for table, row in ((decisions, decision), (case_plans, plan)):
        extra = {} if table is decisions else {"decision_id": decision_id[0]}
        with pytest.raises(IntegrityError, match="case is closed"), engine.begin() as connection:
            connection.execute(insert(table).values(**row, **extra))
    engine.dispose()


# On the running service with its champions: decisions and plans need the advice.


@pytest.fixture(scope="module")
def portfolio(small_portfolio_dir):
    return load_portfolio(small_portfolio_dir)


@pytest.mark.slow
def test_concurrent_requests_put_one_plan_into_effect(service, portfolio):
    with service.client("analyst") as analyst:
        [(case_id, _, option)] = cases_with_plans(analyst, portfolio, 1, skip=100)
        path = option["path"]
        decided = analyst.post(f"/cases/{case_id}/decision", json={"path": path, "reason": "ok"})
        assert decided.status_code == 201, decided.text
    body = {"path": path, "first_due": dt.date.today().isoformat()}

    def put() -> int:
        with service.client("analyst") as client:
            return client.post(f"/cases/{case_id}/plan", json=body).status_code

    codes = _at_once([put] * 4)
    assert sorted(codes) == [201, 409, 409, 409], codes
    in_effect = _rows(
        service.database_url,
        select(case_plans.c.id)
        .where(case_plans.c.case_id == case_id)
        .where(case_plans.c.ended_at.is_(None)),
    )
    assert len(in_effect) == 1


@pytest.mark.slow
def test_a_decision_sent_with_a_close_never_lands_after_it(service, portfolio):
    with service.client("analyst") as analyst:
        found = [(c, o["path"]) for c, _, o in cases_with_plans(analyst, portfolio, 6, skip=200)]

    def decide(case_id: str, path: str) -> Callable[[], int]:
        def call() -> int:
            with service.client("analyst") as client:
                body = {"path": path, "reason": "agreed"}
                return client.post(f"/cases/{case_id}/decision", json=body).status_code

        return call

    def close(case_id: str) -> Callable[[], int]:
        def call() -> int:
            with service.client("analyst") as client:
                body = {"to": "closed"}
                return client.post(f"/cases/{case_id}/status", json=body).status_code

        return call

    calls = [c for case_id, path in found for c in (decide(case_id, path), close(case_id))]
    codes = _at_once(calls)
    assert set(codes) <= {200, 201, 409}, codes
    closing = case_status_changes.alias("closing")
    late = _rows(
        service.database_url,
        select(decisions.c.case_id)
        .join(closing, closing.c.case_id == decisions.c.case_id)
        .where(closing.c.to_status == "closed")
        .where(decisions.c.decided_at > closing.c.changed_at)
        .where(decisions.c.case_id.in_([case_id for case_id, _ in found])),
    )
    assert late == []
