"""The case page as a decision sheet: statements with their age, facilities, applications and
the decisions taken, with empty states, in English and Thai."""

from __future__ import annotations

import datetime as dt

from tests.service.access.test_sessions import sign_in
from tests.service.inprocess import case_payload


def _shift_years(years: int):
    def change(payload: dict) -> None:
        for s in payload["financial_statements"]:
            s.update(
                fiscal_year=s["fiscal_year"] + years, period_end=f"{s['fiscal_year'] + years}-12-31"
            )

    return change


def _register(app, business_id: str, change=None) -> str:
    payload = case_payload(business_id, "Chiang Mai")
    if change:
        change(payload)
    response = app.as_user("analyst", "POST", "/cases", json=payload)
    assert response.status_code == 201, response.text
    return response.json()["case_id"]


def test_facilities_applications_and_statements_are_on_the_case_page(app):
    # The latest statement ends last December: at most a year old, whenever the test runs.
    case_id = _register(app, "B-P1", _shift_years(dt.date.today().year - 1 - 2024))
    sign_in(app, "analyst")
    page = app.client.get(f"/ui/cases/{case_id}").text
    assert 'data-testid="facilities"' in page and "Andaman Trust Bank" in page
    assert "3,000,000" in page and "7.00%" in page  # outstanding, rate
    assert 'data-testid="applications"' in page and 'data-testid="stalled"' in page
    assert 'data-testid="statements"' in page and 'data-testid="stale"' not in page
    thai = app.client.get(f"/ui/cases/{case_id}?lang=th").text
    assert "วงเงินสินเชื่อ" in thai and "คำขอสินเชื่อ" in thai and "รายได้จากการขาย" in thai


def test_missing_and_stale_statements_are_flagged(app):
    none = _register(app, "B-P2", lambda p: p.update(financial_statements=[], debts=[]))
    old = _register(app, "B-P3", _shift_years(dt.date.today().year - 4 - 2024))
    sign_in(app, "analyst")
    empty = app.client.get(f"/ui/cases/{none}").text
    assert 'data-testid="no-statements"' in empty and 'data-testid="no-facilities"' in empty
    assert 'data-testid="stale"' in app.client.get(f"/ui/cases/{old}").text


def test_errors_on_pages_are_pages_in_the_user_s_language(app):
    case_id = _register(app, "B-P4")
    sign_in(app, "intake_cm")
    refused = app.client.get(f"/ui/cases/{case_id}?lang=th")
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    assert "คุณไม่มีสิทธิ์เปิดหน้านี้" in refused.text and 'data-testid="error-page"' in refused.text
    sign_in(app, "analyst")
    missing = app.client.get("/ui/cases/C-NONE?lang=en")
    assert missing.status_code == 404 and "Not found" in missing.text
    api = app.as_user("analyst", "GET", "/cases/C-NONE")
    assert api.status_code == 404 and api.json() == {"detail": "no case C-NONE"}


def test_a_lenders_legal_action_is_on_the_case_page(app):
    def sued(payload):
        payload["debts"][0].update(legal_stage="lawsuit", days_past_due=0)

    case_id = _register(app, "B-P5", sued)
    sign_in(app, "analyst")
    page = app.client.get(f"/ui/cases/{case_id}").text
    assert 'data-testid="legal-stage">lender has sued' in page
    thai = app.client.get(f"/ui/cases/{case_id}?lang=th").text
    assert 'data-testid="legal-stage">เจ้าหนี้ยื่นฟ้องแล้ว' in thai
    bad = case_payload("B-P6", "Chiang Mai")
    bad["debts"][0]["legal_stage"] = "arrested"
    response = app.as_user("analyst", "POST", "/cases", json=bad)
    assert response.status_code == 422 and "legal_stage" in response.text
