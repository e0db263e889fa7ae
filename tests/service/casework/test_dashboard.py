"""The manager's dashboard: counts over the selected cases, plan performance, time to decision
and workload, as JSON, as a page in both languages, and as CSV and XLSX."""

from __future__ import annotations

import io

import pandas as pd

from tests.service.access.test_sessions import sign_in
from tests.service.inprocess import case_payload


def test_the_dashboard_counts_what_its_filters_select(app):
    for i, (province, problems) in enumerate(
        (("Chiang Mai", ["debt_distress"]), ("Chiang Mai", ["loan_stalled"]), ("Bangkok", []))
    ):
        payload = case_payload(f"B-D{i}", province, problem_types=problems)
        user = "intake_bkk" if province == "Bangkok" else "analyst"
        assert app.as_user(user, "POST", "/cases", json=payload).status_code == 201
    board = app.as_user("manager", "GET", "/dashboard").json()
    assert board["total"] == 3
    assert board["counts"]["province"] == {"Chiang Mai": 2, "Bangkok": 1}
    assert board["counts"]["status"] == {"received": 3}
    assert board["plans"] == {"performing": 0, "in_arrears": 0, "failed": 0}
    assert board["intake_to_decision_days"]["decided"] == 0
    assert board["workload"] == [{"analyst": "–", "open": 3, "overdue": 0}]
    mai = app.as_user("manager", "GET", "/dashboard", params={"province": "chiang mai"}).json()
    assert mai["total"] == 2 and mai["counts"]["problem_type"] == {
        "debt_distress": 1, "loan_stalled": 1,
    }  # fmt: skip
    assert app.as_user("manager", "GET", "/dashboard", params={"channel": "x"}).status_code == 422
    assert app.as_user("intake_cm", "GET", "/dashboard").status_code == 403

    csv = app.as_user("manager", "GET", "/dashboard/export").text
    table = pd.read_csv(io.StringIO(csv))
    assert set(table.columns) == {"section", "item", "value"}
    assert table[(table.section == "province") & (table["item"] == "Bangkok")]["value"].iloc[0] == 1
    xlsx = app.as_user("manager", "GET", "/dashboard/export", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert len(pd.read_excel(io.BytesIO(xlsx.content))) == len(table)

    sign_in(app, "manager")
    page = app.client.get("/ui/dashboard?lang=th").text
    assert 'data-testid="chart-province"' in page and "เชียงใหม่" in page and "ภาพรวม" in page
    assert "<svg" in page
