"""Random interleavings of concurrent clients against the running service, with the workflow's
invariants checked over the whole database after every step.

Hypothesis drives a state machine: each step registers a case (decided at once, or not), or
sends two to four requests at once on one case (decide, put a plan into effect, record a
repayment, move or close it, assign, add a note, edit a note with or without the version it
read). After every step:
- no answer was a 5xx;
- at most one plan is in effect per case;
- no decision and no plan is stamped after its case was closed;
- each case's status history is a walk of the workflow that ends in its status;
- every note edit the service accepted is the note's text or in its history, and the history
  holds one entry per accepted edit.

`make test` runs a short search (RESCUE_STATEFUL_EXAMPLES, 4 by default, of up to 6 steps);
`pytest -m stateful` with a larger RESCUE_STATEFUL_EXAMPLES runs a longer one. CI runs it on
SQLite, then on PostgreSQL. The steps and interleavings tried are written to
artifacts/stateful-workflow-<database>.json (sqlite or postgresql).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import threading
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule
from sqlalchemy import create_engine, make_url, select

from features import load_portfolio
from features.catalogues.case_statuses import WORKFLOW
from service.store.tables import (
    case_note_edits,
    case_notes,
    case_plans,
    case_status_changes,
    cases,
    decisions,
)
from tests.service.plannable import cases_with_plans

pytestmark = [pytest.mark.slow, pytest.mark.stateful]

EXAMPLES = int(os.environ.get("RESCUE_STATEFUL_EXAMPLES", "4"))
ACTIONS = ("decide", "plan", "repay", "move", "close", "assign", "note", "edit", "edit_version")
REPORTS = Path("artifacts")


def check_invariants(database_url: str, accepted_edits: dict[int, list[str]]) -> None:
    """The invariants over every row of the database."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        plans = connection.execute(
            select(case_plans.c.case_id, case_plans.c.created_at, case_plans.c.ended_at)
        ).all()
        closes = {
            r.case_id: r.changed_at
            for r in connection.execute(
                select(case_status_changes.c.case_id, case_status_changes.c.changed_at).where(
                    case_status_changes.c.to_status == "closed"
                )
            )
        }
        decided = connection.execute(select(decisions.c.case_id, decisions.c.decided_at)).all()
        moves = connection.execute(
            select(case_status_changes).order_by(case_status_changes.c.id)
        ).all()
        statuses = dict(connection.execute(select(cases.c.case_id, cases.c.status)).all())
        notes = dict(connection.execute(select(case_notes.c.id, case_notes.c.body)).all())
        history: dict[int, list[str]] = defaultdict(list)
        for note_id, previous in connection.execute(
            select(case_note_edits.c.note_id, case_note_edits.c.previous_body).order_by(
                case_note_edits.c.id
            )
        ):
            history[note_id].append(previous)
    engine.dispose()

    in_effect = Counter(p.case_id for p in plans if p.ended_at is None)
    assert max(in_effect.values(), default=0) <= 1, in_effect.most_common(3)
    for case_id, when in [*decided, *((p.case_id, p.created_at) for p in plans)]:
        assert case_id not in closes or when <= closes[case_id], (case_id, when, closes[case_id])
    walks: dict[str, list[Any]] = defaultdict(list)
    for move in moves:
        walks[move.case_id].append(move)
    for case_id, walk in walks.items():
        assert walk[0].from_status is None and walk[0].to_status == "received", case_id
        for before, after in itertools.pairwise(walk):
            assert after.from_status == before.to_status, (case_id, before, after)
            assert after.to_status in WORKFLOW[before.to_status], (case_id, after)
        assert walk[-1].to_status == statuses[case_id], case_id
    for note_id, bodies in accepted_edits.items():
        assert set(bodies) <= {notes[note_id], *history[note_id]}, note_id
        assert len(history[note_id]) == len(bodies), note_id


@pytest.fixture(scope="module")
def plannable(service, small_portfolio_dir) -> list[tuple[dict[str, Any], str]]:
    """Case bodies of businesses whose advice today includes a repayment plan, with its path."""
    portfolio = load_portfolio(small_portfolio_dir)
    with service.client("analyst") as analyst:
        found = cases_with_plans(analyst, portfolio, 4, skip=300)
    return [(body, option["path"]) for _, body, option in found]


def test_random_interleavings_keep_the_workflow_s_invariants(service, plannable):
    tried: Counter[str] = Counter()
    clients = threading.local()

    def client() -> httpx.Client:
        if not hasattr(clients, "analyst"):
            clients.analyst = service.client("analyst")
        return clients.analyst

    class Workflow(RuleBasedStateMachine):
        case_ids = Bundle("case_ids")

        def __init__(self) -> None:
            super().__init__()
            self.paths: dict[str, str] = {}
            self.accepted: dict[int, list[str]] = defaultdict(list)
            self.lock = threading.Lock()

        @rule(target=case_ids, which=st.integers(0, len(plannable) - 1), decided=st.booleans())
        def register(self, which: int, decided: bool) -> str:
            body, path = plannable[which]
            created = client().post("/cases", json=body)
            assert created.status_code == 201, created.text
            case_id = created.json()["case_id"]
            self.paths[case_id] = path
            first = client().post(f"/cases/{case_id}/notes", json={"body": "first"})
            assert first.status_code == 201, first.text
            if decided:  # so that plans, repayments and their races are reached as often
                body = {"path": path, "reason": "agreed"}
                decision = client().post(f"/cases/{case_id}/decision", json=body)
                assert decision.status_code == 201, decision.text
            tried["steps"] += 1
            return case_id

        @rule(
            case_id=case_ids,
            actions=st.lists(st.sampled_from(ACTIONS), min_size=2, max_size=4),
            seed=st.integers(0, 2**16),
        )
        def at_once(self, case_id: str, actions: list[str], seed: int) -> None:
            start = threading.Barrier(len(actions))
            chance = random.Random(seed)
            calls = [(action, chance.random()) for action in actions]

            def run(call: tuple[str, float]) -> tuple[str, int]:
                action, draw = call
                start.wait()
                return action, self.send(case_id, action, draw)

            with ThreadPoolExecutor(len(actions)) as pool:
                answers = list(pool.map(run, calls))
            assert all(code < 500 for _, code in answers), answers
            tried["steps"] += 1
            tried["interleavings"] += 1
            tried["requests"] += len(actions)
            for action, code in answers:
                tried[f"{action} {code}"] += 1

        def send(self, case_id: str, action: str, draw: float) -> int:
            path = self.paths[case_id]
            http = client()
            url = f"/cases/{case_id}"
            if action == "decide":
                body = {"path": path, "reason": "agreed"}
                return http.post(f"{url}/decision", json=body).status_code
            if action == "plan":
                body = {"path": path, "first_due": dt.date.today().isoformat()}
                return http.post(f"{url}/plan", json=body).status_code
            if action == "repay":
                plan = http.get(f"{url}/plan")
                if plan.status_code != 200:
                    return plan.status_code
                creditor = plan.json()["creditors"][0]["creditor"]
                body = {"creditor": creditor, "paid_at": dt.date.today().isoformat(), "amount": 1}
                return http.post(f"{url}/repayments", json=body).status_code
            if action in ("move", "close"):
                status = http.get(url).json()["status"]
                steps = sorted(WORKFLOW[status] - {"closed"}) if action == "move" else ["closed"]
                if not steps:
                    return 409
                target = steps[int(draw * len(steps))]
                return http.post(f"{url}/status", json={"to": target}).status_code
            if action == "assign":
                return http.post(f"{url}/assign", json={"analyst": "analyst"}).status_code
            if action == "note":
                added = http.post(f"{url}/notes", json={"body": f"note {draw:.6f}"})
                return added.status_code
            listed = http.get(f"{url}/notes").json()
            note = listed[int(draw * len(listed))]
            note_id = note["id"]
            body: dict[str, Any] = {"body": f"edit {draw:.9f}"}
            if action == "edit_version":
                body["version"] = note["version"]
            edited = http.patch(f"{url}/notes/{note_id}", json=body)
            if edited.status_code == 200:
                with self.lock:
                    self.accepted[note_id].append(body["body"])
            return edited.status_code

        @invariant()
        def invariants_hold(self) -> None:
            check_invariants(service.database_url, self.accepted)

    Workflow.TestCase.settings = settings(
        max_examples=EXAMPLES,
        stateful_step_count=6,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    Workflow.TestCase().runTest()
    assert tried["interleavings"] > 0 and tried["requests"] >= 2 * tried["interleavings"]
    database = make_url(service.database_url).get_backend_name()
    REPORTS.mkdir(exist_ok=True)
    report = {"database": database, "examples": EXAMPLES, **tried}
    (REPORTS / f"stateful-workflow-{database}.json").write_text(
        json.dumps(report, indent=1, sort_keys=True)
    )
