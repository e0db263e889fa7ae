"""The database keeps `case_counts` equal to counting the cases, whatever writes them, and the
queue's counts summed from it equal the ones counted case by case."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import delete, func, insert, select, update

from service.cases import queue
from service.kit.roles import Role, User
from service.store.db import Database, upgrade
from service.store.tables import COUNTED, businesses, case_counts, cases
from tests.service.live import fresh_database

CHOICES = {
    "intake_centre": ("OSS Chiang Mai", "OSS Khon Kaen", None),
    "province": ("Chiang Mai", "Khon Kaen", "Bangkok", None),
    "status": ("received", "under_review", "plan_agreed", "closed", "rejected"),
    "triage": ("act_now", "restructure", "monitor", None),
    "risk_band": ("A", "C", "E", None),
}


def _case(rng: random.Random, i: int) -> dict:
    return {
        "case_id": f"C-{i}", "business_id": f"B-{i}", "channel": "direct",
        "received_at": dt.date(2026, 1, 1), **{c: rng.choice(CHOICES[c]) for c in COUNTED},
    }  # fmt: skip


def _kept(connection) -> dict:
    rows = connection.execute(select(case_counts)).mappings()
    return {tuple(r[c] for c in COUNTED): r["cases"] for r in rows if r["cases"]}


def _counted(connection) -> dict:
    key = [func.coalesce(cases.c[c], "") for c in COUNTED]
    rows = connection.execute(select(*key, func.count()).group_by(*key))
    return {tuple(r[:-1]): r[-1] for r in rows}


@pytest.fixture
def database(tmp_path):
    url = fresh_database(tmp_path, "case_counts")
    upgrade(url)
    db = Database(url)
    yield db
    db.engine.dispose()


def test_the_kept_counts_follow_every_insert_move_and_delete(database):
    rng = random.Random(5)
    rows = [_case(rng, i) for i in range(300)]
    with database.engine.begin() as connection:
        connection.execute(insert(businesses), [{"business_id": r["business_id"]} for r in rows])
        connection.execute(insert(cases), rows[:200])  # many at once
        for row in rows[200:]:
            connection.execute(insert(cases).values(**row))
    with database.engine.begin() as connection:
        assert _kept(connection) == _counted(connection) and sum(_kept(connection).values()) == 300
        for i in rng.sample(range(300), 120):  # moves, to empty values too, and non-moves
            column = rng.choice((*COUNTED, "channel"))
            value = rng.choice(CHOICES.get(column, ("agency_referral",)))
            connection.execute(
                update(cases).where(cases.c.case_id == f"C-{i}").values({column: value})
            )
        connection.execute(
            update(cases).where(cases.c.province == "Bangkok").values(status="closed")
        )
        connection.execute(
            delete(cases).where(cases.c.case_id.in_([f"C-{i}" for i in range(0, 300, 7)]))
        )
    with database.engine.begin() as connection:
        assert _kept(connection) == _counted(connection)
    with pytest.raises(RuntimeError), database.engine.begin() as connection:
        connection.execute(update(cases).values(status="closed"))
        raise RuntimeError("abandoned")
    with database.engine.connect() as connection:
        assert _kept(connection) == _counted(connection)
        assert sum(_kept(connection).values()) == 300 - len(range(0, 300, 7))


def test_summed_counts_equal_the_counted_ones_for_every_filter_and_scope(database):
    rng = random.Random(8)
    rows = [_case(rng, i) for i in range(400)]
    with database.engine.begin() as connection:
        connection.execute(insert(businesses), [{"business_id": r["business_id"]} for r in rows])
        connection.execute(insert(cases), rows)
    users = (
        User("analyst", Role.analyst),
        User("officer", Role.intake_officer, intake_centre="OSS Chiang Mai", province="Chiang Mai"),
    )
    queries = [
        queue.QueueQuery(), queue.QueueQuery(open_only=False), queue.QueueQuery(status="closed"),
        queue.QueueQuery(risk_band="E"), queue.QueueQuery(triage="act_now", province="chiang mai "),
        queue.QueueQuery(province="Khon Kaen", risk_band="C", open_only=False),
    ]  # fmt: skip
    with database.engine.connect() as connection:
        for user in users:
            for q in queries:
                where = queue._counted_conditions(q, cases)
                counted = queue._counts(connection, queue._scanned(user, where))
                summed = queue._counts(connection, queue._summed(user, q))
                assert summed == counted, (user, q)
                assert counted[0] > 0 or user.role is Role.intake_officer  # not all empty
        officer = queue._counts(connection, queue._summed(users[1], queries[0]))[0]
        assert 0 < officer < queue._counts(connection, queue._summed(users[0], queries[0]))[0]
