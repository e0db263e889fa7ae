"""Scoring businesses inside the service, through the same feature code as training.

The model feature `has_stalled_application` uses the feature registry's fixed SLA, as training
did; the per-lender SLAs of the settings drive only the bank-liaison views.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from fastapi import HTTPException, status

from features import PortfolioError, Problem
from features.columns import Columns, records_columns
from features.pipeline import feature_columns, portfolio_columns
from features.portfolio import check_columns, typed_frames_to_portfolio
from features.schema import TABLES
from models.scorer import feature_matrix
from models.specs import DISTRESS
from service import schemas
from service.runtime import Snapshot

FEATURE_TABLES = frozenset(("businesses", "financial_statements", "debts", "loan_applications"))


def model_unavailable(snapshot: Snapshot, name: str) -> HTTPException:
    reason = snapshot.errors.get(name, "not loaded")
    return HTTPException(
        status.HTTP_503_SERVICE_UNAVAILABLE,
        f"no {name} model is loaded ({reason}); "
        "train and promote a champion, then POST /models/reload",
    )


def problems_to_422(problems: list[Problem], prefix: tuple = ("body",)) -> HTTPException:
    """Portfolio problems as FastAPI-style validation errors with a field path."""
    details = []
    for p in problems:
        table = p.file.removesuffix(".csv")
        loc: list = [*prefix, table]
        if table != "businesses" and p.row is not None:
            loc.append(p.row - 1)
        if p.column:
            loc.append(p.column)
        details.append({"loc": loc, "msg": p.message, "type": "value_error"})
    return HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, details)


def json_value(value: object) -> object:
    """A feature value as JSON: NaN and None as null, numbers as float, categories as text."""
    if value is None or isinstance(value, str):
        return value
    number = float(value)  # type: ignore[arg-type]
    return None if np.isnan(number) else number


def payload_columns(payload: schemas.BusinessPayload) -> dict[str, Columns]:
    """A business payload as typed columns of every table, the business id on each row.

    A list left empty means the business has none (no facilities, no applications), as a
    supplied but empty table does in a portfolio: counts are then 0, not unknown.
    """
    bid = payload.business.business_id
    records = {
        "businesses": [payload.business.model_dump()],
        **{
            name: [{"business_id": bid, **row.model_dump()} for row in getattr(payload, name)]
            for name in ("financial_statements", "debts", "loan_applications")
        },
    }
    return {name: records_columns(table, records.get(name, [])) for name, table in TABLES.items()}


def score_columns(
    snapshot: Snapshot,
    tables: dict[str, Columns],
    as_of: dt.date | Sequence[dt.date],
    supplied: frozenset[str] = FEATURE_TABLES,
    business_ids: Sequence[str] | None = None,
) -> list[dict]:
    """Distress score, band, reasons, contributions and feature values of each business in
    `tables` (checked already), at one date or at a date per business. `business_ids` names
    the businesses in the results where the tables key them otherwise."""
    loaded = snapshot.get(DISTRESS)
    if loaded is None:
        raise model_unavailable(snapshot, DISTRESS)
    scorer = loaded.scorer
    keys = tables["businesses"]["business_id"]
    days = [as_of] * len(keys) if isinstance(as_of, dt.date) else list(as_of)
    columns = feature_columns(tables, supplied, np.array(days, dtype="datetime64[ns]"))
    scores = scorer.evaluate(feature_matrix(columns, scorer.features))
    contrib = scores.contributions
    assert contrib is not None and scores.bands is not None
    results = []
    for i, business_id in enumerate(keys if business_ids is None else business_ids):
        values = {name: columns[name][i] for name in scorer.features}
        results.append(
            {
                "business_id": business_id,
                "as_of": days[i],
                "distress_probability": float(scores.probability[i]),
                "risk_band": scores.bands[i],
                "model_version": loaded.version,
                "base_value": float(contrib[i, -1]),
                "raw_score": float(scores.raw[i]),
                "reasons": scorer.reasons(contrib[i, :-1], values),
                "contributions": dict(zip(scorer.features, contrib[i, :-1].tolist(), strict=True)),
                "features": {name: json_value(v) for name, v in values.items()},
            }
        )
    return results


def checked_payload_columns(payload: schemas.BusinessPayload) -> dict[str, Columns]:
    """A payload's tables as columns; 422 naming the field for a broken key or rule."""
    tables = payload_columns(payload)
    problems = check_columns(tables)
    if problems:
        raise problems_to_422(problems)
    return tables


def score_payload(snapshot: Snapshot, payload: schemas.BusinessPayload, as_of: dt.date) -> dict:
    """Score one business payload; 422 naming the field for a broken key or rule."""
    return score_columns(snapshot, checked_payload_columns(payload), as_of)[0]


def score_tables(snapshot: Snapshot, frames: dict, as_of: dt.date) -> list[dict]:
    """Score businesses given as frames of stored rows (cast and checked here)."""
    try:
        portfolio = typed_frames_to_portfolio(frames)
    except PortfolioError as exc:
        raise problems_to_422(exc.problems) from None
    return score_columns(snapshot, portfolio_columns(portfolio), as_of, portfolio.supplied)
