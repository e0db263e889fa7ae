"""One date per case: the queue's triage, the recommendations, the case page and a decision read
the case's latest assessment as of its date; a reassessment moves that date, when the business's
rows change, when `rescue reassess` runs over aged assessments, and never for a closed case."""

from __future__ import annotations

import datetime as dt
import html
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select, update

from features import load_portfolio
from service.cases.reassess import due
from service.kit.payloads import business_payload
from service.store.tables import assessments
from tests.service.plannable import renamed

BACK_THEN = dt.date(2025, 12, 31)


@pytest.fixture(scope="module")
def portfolio(small_portfolio_dir):
    return load_portfolio(small_portfolio_dir)


def _register(client, portfolio, business: str, tag: str) -> tuple[str, dict]:
    body = renamed(business_payload(portfolio, business), tag)
    created = client.post("/cases", json=body)
    assert created.status_code == 201, created.text
    return created.json()["case_id"], body


def _backdate(database_url: str, case_ids: list[str], when: dt.date) -> None:
    """As if the cases had been assessed (and last loaded) on an earlier date."""
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            update(assessments).where(assessments.c.case_id.in_(case_ids)).values(as_of=when)
        )
    engine.dispose()


def _latest(client, case_id: str) -> dict:
    return client.get(f"/cases/{case_id}/assessments").json()[-1]


def test_every_reading_of_a_case_is_its_latest_assessment_as_of_its_date(service, portfolio):
    filers = sorted(set(portfolio.financial_statements["business_id"]))
    with service.client("analyst") as analyst:
        ids = [_register(analyst, portfolio, b, "-od")[0] for b in filers[:3]]
        _backdate(service.database_url, ids, BACK_THEN)
        for case_id in ids:
            advice = analyst.get(f"/cases/{case_id}/recommendations").json()
            assert advice["as_of"] == BACK_THEN.isoformat() == _latest(analyst, case_id)["as_of"]
            asked = analyst.get(f"/cases/{case_id}/recommendations", params={"as_of": "2026-01-02"})
            assert asked.json()["as_of"] == "2026-01-02"  # an explicit date is still honoured
        # The whole book the service holds: no case advises on a date other than its assessment's.
        listed = analyst.get("/cases", params={"open_only": "false", "limit": 200}).json()
        assert listed["total"] >= 3
        for item in listed["items"][:40]:
            assessed = analyst.get(f"/cases/{item['case_id']}/assessments").json()
            if assessed:
                advice = analyst.get(f"/cases/{item['case_id']}/recommendations").json()
                assert advice["as_of"] == assessed[-1]["as_of"], item["case_id"]


def test_the_case_page_says_which_assessment_it_shows(service, portfolio):
    filers = sorted(set(portfolio.financial_statements["business_id"]))
    with service.client("analyst") as analyst:
        case_id, _ = _register(analyst, portfolio, filers[5], "-pg")
    _backdate(service.database_url, [case_id], BACK_THEN)
    with httpx.Client(base_url=service.url, headers={"Origin": service.url}) as browser:
        signed = browser.post("/ui/login", data={"token": service.tokens["analyst"]})
        assert signed.status_code in (200, 303), signed.text
        for lang, words, day in (
            ("en", "Advice and triage of the case's latest assessment, as of", "31 Dec 2025"),
            ("th", "คำแนะนำและการคัดกรองจากการประเมินล่าสุดของเรื่อง ณ วันที่", "31 ธ.ค. 2568"),
        ):
            page = browser.get(f"/ui/cases/{case_id}", params={"lang": lang})
            assert page.status_code == 200
            text = html.unescape(page.text)
            assert words in text and day in text


def test_new_rows_for_a_business_reassess_its_open_cases_today(service, portfolio):
    filers = sorted(set(portfolio.financial_statements["business_id"]))
    with service.client("analyst") as analyst:
        case_id, body = _register(analyst, portfolio, filers[7], "-rw")
        _backdate(service.database_url, [case_id], BACK_THEN)
        before = len(analyst.get(f"/cases/{case_id}/assessments").json())
        payload = {k: body[k] for k in ("business", "financial_statements", "debts",
                                        "loan_applications")}  # fmt: skip
        replaced = analyst.put(f"/businesses/{body['business']['business_id']}", json=payload)
        assert replaced.status_code == 200, replaced.text
        assert replaced.json()["reassessed"] == 1
        after = analyst.get(f"/cases/{case_id}/assessments").json()
        assert len(after) == before + 1
        assert after[-1]["as_of"] == dt.date.today().isoformat()
        advice = analyst.get(f"/cases/{case_id}/recommendations").json()
        assert advice["as_of"] == dt.date.today().isoformat()


def test_rescue_reassess_moves_aged_open_cases_to_today_and_leaves_closed_ones(
    service, portfolio, tracking_uri, tmp_path: Path
):
    filers = sorted(set(portfolio.financial_statements["business_id"]))
    with service.client("analyst") as analyst:
        aged, closed, fresh = (_register(analyst, portfolio, b, "-rs")[0] for b in filers[9:12])
        shut = analyst.post(f"/cases/{closed}/status", json={"to": "closed"})
        assert shut.status_code == 200, shut.text
    _backdate(service.database_url, [aged, closed], BACK_THEN)
    engine = create_engine(service.database_url)
    with engine.begin() as connection:
        waiting = {r.case_id for r in due(connection, dt.date.today() - dt.timedelta(days=1))}
    assert aged in waiting and closed not in waiting and fresh not in waiting
    env = {**os.environ, "DATABASE_URL": service.database_url, "MLFLOW_TRACKING_URI": tracking_uri}
    rescue = Path(sys.executable).with_name("rescue")
    run = subprocess.run([str(rescue), "reassess"], env=env, capture_output=True, text=True,
                         timeout=600, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert f"as of {dt.date.today()}" in run.stdout
    with engine.connect() as connection:
        latest = {
            case_id: connection.execute(
                select(assessments.c.as_of).where(assessments.c.case_id == case_id)
                .order_by(assessments.c.id.desc()).limit(1)
            ).scalar()
            for case_id in (aged, closed, fresh)
        }  # fmt: skip
        left = {r.case_id for r in due(connection, dt.date.today() - dt.timedelta(days=1))}
    engine.dispose()
    assert latest[aged] == dt.date.today() and latest[fresh] == dt.date.today()
    assert latest[closed] == BACK_THEN
    assert left == set()
