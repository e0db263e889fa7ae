"""Scoring inside the service: the loaded champion applied through `models.predict`.

The model feature `has_stalled_application` uses the feature registry's fixed SLA, as training
did; the per-lender SLAs of the settings drive only the bank-liaison views.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from features import Portfolio, PortfolioError
from features.columns import Columns
from features.pipeline import FEATURE_TABLES, portfolio_columns
from features.portfolio import check_columns, typed_frames_to_portfolio, validate_frames
from features.schema import TABLES
from features.validation import Source
from models import predict
from models.specs import DISTRESS
from service.errors import InvalidInputError, InvalidPortfolioError, ModelUnavailableError
from service.payloads import payload_columns
from service.runtime import Loaded, Snapshot
from service.schemas import BusinessPayload

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


def champion(snapshot: Snapshot, name: str = DISTRESS) -> Loaded:
    """The loaded model `name`, or 503 saying why there is none."""
    loaded = snapshot.get(name)
    if loaded is None:
        raise ModelUnavailableError(name, snapshot.errors.get(name, "not loaded"))
    return loaded


def score_columns(
    snapshot: Snapshot,
    tables: Mapping[str, Columns],
    as_of: dt.date | Sequence[dt.date],
    supplied: frozenset[str] = FEATURE_TABLES,
    business_ids: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Scored rows of the businesses in `tables` (checked already) with the distress champion."""
    loaded = champion(snapshot)
    return predict.score_columns(
        loaded.scorer, loaded.version, tables, as_of, supplied, business_ids
    )


def checked_payload_columns(payload: BusinessPayload) -> dict[str, Columns]:
    """A payload's tables as columns; 422 naming the field for a broken key or rule."""
    tables = payload_columns(payload)
    problems = check_columns(tables)
    if problems:
        raise InvalidPortfolioError(problems)
    return tables


def score_payload(snapshot: Snapshot, payload: BusinessPayload, as_of: dt.date) -> dict[str, Any]:
    """Score one business payload; 422 naming the field for a broken key or rule."""
    return score_columns(snapshot, checked_payload_columns(payload), as_of)[0]


def checked_portfolio(frames: Mapping[str, pd.DataFrame]) -> Portfolio:
    """Frames of stored or posted rows, cast and checked; 422 naming the field otherwise."""
    try:
        return typed_frames_to_portfolio(frames)
    except PortfolioError as exc:
        raise InvalidPortfolioError(exc.problems) from None


def score_portfolio(
    snapshot: Snapshot, portfolio: Portfolio, as_of: dt.date
) -> list[dict[str, Any]]:
    return score_columns(snapshot, portfolio_columns(portfolio), as_of, portfolio.supplied)


def read_upload(filename: str, data: bytes) -> tuple[str, pd.DataFrame, Source]:
    """One uploaded portfolio file: its table, its cells (text for CSV) and where rows start."""
    name, _, suffix = filename.rpartition(".")
    if name not in TABLES or suffix not in ("csv", "parquet"):
        raise InvalidInputError(
            f"{filename}: name each file after its table "
            f"({', '.join(TABLES)}), ending .csv or .parquet"
        )
    buffer = io.BytesIO(data)
    frame = (
        pd.read_csv(buffer, dtype=str, keep_default_na=False, na_values=[""])
        if suffix == "csv"
        else pd.read_parquet(buffer)
    )
    return name, frame, Source(filename, 2 if suffix == "csv" else 1)


def score_upload(snapshot: Snapshot, files: Mapping[str, bytes], as_of: dt.date) -> str:
    """Scores of an uploaded portfolio as CSV: the batch output plus the model version."""
    loaded = champion(snapshot)
    raw, sources = {}, {}
    for filename, data in files.items():
        name, raw[name], sources[name] = read_upload(filename, data)
    portfolio, problems = validate_frames(raw, sources)
    if problems:
        raise InvalidPortfolioError(problems, prefix=("files",))
    out = predict.scores_table(loaded.scorer, portfolio, as_of)
    out["model_version"] = loaded.version
    return str(out.to_csv(index=False))
