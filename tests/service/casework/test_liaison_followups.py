"""The bank liaison's list says what moves each stalled application: the business and the
centre's case and analyst, who it waits on, days since its last change; follow-ups are logged
within the liaison's own lender and appear in the case timeline; the CSV has the same columns."""

from __future__ import annotations

import io

import pandas as pd

from service.kit.schemas import StalledApplication
from tests.service.inprocess import case_payload


def test_stalled_applications_say_what_moves_them(app):
    payload = case_payload("B-L1", "Chiang Mai")
    case = app.as_user("analyst", "POST", "/cases", json=payload).json()
    app.as_user("analyst", "POST", f"/cases/{case['case_id']}/assign", json={"analyst": "analyst"})
    stalled = app.as_user("liaison", "GET", "/applications/stalled").json()
    [row] = [a for a in stalled if a["application_id"] == "A-B-L1"]
    assert row["business_name"] == "Test Trading B-L1"
    assert row["case_id"] == case["case_id"] and row["assigned_to"] == "analyst"
    assert row["waiting_on"] == "bank" and row["days_since_change"] >= 365
    assert row["follow_ups"] == 0 and row["last_follow_up"] is None
    assert row["missing_documents"] == []
    docs = f"/cases/{case['case_id']}/documents"
    app.as_user("analyst", "POST", f"{docs}/collateral/request")
    app.as_user("analyst", "POST", f"{docs}/bank_statements/request")
    app.as_user("analyst", "POST", f"{docs}/bank_statements/receive")
    waiting = app.as_user("liaison", "GET", "/applications/stalled").json()
    [row] = [a for a in waiting if a["application_id"] == "A-B-L1"]
    assert row["missing_documents"] == ["collateral"]

    url = "/applications/A-B-L1/followups"
    logged = app.as_user(
        "liaison", "POST", url, json={"action": "contacted", "note": "credit desk"}
    )
    assert logged.status_code == 201 and [f["action"] for f in logged.json()] == ["contacted"]
    assert app.as_user("liaison", "POST", url, json={"action": "lunch"}).status_code == 422
    assert app.as_user("intake_cm", "POST", url, json={"action": "contacted"}).status_code == 403
    again = app.as_user("liaison", "GET", "/applications/stalled").json()
    [row] = [a for a in again if a["application_id"] == "A-B-L1"]
    assert row["last_follow_up"] == "contacted" and row["follow_ups"] == 1
    kinds = [e["kind"] for e in app.as_user(
        "analyst", "GET", f"/cases/{case['case_id']}/timeline").json()]  # fmt: skip
    assert "application_follow_up" in kinds

    csv = app.as_user("liaison", "GET", "/applications/stalled", params={"format": "csv"}).text
    table = pd.read_csv(io.StringIO(csv), dtype=str)
    assert list(table.columns) == list(StalledApplication.model_fields)
    assert table.loc[table.application_id == "A-B-L1", "amount"].iloc[0] == "1,000,000"
    assert table.loc[table.application_id == "A-B-L1", "missing_documents"].iloc[0] == (
        "Collateral title deeds and latest appraisal"
    )


def test_a_liaison_follows_up_only_their_own_lender(app):
    payload = case_payload("B-L2", "Chiang Mai")
    payload["loan_applications"][0]["lender"] = "Other Bank"
    app.as_user("analyst", "POST", "/cases", json=payload)
    refused = app.as_user(
        "liaison", "POST", "/applications/A-B-L2/followups", json={"action": "escalated"}
    )
    assert refused.status_code == 404
    allowed = app.as_user(
        "analyst", "POST", "/applications/A-B-L2/followups", json={"action": "escalated"}
    )
    assert allowed.status_code == 201


def test_an_application_waiting_on_the_borrower_is_pending_not_stalled(app):
    payload = case_payload("B-L3", "Chiang Mai")
    payload["loan_applications"][0].update(status="documents_requested")
    app.as_user("analyst", "POST", "/cases", json=payload)
    stalled = app.as_user("liaison", "GET", "/applications/stalled").json()
    assert "A-B-L3" not in [a["application_id"] for a in stalled]
    summary = app.as_user("liaison", "GET", "/lenders/Andaman Trust Bank/summary").json()
    assert summary["pending"] >= 1 and summary["stalled"] == len(summary["stalled_applications"])
    moved = app.as_user(
        "liaison", "POST", "/applications/A-B-L3/status",
        json={"to": "under_review", "changed_at": "2025-03-01"},
    )  # fmt: skip
    assert moved.status_code == 200, moved.text
    back = app.as_user("liaison", "GET", "/applications/stalled").json()
    [row] = [a for a in back if a["application_id"] == "A-B-L3"]
    assert row["waiting_on"] == "bank"
