"""A date the programme rules do not cover is the caller's mistake: 422 naming `as_of` and the
first date they cover, on every route that advises, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest

from features import load_portfolio
from models.plans.programmes import Rules, RulesNotInForceError, earliest_covered
from service.kit.payloads import business_payload


def test_the_rules_name_the_first_date_they_cover():
    first = earliest_covered()
    Rules.on_date(first)
    with pytest.raises(RulesNotInForceError) as early:
        Rules.on_date(first - dt.timedelta(days=1))
    assert early.value.earliest == first


@pytest.mark.slow
def test_advice_before_the_rules_is_422_naming_the_field(service, small_portfolio_dir):
    portfolio = load_portfolio(small_portfolio_dir)
    business = str(portfolio.financial_statements["business_id"].iloc[0])
    body = {**business_payload(portfolio, business), "channel": "direct",
            "problem_types": ["debt_distress"]}  # fmt: skip
    first = earliest_covered().isoformat()
    with service.client("analyst") as analyst:
        case_id = analyst.post("/cases", json=body).json()["case_id"]
        answers = [
            analyst.get(f"/cases/{case_id}/recommendations", params={"as_of": "2000-01-01"}),
            analyst.post(f"/cases/{case_id}/assessments", json={"as_of": "2000-01-01"}),
        ]
        fine = analyst.get(f"/cases/{case_id}/recommendations", params={"as_of": first})
    for answer in answers:
        assert answer.status_code == 422, answer.text
        [detail] = answer.json()["detail"]
        assert detail["loc"] == ["as_of"] and first in detail["msg"]
    assert fine.status_code == 200, fine.text
