"""Requests scored together in one pass get exactly what each would get alone."""

from __future__ import annotations

import asyncio
import datetime as dt
from datetime import UTC, datetime

import pytest

from features import load_portfolio
from models.registry import load_scorer
from models.specs import DISTRESS
from service.kit import schemas
from service.kit.payloads import business_payload
from service.kit.runtime import Loaded, Snapshot
from service.scoring.batching import ScoreBatcher
from service.scoring.scoring import checked_payload_columns, score_payload


@pytest.fixture(scope="module")
def snapshot(tracking_uri, trained) -> Snapshot:
    from models.registry import configure

    configure(tracking_uri)
    scorer = load_scorer(f"models:/{DISTRESS}/1")
    return Snapshot({DISTRESS: Loaded(scorer, "1", datetime.now(UTC))})


@pytest.fixture(scope="module")
def requests(small_portfolio_dir) -> list[tuple[schemas.ScoreRequest, dt.date]]:
    """Businesses with and without applications and facilities, one of them twice at two
    dates (the same business_id and application_ids in two requests of one pass)."""
    portfolio = load_portfolio(small_portfolio_dir)
    with_apps = portfolio.loan_applications["business_id"].iloc[0]
    without_debts = sorted(
        set(portfolio.businesses["business_id"]) - set(portfolio.debts["business_id"])
    )[0]
    other = portfolio.cases["business_id"].iloc[0]
    chosen = [
        (with_apps, dt.date(2026, 6, 30)),
        (without_debts, dt.date(2025, 12, 31)),
        (with_apps, dt.date(2024, 6, 30)),
        (other, dt.date(2026, 6, 30)),
    ]
    return [
        (schemas.ScoreRequest.model_validate(business_payload(portfolio, b)), when)
        for b, when in chosen
    ]


def test_a_pass_of_several_requests_equals_each_alone(snapshot, requests):
    alone = [score_payload(snapshot, payload, when) for payload, when in requests]
    batcher = ScoreBatcher()

    async def together() -> list[dict]:
        calls = [
            batcher.score(snapshot, checked_payload_columns(payload), when)
            for payload, when in requests
        ]
        return await asyncio.gather(*calls)

    batched = asyncio.run(together())
    assert batcher.passes == 1 and batcher.scored == len(requests)
    assert batched == alone
    # The same business at two dates really was scored twice, differently.
    assert batched[0]["as_of"] != batched[2]["as_of"]
    assert batched[0]["features"] != batched[2]["features"]


def test_a_failing_pass_fails_each_of_its_requests(requests):
    batcher = ScoreBatcher()
    no_model = Snapshot({}, {DISTRESS: "not promoted"})

    async def together() -> list:
        calls = [
            batcher.score(no_model, checked_payload_columns(payload), when)
            for payload, when in requests[:2]
        ]
        return await asyncio.gather(*calls, return_exceptions=True)

    outcomes = asyncio.run(together())
    assert [getattr(o, "status_code", None) for o in outcomes] == [503, 503]
