"""Case work through the API: assignment (self or by a centre manager), the "my cases" and
overdue filters, notes with their edit history, the document checklist, and the timeline that
holds all of it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import create_engine, update

from service.store.tables import cases
from tests.service.inprocess import case_payload


def _case(app, business_id: str = "B-W1", problems=("debt_distress",)) -> str:
    payload = case_payload(business_id, "Chiang Mai", problem_types=list(problems))
    response = app.as_user("analyst", "POST", "/cases", json=payload)
    assert response.status_code == 201, response.text
    return response.json()["case_id"]


def test_analysts_take_cases_and_a_manager_assigns_them(app):
    case_id = _case(app)
    url = f"/cases/{case_id}/assign"
    mine = app.as_user("analyst", "POST", url, json={"analyst": "analyst"})
    assert mine.status_code == 200 and mine.json()["assigned_to"] == "analyst"
    other = app.as_user("analyst", "POST", url, json={"analyst": "analyst2"})
    assert other.status_code == 403 and "themselves" in other.text
    taken = app.as_user("analyst2", "POST", url, json={"analyst": None})
    assert taken.status_code == 403 and "analyst's" in taken.text
    moved = app.as_user("manager", "POST", url, json={"analyst": "analyst2"})
    assert moved.status_code == 200 and moved.json()["assigned_to"] == "analyst2"
    for name in ("nobody", "intake_cm"):
        refused = app.as_user("manager", "POST", url, json={"analyst": name})
        assert refused.status_code == 422 and refused.json()["detail"][0]["loc"][-1] == "analyst"
    assert app.as_user("intake_cm", "POST", url, json={"analyst": None}).status_code == 403

    def queue(user: str, **params) -> list[str]:
        response = app.as_user(user, "GET", "/cases", params=params)
        assert response.status_code == 200, response.text
        return [c["case_id"] for c in response.json()["items"]]

    other_case = _case(app, "B-W2")
    assert queue("analyst2", assigned="me") == [case_id]
    assert queue("analyst", assigned="me") == []
    assert queue("manager", assigned="none") == [other_case]
    assert set(queue("manager", assigned="analyst2")) == {case_id}


def test_sla_per_status_and_the_overdue_filter(app):
    case_id = _case(app)
    fresh = app.as_user("analyst", "GET", f"/cases/{case_id}").json()
    assert fresh["sla_days"] == 3 and fresh["days_in_status"] == 0 and not fresh["overdue"]
    engine = create_engine(app.database_url)
    with engine.begin() as connection:
        connection.execute(
            update(cases)
            .where(cases.c.case_id == case_id)
            .values(status_since=dt.datetime.now(dt.UTC) - dt.timedelta(days=5))
        )
    engine.dispose()
    late = app.as_user("analyst", "GET", f"/cases/{case_id}").json()
    assert late["days_in_status"] == 5 and late["overdue"]
    overdue = app.as_user("analyst", "GET", "/cases", params={"overdue": True}).json()
    assert [c["case_id"] for c in overdue["items"]] == [case_id]
    within = app.as_user("analyst", "GET", "/cases", params={"overdue": False}).json()
    assert within["total"] == 0
    moved = app.as_user("analyst", "POST", f"/cases/{case_id}/status", json={"to": "screening"})
    assert moved.status_code == 200 and not moved.json()["overdue"]
    assert moved.json()["sla_days"] == 7


def test_notes_keep_their_edit_history_and_only_authors_edit(app):
    case_id = _case(app)
    url = f"/cases/{case_id}/notes"
    created = app.as_user("analyst", "POST", url, json={"body": "owner asks for six months"})
    assert created.status_code == 201, created.text
    note = created.json()
    edited = app.as_user(
        "analyst", "PATCH", f"{url}/{note['id']}", json={"body": "owner asks for twelve months"}
    )
    assert edited.status_code == 200
    body = edited.json()
    assert body["body"] == "owner asks for twelve months" and body["updated_at"]
    assert [e["previous_body"] for e in body["edits"]] == ["owner asks for six months"]
    foreign = app.as_user("analyst2", "PATCH", f"{url}/{note['id']}", json={"body": "no"})
    assert foreign.status_code == 403
    assert app.as_user("analyst", "PATCH", f"{url}/999", json={"body": "x"}).status_code == 404
    for bad in ({"body": ""}, {"body": "x" * 4001}, {"body": "ok", "extra": 1}):
        assert app.as_user("analyst", "POST", url, json=bad).status_code == 422
    assert app.as_user("manager", "GET", url).json()[0]["author"] == "analyst"
    for user in ("intake_cm", "scientist", "liaison"):
        assert app.as_user(user, "GET", url).status_code == 403
    assert app.as_user("manager", "POST", url, json={"body": "x"}).status_code == 403


def test_the_document_checklist_follows_the_problem_types(app):
    case_id = _case(app, problems=("debt_distress", "loan_rejected"))
    url = f"/cases/{case_id}/documents"
    docs = {d["document"]: d for d in app.as_user("analyst", "GET", url).json()}
    assert {"facility_schedules", "informal_debts", "rejection_letter"} <= set(docs)
    assert "application_receipt" not in docs  # for a stalled application, not this case
    assert all(d["required"] and d["requested_at"] is None for d in docs.values())
    requested = app.as_user("analyst", "POST", f"{url}/facility_schedules/request").json()
    row = next(d for d in requested if d["document"] == "facility_schedules")
    assert row["requested_by"] == "analyst" and row["waiting_days"] == 0 and not row["overdue"]
    extra = app.as_user("analyst", "POST", f"{url}/project_description/request").json()
    assert any(d["document"] == "project_description" and not d["required"] for d in extra)
    received = app.as_user("analyst", "POST", f"{url}/facility_schedules/receive").json()
    row = next(d for d in received if d["document"] == "facility_schedules")
    assert row["received_at"] and row["waiting_days"] is None
    again = app.as_user("analyst", "POST", f"{url}/facility_schedules/receive")
    assert again.status_code == 409
    assert app.as_user("analyst", "POST", f"{url}/passport/request").status_code == 404
    assert app.as_user("analyst", "POST", f"{url}/facility_schedules/lose").status_code == 422


def test_the_timeline_holds_every_kind_of_event_in_order(app):
    case_id = _case(app)
    app.as_user("analyst", "POST", f"/cases/{case_id}/assign", json={"analyst": "analyst"})
    note = app.as_user("analyst", "POST", f"/cases/{case_id}/notes", json={"body": "first call"})
    app.as_user(
        "analyst", "PATCH", f"/cases/{case_id}/notes/{note.json()['id']}",
        json={"body": "first call, owner present"},
    )  # fmt: skip
    app.as_user("analyst", "POST", f"/cases/{case_id}/documents/collateral/request")
    app.as_user("analyst", "POST", f"/cases/{case_id}/status", json={"to": "screening"})
    events = app.as_user("analyst", "GET", f"/cases/{case_id}/timeline").json()
    kinds = [e["kind"] for e in events]
    assert kinds == [
        "status", "assignment", "note", "note_edit", "document_requested", "status",
    ]  # fmt: skip
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)
    assert events[1]["detail"]["assigned_to"] == "analyst" and events[1]["by"] == "analyst"
    assert app.as_user("intake_cm", "GET", f"/cases/{case_id}/timeline").status_code == 403


def test_referrals_and_mentoring_milestones_are_followed_through(app):
    case_id = _case(app, problems=("technology_innovation",))
    today = dt.date.today()
    url = f"/cases/{case_id}/referrals"
    sent = app.as_user("analyst", "POST", url, json={
        "agency": "National Innovation Agency (NIA)", "programme": "Innovation voucher",
        "contact": "Khun Somchai", "sent_on": (today - dt.timedelta(days=10)).isoformat(),
        "follow_up_on": today.isoformat(),
    })  # fmt: skip
    assert sent.status_code == 201, sent.text
    referral = sent.json()
    assert referral["due"] and referral["result"] is None
    backwards = {"agency": "DIP", "sent_on": today.isoformat(),
                 "follow_up_on": (today - dt.timedelta(days=1)).isoformat()}  # fmt: skip
    assert app.as_user("analyst", "POST", url, json=backwards).status_code == 422
    result_url = f"{url}/{referral['id']}/result"
    done = app.as_user("analyst", "POST", result_url, json={"result": "voucher granted"})
    assert done.status_code == 200 and done.json()["result"] == "voucher granted"
    assert not done.json()["due"]
    again = app.as_user("analyst", "POST", result_url, json={"result": "again"})
    assert again.status_code == 409

    steps = f"/cases/{case_id}/milestones"
    late = app.as_user("analyst", "POST", steps, json={
        "title": "Cash-flow forecast", "owner": "owner's accountant",
        "due_on": (today - dt.timedelta(days=3)).isoformat(),
    })  # fmt: skip
    assert late.status_code == 201 and late.json()["overdue"]
    app.as_user("analyst", "POST", f"/cases/{case_id}/assign", json={"analyst": "analyst"})
    completed = app.as_user("analyst", "POST", f"{steps}/{late.json()['id']}/done")
    assert completed.status_code == 200 and completed.json()["done_at"]
    assert not completed.json()["overdue"]
    assert app.as_user("analyst", "POST", f"{steps}/{late.json()['id']}/done").status_code == 409
    assert app.as_user("analyst", "POST", f"{steps}/999/done").status_code == 404
    assert [m["title"] for m in app.as_user("manager", "GET", steps).json()] == [
        "Cash-flow forecast"
    ]
    assert app.as_user("intake_cm", "GET", steps).status_code == 403
    kinds = [e["kind"] for e in app.as_user("analyst", "GET", f"/cases/{case_id}/timeline").json()]
    assert {"referral", "referral_result", "milestone", "milestone_done"} <= set(kinds)


def test_the_worklist_reminds_of_due_follow_ups_and_late_milestones(app):
    from tests.service.access.test_sessions import sign_in

    case_id = _case(app)
    today = dt.date.today()
    app.as_user("analyst", "POST", f"/cases/{case_id}/assign", json={"analyst": "analyst"})
    app.as_user("analyst", "POST", f"/cases/{case_id}/referrals", json={
        "agency": "DIP", "sent_on": today.isoformat(), "follow_up_on": today.isoformat(),
    })  # fmt: skip
    app.as_user("analyst", "POST", f"/cases/{case_id}/milestones", json={
        "title": "New price list", "owner": "owner",
        "due_on": (today - dt.timedelta(days=1)).isoformat(),
    })  # fmt: skip
    sign_in(app, "analyst")
    page = app.client.get("/ui/cases?assigned=me&lang=th").text
    assert 'data-testid="referral-reminder"' in page and "ติดตามการส่งต่อไปยัง DIP" in page
    assert 'data-testid="milestone-reminder"' in page and "New price list" in page
    case_page = app.client.get(f"/ui/cases/{case_id}").text
    assert 'data-testid="referral-due"' in case_page
    assert 'data-testid="milestone-overdue"' in case_page
