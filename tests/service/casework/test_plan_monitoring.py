"""A decided plan followed through on the running service: put into effect with its schedule
per creditor, repayments uploaded as a lender's CSV (a bad file records nothing), a missed
installment raising an arrears alert, and the plan's outcome in the training export."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import httpx
import pandas as pd
import pytest

from features import load_portfolio
from service.kit.payloads import business_payload
from tests.service.plannable import cases_with_plans


@pytest.fixture(scope="module")
def portfolio(small_portfolio_dir):
    return load_portfolio(small_portfolio_dir)


def test_a_plan_is_followed_from_decision_to_outcome(service, portfolio, tmp_path):
    today = dt.date.today()
    with service.client("analyst") as analyst:
        [(case_id, _, option)] = cases_with_plans(analyst, portfolio, 1)
        path = option["path"]
        early = analyst.post(f"/cases/{case_id}/plan",
                             json={"path": path, "first_due": today.isoformat()})  # fmt: skip
        assert early.status_code == 409 and "decide first" in early.text
        decided = analyst.post(
            f"/cases/{case_id}/decision", json={"path": path, "reason": "agreed with the banks"}
        )
        assert decided.status_code == 201, decided.text
        first_due = today - dt.timedelta(days=150)
        put = analyst.post(
            f"/cases/{case_id}/plan", json={"path": path, "first_due": first_due.isoformat()}
        )
        assert put.status_code == 201, put.text
        plan = put.json()
        creditors = [c["creditor"] for c in plan["creditors"]]
        assert creditors and plan["months"] >= 12
        assert analyst.post(f"/cases/{case_id}/plan",
                            json={"path": path, "first_due": first_due.isoformat()}
                            ).status_code == 409  # fmt: skip

        # The consent behind the plan: none on record yet, then the meeting whose vote carried.
        lenders = sorted({c["creditor"] for c in plan["creditors"]})
        if path != "rehabilitation" and len(lenders) < 2:
            assert plan["consent"] is None
        else:
            assert plan["consent"]["meeting_id"] is None and not plan["consent"]["carried"]
            court = path == "rehabilitation"
            meeting = {
                "procedure": "court_chapter_3_2" if court else "restructuring_agreement",
                "meeting_on": today.isoformat(),
                "votes": [{"lender": name, "claim": 1_000_000, "vote": "for"} for name in lenders],
            }
            met = analyst.post(f"/cases/{case_id}/creditor-meetings", json=meeting)
            assert met.status_code == 201, met.text
            consent = analyst.get(f"/cases/{case_id}/plan").json()["consent"]
            assert consent["meeting_id"] == met.json()["id"] and consent["carried"]

        bad = "case_id,creditor,paid_at,amount\n" + f"{case_id},Nobody,2026-13-01,-5\n"
        refused = analyst.post(
            "/repayments/upload", files={"file": ("lender.csv", bad.encode(), "text/csv")}
        )
        assert refused.status_code == 422
        fields = {tuple(d["loc"]) for d in refused.json()["detail"]}
        assert {("lender.csv", 2, "creditor"), ("lender.csv", 2, "paid_at"),
                ("lender.csv", 2, "amount")} <= fields  # fmt: skip
        assert analyst.get(f"/cases/{case_id}/plan").json()["repayments"] == []

        # Each creditor paid a token amount on the first due date: every installment since
        # stays unpaid, so the plan is 150 days behind.
        lines = [f"{case_id},{c},{first_due.isoformat()},100" for c in creditors]
        good = "case_id,creditor,paid_at,amount\n" + "\n".join(lines) + "\n"
        uploaded = analyst.post(
            "/repayments/upload", files={"file": ("lender.csv", good.encode(), "text/csv")}
        )
        assert uploaded.status_code == 201, uploaded.text
        assert uploaded.json() == {"recorded": len(creditors), "cases": [case_id]}
        standing = analyst.get(f"/cases/{case_id}/plan").json()
        assert len(standing["repayments"]) == len(creditors)
        owed = [c for c in standing["creditors"] if c["due_to_date"] > 100]
        assert owed  # (a guarantee fee may still be waived)
        assert all(c["days_past_due"] == 150 and c["alert"] == "re_default" for c in owed)
        assert any("re_default" in a for a in standing["alerts"])
        kinds = [e["kind"] for e in analyst.get(f"/cases/{case_id}/timeline").json()]
        assert "plan" in kinds and kinds.count("repayment") == len(creditors)

        # A statement filed since the plan began, with a loss: the DSCR covenant is broken.
        business = analyst.get(f"/cases/{case_id}").json()["business_id"]
        body = business_payload(portfolio, business)
        latest = dict(max(body["financial_statements"], key=lambda s: s["period_end"]))
        closed = today - dt.timedelta(days=10)
        latest.update(fiscal_year=closed.year, period_end=closed.isoformat(),
                      operating_expenses=latest["revenue"])  # fmt: skip
        body["financial_statements"].append(latest)
        replaced = analyst.put(f"/businesses/{business}", json=body)
        assert replaced.status_code == 200, replaced.text
        covenants = analyst.get(f"/cases/{case_id}/plan").json()
        broken = [b for b in covenants["covenants"] if b["alert"] == "covenant_dscr"]
        assert [b["fiscal_year"] for b in broken] == [closed.year] and broken[0]["dscr"] < 1.1
        assert any(a.startswith("covenant_dscr: DSCR ") for a in covenants["alerts"])
        analyst.post(f"/cases/{case_id}/assign", json={"analyst": "analyst"})

    with httpx.Client(base_url=service.url, headers={"Origin": service.url}) as browser:
        signed = browser.post("/ui/login", data={"token": service.tokens["analyst"]})
        assert signed.status_code in (200, 303), signed.text
        worklist = browser.get("/ui/cases?assigned=me").text
        assert 'data-testid="plan-reminder"' in worklist and case_id in worklist
        page = browser.get(f"/ui/cases/{case_id}?lang=th").text
        assert 'data-testid="plan-alert"' in page and "ผิดนัดซ้ำ" in page
        assert 'data-testid="covenant-alert"' in page and "ผิดเงื่อนไขความสามารถชำระหนี้" in page

    out = tmp_path / "exported"
    result = subprocess.run(
        [sys.executable, "-m", "rescue", "export-training-data", "--out", str(out)],
        env={**os.environ, "DATABASE_URL": service.database_url},
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    outcomes = load_portfolio(out).outcomes
    row = outcomes[outcomes["restructuring_id"] == f"P{plan['id']}"]
    assert len(row) == 1 and not bool(row["performing_12m"].iloc[0])
    assert pd.Timestamp(row["restructured_at"].iloc[0]).date() == first_due
