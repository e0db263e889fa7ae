"""Writes stay within the caller's scope, and a refused write changes nothing.

Each test reproduces a way a user could reach another tenant's records and checks the answer is a
4xx with the database exactly as it was."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, func, select, text

from service.store.tables import (
    application_status_history,
    businesses,
    cases,
    financial_statements,
    loan_applications,
)
from tests.service.inprocess import App, case_payload

TABLES = (businesses, financial_statements, loan_applications, application_status_history, cases)


def snapshot(app: App) -> dict[str, list[tuple]]:
    """Every row of the tables a case touches, for comparing before and after."""
    engine = create_engine(app.database_url)
    with engine.connect() as connection:
        rows = {
            t.name: sorted(map(tuple, connection.execute(select(t)).all()), key=repr)
            for t in TABLES
        }
    engine.dispose()
    return rows


def register(app: App, user: str, payload: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return app.as_user(user, "POST", "/cases", json=payload, headers=headers)


def assert_refused(app: App, user: str, payload: dict, status: int, says: str) -> None:
    """The intake is refused with `status`, saying `says`, and nothing on record changed."""
    before = snapshot(app)
    response = register(app, user, payload)
    assert response.status_code == status, response.text
    assert says in response.json()["detail"]
    assert snapshot(app) == before


def test_an_intake_officer_cannot_rewrite_a_business_of_another_province(app):
    assert register(app, "intake_bkk", case_payload("B-BKK", "Bangkok")).status_code == 201
    hijack = case_payload("B-BKK", "Chiang Mai", intake_centre=None)
    hijack["business"]["name"] = "Renamed"
    hijack["financial_statements"][0]["revenue"] = 1.0
    assert_refused(app, "intake_cm", hijack, 403, "outside your scope")


def test_a_case_cannot_claim_another_business_s_facility_or_application(app):
    assert register(app, "analyst", case_payload("B-ONE", "Chiang Mai")).status_code == 201
    for table, column in (("debts", "facility_id"), ("loan_applications", "application_id")):
        payload = case_payload("B-TWO", "Chiang Mai", seed=2)
        payload[table][0][column] = case_payload("B-ONE", "Chiang Mai")[table][0][column]
        payload[table][0]["status"] = "approved" if table == "loan_applications" else None
        payload[table][0] = {k: v for k, v in payload[table][0].items() if v is not None}
        if table == "loan_applications":
            payload[table][0]["decided_at"] = "2025-02-01"
        assert_refused(app, "intake_cm", payload, 409, "belongs to another business")


def test_a_case_never_rewrites_rows_on_record_but_adds_new_ones(app):
    assert register(app, "analyst", case_payload("B-X", "Chiang Mai")).status_code == 201
    before = snapshot(app)
    changed = case_payload("B-X", "Chiang Mai")
    changed["loan_applications"][0].update(status="approved", decided_at="2025-03-01")
    response = register(app, "analyst", changed)
    assert response.status_code == 409 and "differs from the row on record" in response.text
    assert snapshot(app) == before

    newer = case_payload("B-X", "Chiang Mai")
    newer["financial_statements"].append(
        {**newer["financial_statements"][-1], "fiscal_year": 2025, "period_end": "2025-12-31"}
    )
    assert register(app, "analyst", newer).status_code == 201
    after = snapshot(app)
    assert len(after["financial_statements"]) == len(before["financial_statements"]) + 1


def test_replacing_a_business_is_explicit_and_scoped(app):
    assert register(app, "intake_bkk", case_payload("B-R", "Bangkok")).status_code == 201
    body = case_payload("B-R", "Bangkok")
    body = {k: body[k] for k in ("business", "financial_statements", "debts", "loan_applications")}
    body["business"]["name"] = "Renamed Trading"
    before = snapshot(app)
    refused = app.as_user("intake_cm", "PUT", "/businesses/B-R", json=body)
    assert refused.status_code == 403 and snapshot(app) == before
    wrong_id = app.as_user("analyst", "PUT", "/businesses/B-OTHER", json=body)
    assert wrong_id.status_code == 422
    done = app.as_user("intake_bkk", "PUT", "/businesses/B-R", json=body)
    assert done.status_code == 200, done.text
    name = app.as_user("analyst", "GET", "/cases").json()["items"][0]["business_name"]
    assert name == "Renamed Trading"


def test_an_application_changes_only_through_its_lifecycle_and_lender(app):
    assert register(app, "analyst", case_payload("B-L", "Chiang Mai")).status_code == 201
    url = "/applications/A-B-L/status"
    other = App(app.client, {**app.tokens}, app.database_url)
    assert other.as_user("scientist", "POST", url, json={"to": "approved"}).status_code == 403
    bad_date = {"to": "approved", "changed_at": "2024-01-01"}
    assert app.as_user("liaison", "POST", url, json=bad_date).status_code == 422
    moved = app.as_user(
        "liaison", "POST", url, json={"to": "rejected", "rejection_reason": "no collateral"}
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["decided_at"] == dt.date.today().isoformat()
    again = app.as_user("liaison", "POST", url, json={"to": "approved"})
    assert again.status_code == 409 and "final" in again.json()["detail"]
    rows = snapshot(app)["application_status_history"]
    assert [r[1] for r in rows] == ["rejected"]


def test_concurrent_identical_transitions_move_a_case_once(app):
    ids = []
    for i in range(4):
        created = register(app, "analyst", case_payload(f"B-C{i}", "Chiang Mai", seed=10 + i))
        ids.append(created.json()["case_id"])

    def move(case_id: str) -> int:
        return app.as_user(
            "analyst", "POST", f"/cases/{case_id}/status", json={"to": "screening"}
        ).status_code

    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(move, [case_id for case_id in ids for _ in range(8)]))
    assert codes.count(200) == len(ids)
    assert set(codes) <= {200, 409}
    engine = create_engine(app.database_url)
    with engine.connect() as connection:
        moves = connection.execute(
            text("SELECT case_id, count(*) FROM case_status_changes GROUP BY case_id")
        ).all()
    engine.dispose()
    assert {n for _, n in moves} == {2}  # registered, then screened once


def test_a_closed_case_takes_no_decision_and_outcomes_follow_the_workflow(app):
    case_id = register(app, "analyst", case_payload("B-W", "Chiang Mai")).json()["case_id"]
    early = {"as_of": "2026-06-30", "distress_12m": False}
    outcome = app.as_user("analyst", "POST", f"/cases/{case_id}/outcome", json=early)
    assert outcome.status_code == 409 and "still received" in outcome.json()["detail"]
    for step in ("screening", "analysis", "recommended"):
        app.as_user("analyst", "POST", f"/cases/{case_id}/status", json={"to": step})
    before_receipt = {"as_of": "2025-01-01", "distress_12m": False}
    response = app.as_user("analyst", "POST", f"/cases/{case_id}/outcome", json=before_receipt)
    assert response.status_code == 422
    assert (
        app.as_user("analyst", "POST", f"/cases/{case_id}/outcome", json=early).status_code == 201
    )
    app.as_user("analyst", "POST", f"/cases/{case_id}/status", json={"to": "closed"})
    decision = app.as_user(
        "analyst", "POST", f"/cases/{case_id}/decision", json={"path": "restructure"}
    )
    assert decision.status_code == 409
    reopened = app.as_user("analyst", "POST", f"/cases/{case_id}/status", json={"to": "analysis"})
    assert reopened.status_code == 409


def test_idempotency_keys_are_each_user_s_own_and_bound_to_the_body(app):
    payload = case_payload("B-I", "Chiang Mai")
    first = register(app, "intake_cm", payload, key="k-1")
    assert first.status_code == 201
    assert (
        register(app, "intake_cm", payload, key="k-1").json()["case_id"] == first.json()["case_id"]
    )
    other_body = case_payload("B-I2", "Chiang Mai", seed=5)
    reused = register(app, "intake_cm", other_body, key="k-1")
    assert reused.status_code == 422 and "another request body" in reused.text
    theirs = register(app, "analyst", other_body, key="k-1")
    assert theirs.status_code == 201 and theirs.json()["case_id"] != first.json()["case_id"]

    payload = case_payload("B-I3", "Chiang Mai", seed=6)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: register(app, "intake_cm", payload, key="k-2"), range(6)))
    created = {a.json()["case_id"] for a in answers if a.status_code == 201}
    assert len(created) == 1
    assert {a.status_code for a in answers} <= {201, 409}
    engine = create_engine(app.database_url)
    with engine.connect() as connection:
        count = connection.execute(
            select(func.count()).select_from(cases).where(cases.c.business_id == "B-I3")
        ).scalar_one()
    engine.dispose()
    assert count == 1
