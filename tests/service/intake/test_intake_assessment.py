"""Intake scores a case before it writes anything, and the score is that of the business's rows
as they then stand on record; the queue pages by cursor on the service's own database."""

from __future__ import annotations

import pytest

from features import load_portfolio
from service.kit.payloads import business_payload
from tests.service.plannable import renamed


@pytest.fixture(scope="module")
def portfolio(small_portfolio_dir):
    return load_portfolio(small_portfolio_dir)


# What a case takes from its assessment: written with the case at intake, updated after.
SCORED = ("distress_probability", "risk_band", "triage", "triage_reasons", "priority")


def _intake_and_again(client, payload) -> tuple[dict, dict]:
    created = client.post("/cases", json=payload)
    assert created.status_code == 201, created.text
    case_id = created.json()["case_id"]
    (at_intake,) = client.get(f"/cases/{case_id}/assessments").json()
    assert created.json()["distress_probability"] == at_intake["distress_probability"]
    again = client.post(f"/cases/{case_id}/assessments")
    assert again.status_code == 201, again.text
    reassessed = client.get(f"/cases/{case_id}").json()
    assert created.json()["risk_band"] is not None
    assert {k: created.json()[k] for k in SCORED} == {k: reassessed[k] for k in SCORED}
    return at_intake, again.json()


def _same(first: dict, second: dict) -> None:
    for field in ("as_of", "distress_probability", "risk_band", "reasons", "features"):
        assert first[field] == second[field], field


def _with_statements(portfolio, years: int) -> list[str]:
    counts = portfolio.financial_statements.groupby("business_id").size()
    return sorted(counts[counts >= years].index)


def test_a_new_business_is_scored_as_its_stored_rows_are(service, portfolio):
    business = _with_statements(portfolio, 2)[0]
    with service.client("analyst") as analyst:
        at_intake, again = _intake_and_again(
            analyst, renamed(business_payload(portfolio, business), "-IA")
        )
    _same(at_intake, again)


def test_a_known_business_is_scored_with_its_rows_on_record_and_the_new_ones(service, portfolio):
    business = _with_statements(portfolio, 3)[1]
    full = renamed(business_payload(portfolio, business), "-IB")
    statements = sorted(full["financial_statements"], key=lambda s: s["fiscal_year"])
    earlier = {**full, "financial_statements": statements[:-1]}
    latest = {**full, "financial_statements": statements[-1:]}
    with service.client("analyst") as analyst:
        assert analyst.post("/cases", json=earlier).status_code == 201
        at_intake, again = _intake_and_again(analyst, latest)
        whole, _ = _intake_and_again(analyst, renamed(full, "-whole"))
    _same(at_intake, again)
    # The statements on record, absent from the second payload, count in its score: it is the
    # score of the whole history, not of the one year the payload carried.
    assert at_intake["features"] == whole["features"]


def test_cursor_pages_cover_the_queue_once_on_the_service_database(service):
    with service.client("analyst") as analyst:
        for sort in ("-priority", "-distress_probability", "received_at", "business_name"):
            whole = analyst.get("/cases", params={"sort": sort, "limit": 500}).json()
            expected = [c["case_id"] for c in whole["items"]]
            seen, after = [], None
            while True:
                params = {"sort": sort, "limit": 3, **({"after": after} if after else {})}
                page = analyst.get("/cases", params=params).json()
                seen += [c["case_id"] for c in page["items"]]
                after = page["next_cursor"]
                if after is None:
                    break
            assert seen == expected, sort
