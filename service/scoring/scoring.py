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
import pyarrow.parquet as pq

from features import Portfolio, PortfolioError
from features.columns import Columns
from features.pipeline import FEATURE_TABLES, portfolio_columns
from features.portfolio import (
    check_columns,
    columns_portfolio,
    typed_frames_to_portfolio,
    validate_frames,
)
from features.problems import Source
from features.schema import TABLES
from models import predict
from models.specs import DISTRESS
from service.kit.errors import (
    InvalidInputError,
    InvalidPortfolioError,
    ModelUnavailableError,
    PayloadTooLargeError,
)
from service.kit.payloads import SUPPLIED, payload_columns
from service.kit.runtime import Loaded, Snapshot
from service.kit.schemas import BusinessPayload
from service.kit.spreadsheet import to_csv


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


def checked_payload_portfolio(payload: BusinessPayload) -> Portfolio:
    """A payload as the portfolio intake saves; 422 naming the field for a broken key or rule."""
    return columns_portfolio(checked_payload_columns(payload), SUPPLIED)


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
    """One uploaded portfolio file: its table, its cells (text for CSV) and where rows start;
    422 naming the file when it cannot be read."""
    name, _, suffix = filename.rpartition(".")
    if name not in TABLES or suffix not in ("csv", "parquet"):
        raise InvalidInputError(
            f"{filename[:200]}: name each file after its table "
            f"({', '.join(TABLES)}), ending .csv or .parquet"
        )
    if not data.strip():
        raise InvalidInputError(f"{filename}: the file is empty")
    buffer = io.BytesIO(data)
    try:
        frame = (
            pd.read_csv(
                buffer, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig"
            )
            if suffix == "csv"
            else pd.read_parquet(buffer)
        )
    except UnicodeDecodeError:
        raise InvalidInputError(f"{filename}: not UTF-8 text") from None
    except Exception as exc:  # pandas and pyarrow raise many kinds for a malformed file
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise InvalidInputError(f"{filename}: cannot be read as {suffix}: {reason}") from None
    return name, frame, Source(filename, 2 if suffix == "csv" else 1)


# A Parquet file may expand far beyond its bytes; what it may expand to, as its footer
# declares, is bounded before a row of it is read.
MAX_PARQUET_EXPANSION = 16


def declared_size(filename: str, data: bytes) -> tuple[int, int]:
    """What a file holds before it is parsed: rows (a CSV's line breaks, a Parquet footer's row
    count) and the bytes it expands to; 422 naming the file when its footer cannot be read."""
    if not filename.endswith(".parquet"):
        return data.count(b"\n"), len(data)
    try:
        meta = pq.ParquetFile(io.BytesIO(data)).metadata
    except Exception as exc:  # pyarrow raises many kinds for a malformed footer
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise InvalidInputError(f"{filename}: cannot be read as parquet: {reason}") from None
    expanded = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    return meta.num_rows, expanded


def score_upload(
    snapshot: Snapshot, files: Mapping[str, bytes], as_of: dt.date, max_rows: int
) -> str:
    """Scores of an uploaded portfolio as CSV: the batch output plus the model version. The
    rows and the expanded size are checked from what each file declares before any is parsed."""
    rows = 0
    for filename, data in files.items():
        declared, expanded = declared_size(filename, data)
        rows += declared
        if rows > max_rows + len(files):  # a CSV's header line is not a row
            raise PayloadTooLargeError(
                f"{filename}: about {rows:,} rows uploaded so far; at most {max_rows:,} per request"
            )
        if expanded > MAX_PARQUET_EXPANSION * max(len(data), 1 << 20):
            raise PayloadTooLargeError(
                f"{filename}: expands to {expanded:,} bytes from {len(data):,}; send it as CSV "
                "or with less compression"
            )
    raw: dict[str, pd.DataFrame] = {}
    sources: dict[str, Source] = {}
    for filename, data in files.items():
        name, frame, source = read_upload(filename, data)
        if name in raw:
            raise InvalidInputError(f"{filename}: a second file for table {name}")
        raw[name], sources[name] = frame, source
    rows = sum(len(frame) for frame in raw.values())
    if rows > max_rows:
        raise PayloadTooLargeError(f"{rows:,} rows uploaded; at most {max_rows:,} per request")
    if "businesses" in raw and raw["businesses"].empty:
        raise InvalidInputError("businesses: the file has no rows")
    portfolio, problems = validate_frames(raw, sources)
    if problems:
        raise InvalidPortfolioError(problems, prefix=("files",))
    loaded = champion(snapshot)
    out = predict.scores_table(loaded.scorer, portfolio, as_of)
    out["model_version"] = loaded.version
    return to_csv(out)
