"""Intake of statements as they arrive: the API answers the import report and payloads, the web
intake shows the report before anything is saved, then registers the case."""

from __future__ import annotations

import html
import re

from tests.features.imports.test_importing import BUSINESS, statement_workbook
from tests.service.access.test_sessions import sign_in

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_api_reads_a_thai_workbook_and_the_payload_registers(app):
    files = [("files", ("ทองดี.xlsx", statement_workbook(), XLSX))]
    preview = app.as_user("intake_cm", "POST", "/imports", files=files)
    assert preview.status_code == 200, preview.text
    body = preview.json()
    assert body["ok"] and len(body["businesses"]) == 1
    kinds = {entry["kind"] for entry in body["report"]}
    assert {"buddhist_era", "unmapped", "subtotal"} <= kinds
    assert any("ไม่รู้จักชื่อบรรทัดนี้" in entry["th"] for entry in body["report"])
    payload = body["businesses"][0]
    assert [s["fiscal_year"] for s in payload["financial_statements"]] == [2023, 2024]
    assert app.as_user("analyst", "GET", "/cases").json()["total"] == 0  # nothing saved
    payload["business"]["province"] = "Chiang Mai"
    case = {**payload, "channel": "oss_centre", "problem_types": ["debt_distress"]}
    assert app.as_user("intake_cm", "POST", "/cases", json=case).status_code == 201


def test_a_broken_file_blocks_the_import_and_names_the_cell(app):
    files = [("files", ("bad.csv", "รายการ,2567\nรายได้จากการขาย,abc\n".encode(), "text/csv"))]
    body = app.as_user("analyst", "POST", "/imports", files=files).json()
    assert not body["ok"]
    assert any(e["kind"] == "error" and "bad.csv:2:B" in e["en"] for e in body["report"])


def test_the_web_intake_shows_the_report_then_registers(app):
    csrf = sign_in(app, "intake_cm")
    page = app.client.get("/ui/intake?lang=th")
    assert page.status_code == 200 and "รับเรื่องใหม่" in page.text
    files = [("files", ("ทองดี.xlsx", statement_workbook(), XLSX))]
    no_token = app.client.post("/ui/intake", files=files)
    assert no_token.status_code == 403
    shown = app.client.post("/ui/intake", files=files, data={"csrf_token": csrf})
    assert shown.status_code == 200
    assert "รายงานการนำเข้า" in shown.text and "สลากออมสิน" in shown.text
    assert app.as_user("analyst", "GET", "/cases").json()["total"] == 0
    payload = re.search(r'name="payload" value="([^"]+)"', shown.text).group(1)
    registered = app.client.post(
        "/ui/intake/register",
        data={
            "payload": html.unescape(payload), "channel": "oss_centre",
            "problem_types": ["debt_distress"], "csrf_token": csrf,
        },
        follow_redirects=False,
    )  # fmt: skip
    assert registered.status_code == 303, registered.text
    cases = app.as_user("analyst", "GET", "/cases").json()["items"]
    assert [(c["business_id"], c["province"]) for c in cases] == [(BUSINESS, "Chiang Mai")]


def test_more_files_than_an_import_takes_is_422(app):
    files = [("files", (f"t{i}.csv", b"x\n", "text/csv")) for i in range(21)]
    response = app.as_user("analyst", "POST", "/imports", files=files)
    assert response.status_code == 422 and "at most 20" in response.text
