"""Scoring businesses inside the service, through the same feature code as training.

The model feature `has_stalled_application` uses the feature registry's fixed SLA, as training
did; the per-lender SLAs of the settings drive only the bank-liaison views.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from fastapi import HTTPException, status

from features import PortfolioError, Problem
from features.portfolio import typed_frames_to_portfolio
from models.pyfunc import features_for
from models.specs import DISTRESS
from service.runtime import Snapshot

FEATURE_TABLES = ("businesses", "financial_statements", "debts", "loan_applications")


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


def feature_values(values: pd.Series) -> dict:
    """A feature row as JSON-ready values: NaN as null, categories as text."""
    return {
        k: (None if pd.isna(v) else (v if isinstance(v, str) else float(v)))
        for k, v in values.items()
    }


def score_tables(snapshot: Snapshot, tables: dict[str, pd.DataFrame], as_of: dt.date) -> list[dict]:
    """Distress score, band, reasons and contributions for each business in `tables`."""
    loaded = snapshot.get(DISTRESS)
    if loaded is None:
        raise model_unavailable(snapshot, DISTRESS)
    try:
        portfolio = typed_frames_to_portfolio(tables)
    except PortfolioError as exc:
        raise problems_to_422(exc.problems) from None
    frame = features_for(loaded.scorer, portfolio, pd.Timestamp(as_of))
    scored = loaded.scorer.score(frame)
    features = frame[loaded.scorer.features]
    results = []
    for business_id, row in scored.iterrows():
        values = features.loc[business_id]
        results.append(
            {
                "business_id": business_id,
                "as_of": as_of,
                "distress_probability": float(row["probability"]),
                "risk_band": row["risk_band"],
                "model_version": loaded.version,
                "base_value": float(row["base_value"]),
                "raw_score": float(row["raw_score"]),
                "reasons": row["reasons"],
                "contributions": {k: float(v) for k, v in row["contributions"].items()},
                "features": feature_values(values),
            }
        )
    return results
