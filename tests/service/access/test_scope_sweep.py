"""Every write route, tried by every scoped user on a record outside their scope: refused, and the
database exactly as it was.

The scoped users are an intake officer held to a province, one held to an intake centre, and a
bank liaison held to a lender. Each has a record just outside their scope: a business in another
province, a business of the same province registered through another intake centre, and an
application at another lender. A write route the sweep has no probe for fails the test, so a new
route cannot ship untried."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import create_engine, select

from service.access.users import create_user
from service.kit.roles import Role
from service.store.db import Database
from service.store.tables import metadata
from tests.service.inprocess import App, business_payload, case_payload

# Tables a refused request may still write to: who asked, how often, and the web sessions.
BOOKKEEPING = {"audit_log", "ui_sessions", "users", "request_counts"}
OTHER_LENDER = "Siam Pioneer Bank"

Target = dict[str, Any]
Probe = Callable[[Target], tuple[str, dict[str, Any]]]


def _business_body(target: Target) -> dict[str, Any]:
    body = business_payload(target["business_id"], target["province"])
    body["business"]["name"] = "Taken Over Ltd"
    body["debts"] = []
    return body


def _repayments_csv(target: Target) -> dict[str, Any]:
    text = f"case_id,creditor,paid_at,amount\n{target['case_id']},{OTHER_LENDER},2026-02-01,100\n"
    return {"files": {"file": ("repayments.csv", io.BytesIO(text.encode()), "text/csv")}}


# How to aim each write route at a target: (url, request arguments).
PROBES: dict[tuple[str, str], Probe] = {
    ("POST", "/cases"): lambda t: (
        "/cases",
        {"json": case_payload(t["business_id"], t["province"], intake_centre=t["centre"])},
    ),
    ("PUT", "/businesses/{business_id}"): lambda t: (
        f"/businesses/{t['business_id']}",
        {"json": _business_body(t)},
    ),
    ("POST", "/cases/{case_id}/status"): lambda t: (
        f"/cases/{t['case_id']}/status",
        {"json": {"to": "closed"}},
    ),
    ("POST", "/cases/{case_id}/assessments"): lambda t: (f"/cases/{t['case_id']}/assessments", {}),
    ("POST", "/cases/{case_id}/decision"): lambda t: (
        f"/cases/{t['case_id']}/decision",
        {"json": {"path": "exit", "reason": "taken over"}},
    ),
    ("POST", "/cases/{case_id}/outcome"): lambda t: (
        f"/cases/{t['case_id']}/outcome",
        {"json": {"as_of": "2026-06-30", "distress_12m": True}},
    ),
    ("POST", "/cases/{case_id}/assign"): lambda t: (
        f"/cases/{t['case_id']}/assign",
        {"json": {"analyst": "analyst"}},
    ),
    ("POST", "/cases/{case_id}/notes"): lambda t: (
        f"/cases/{t['case_id']}/notes",
        {"json": {"body": "a note from outside"}},
    ),
    ("PATCH", "/cases/{case_id}/notes/{note_id}"): lambda t: (
        f"/cases/{t['case_id']}/notes/{t['note_id']}",
        {"json": {"body": "rewritten from outside"}},
    ),
    ("POST", "/cases/{case_id}/documents/{document}/{action}"): lambda t: (
        f"/cases/{t['case_id']}/documents/financial_statements/receive",
        {},
    ),
    ("POST", "/cases/{case_id}/referrals"): lambda t: (
        f"/cases/{t['case_id']}/referrals",
        {"json": {"agency": "NIA", "sent_on": "2026-02-01", "follow_up_on": "2026-03-01"}},
    ),
    ("POST", "/cases/{case_id}/referrals/{referral_id}/result"): lambda t: (
        f"/cases/{t['case_id']}/referrals/{t['referral_id']}/result",
        {"json": {"result": "closed from outside"}},
    ),
    ("POST", "/cases/{case_id}/creditor-meetings"): lambda t: (
        f"/cases/{t['case_id']}/creditor-meetings",
        {
            "json": {
                "procedure": "court_chapter_3_2",
                "meeting_on": "2026-02-01",
                "votes": [{"lender": OTHER_LENDER, "claim": 100.0, "vote": "for"}],
            }
        },
    ),
    ("POST", "/cases/{case_id}/milestones"): lambda t: (
        f"/cases/{t['case_id']}/milestones",
        {"json": {"title": "from outside", "owner": "x", "due_on": "2026-03-01"}},
    ),
    ("POST", "/cases/{case_id}/milestones/{milestone_id}/done"): lambda t: (
        f"/cases/{t['case_id']}/milestones/{t['milestone_id']}/done",
        {},
    ),
    ("POST", "/cases/{case_id}/plan"): lambda t: (
        f"/cases/{t['case_id']}/plan",
        {"json": {"path": "restructure", "first_due": "2026-03-01"}},
    ),
    ("POST", "/cases/{case_id}/repayments"): lambda t: (
        f"/cases/{t['case_id']}/repayments",
        {"json": {"creditor": OTHER_LENDER, "paid_at": "2026-02-01", "amount": 100.0}},
    ),
    ("POST", "/repayments/upload"): lambda t: ("/repayments/upload", _repayments_csv(t)),
    ("POST", "/cases/{case_id}/simulate"): lambda t: (
        f"/cases/{t['case_id']}/simulate",
        {"json": {"annual_rate": 0.05, "tenor_months": 60, "grace_months": 0, "haircut": 0.0}},
    ),
    ("POST", "/applications/{application_id}/status"): lambda t: (
        f"/applications/{t['application_id']}/status",
        {"json": {"to": "rejected", "rejection_reason": "from outside"}},
    ),
    ("POST", "/applications/{application_id}/followups"): lambda t: (
        f"/applications/{t['application_id']}/followups",
        {"json": {"action": "contacted"}},
    ),
}
# Routes that write nothing on record whoever calls them: scoring a payload, previewing an
# import, reloading the models. The sweep still checks the database is unchanged after them.
RECORD_FREE = {
    ("POST", "/score"): lambda t: ("/score", {"json": business_payload("B-SCORE", "Bangkok")}),
    ("POST", "/score/batch"): lambda t: ("/score/batch", {}),
    ("POST", "/imports"): lambda t: ("/imports", {}),
    ("POST", "/models/reload"): lambda t: ("/models/reload", {}),
}


def _tables(app: App) -> dict[str, list[tuple]]:
    engine = create_engine(app.database_url)
    with engine.connect() as connection:
        rows = {
            t.name: sorted(map(tuple, connection.execute(select(t)).all()), key=repr)
            for t in metadata.sorted_tables
            if t.name not in BOOKKEEPING
        }
    engine.dispose()
    return rows


def _write_routes(app: App) -> set[tuple[str, str]]:
    documented = app.client.app.openapi()["paths"]
    return {
        (method.upper(), path)
        for path, operations in documented.items()
        for method in operations
        if method in ("post", "put", "patch", "delete")
    }


def _record(app: App, business_id: str, province: str, centre: str, lender: str) -> Target:
    """A case with a note, a referral and a milestone on it, registered by an analyst."""
    payload = case_payload(business_id, province, seed=len(business_id), intake_centre=centre)
    payload["loan_applications"][0]["lender"] = lender
    payload["debts"][0]["lender"] = lender
    created = app.as_user("analyst", "POST", "/cases", json=payload)
    assert created.status_code == 201, created.text
    case_id = created.json()["case_id"]
    note = app.as_user("analyst", "POST", f"/cases/{case_id}/notes", json={"body": "mine"})
    referral = app.as_user(
        "analyst", "POST", f"/cases/{case_id}/referrals",
        json={"agency": "NSTDA ITAP", "sent_on": "2026-02-01", "follow_up_on": "2026-03-01"},
    )  # fmt: skip
    milestone = app.as_user(
        "analyst", "POST", f"/cases/{case_id}/milestones",
        json={"title": "cash flow plan", "owner": "owner", "due_on": "2026-03-01"},
    )  # fmt: skip
    for answer in (note, referral, milestone):
        assert answer.status_code == 201, answer.text
    return {
        "case_id": case_id, "business_id": business_id, "province": province, "centre": centre,
        "application_id": f"A-{business_id}", "note_id": note.json()["id"],
        "referral_id": referral.json()["id"], "milestone_id": milestone.json()["id"],
    }  # fmt: skip


@pytest.fixture
def scoped_world(app: App) -> dict[str, Target]:
    """Each scoped user with the record just outside their scope (and their own beside it)."""
    with Database(app.database_url).sessions() as session:
        app.tokens["intake_centre"] = create_user(
            session, "intake_centre", Role.intake_officer, intake_centre="OSS Chiang Mai 1"
        )
    own = _record(app, "B-OWN", "Chiang Mai", "OSS Chiang Mai 1", "Andaman Trust Bank")
    other_province = _record(app, "B-BKK", "Bangkok", "OSS Bangkok", "Andaman Trust Bank")
    other_centre = _record(app, "B-CM2", "Chiang Mai", "OSS Chiang Mai 2", "Andaman Trust Bank")
    other_lender = _record(app, "B-LEND", "Chiang Mai", "OSS Chiang Mai 1", OTHER_LENDER)
    # The officers reach their own record: the sweep's refusals are about scope, not a
    # broken request.
    for user in ("intake_cm", "intake_centre"):
        body = _business_body(own)
        answer = app.as_user(user, "PUT", f"/businesses/{own['business_id']}", json=body)
        assert answer.status_code == 200, (user, answer.text)
    follow = app.as_user(
        "liaison", "POST", f"/applications/{own['application_id']}/followups",
        json={"action": "contacted"},
    )  # fmt: skip
    assert follow.status_code == 201, follow.text
    return {"intake_cm": other_province, "intake_centre": other_centre, "liaison": other_lender}


def test_every_write_route_has_a_probe(app):
    assert _write_routes(app) == set(PROBES) | set(RECORD_FREE)


def test_no_scoped_user_writes_outside_their_scope(app, scoped_world):
    tried = 0
    for user, target in scoped_world.items():
        for (method, _path), probe in {**PROBES, **RECORD_FREE}.items():
            url, arguments = probe(target)
            before = _tables(app)
            answer = app.as_user(user, method, url, **arguments)
            assert _tables(app) == before, (user, method, url, answer.status_code, answer.text)
            if (method, _path) in PROBES:
                assert answer.status_code in (403, 404), (user, method, url, answer.text)
            tried += 1
    assert tried == 3 * (len(PROBES) + len(RECORD_FREE))


def test_a_centre_scoped_officer_cannot_replace_another_centre_s_business(app, scoped_world):
    """The defect this sweep was written for: PUT /businesses answered 200 to an officer of
    another intake centre in the same province, renamed the business and dropped its
    facilities."""
    target = scoped_world["intake_centre"]
    before = _tables(app)
    answer = app.as_user(
        "intake_centre", "PUT", f"/businesses/{target['business_id']}", json=_business_body(target)
    )
    assert answer.status_code == 403 and "outside your scope" in answer.json()["detail"]
    assert _tables(app) == before


def test_the_web_intake_registers_nothing_outside_the_officer_s_scope(app, scoped_world):
    """The pages register through the same checks as the API: a signed-in officer's
    registration of the business just outside their scope is refused and writes nothing."""
    import json

    from tests.service.access.test_sessions import sign_in

    for user in ("intake_cm", "intake_centre"):
        target = scoped_world[user]
        csrf = sign_in(app, user)
        payload = case_payload(target["business_id"], target["province"])
        body = {k: payload[k] for k in ("business", "financial_statements", "debts",
                                        "loan_applications")}  # fmt: skip
        before = _tables(app)
        answer = app.client.post(
            "/ui/intake/register",
            data={
                "payload": json.dumps(body), "channel": "oss_centre",
                "problem_types": ["debt_distress"], "intake_centre": target["centre"],
                "csrf_token": csrf,
            },
            follow_redirects=False,
        )  # fmt: skip
        assert answer.status_code == 403, (user, answer.status_code, answer.text[:300])
        assert _tables(app) == before
        app.client.cookies.clear()
