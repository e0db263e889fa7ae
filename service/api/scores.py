"""Scoring without storing: one business as JSON, or a whole portfolio upload as CSV."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from features.schema import TABLES
from service.api.deps import AppSettings, Models, ScoringUser
from service.kit import schemas
from service.kit.errors import InvalidInputError
from service.kit.spreadsheet import CSV_CONTENT, CSVResponse
from service.scoring.scoring import checked_payload_columns, score_upload

router = APIRouter(tags=["scoring"])


@router.post("/score", response_model=schemas.Score)
async def score(
    payload: schemas.ScoreRequest, request: Request, snapshot: Models, user: ScoringUser
) -> dict[str, Any]:
    """Score one business from its payload; nothing is stored."""
    # On the event loop, not in a thread: pure computation that a thread could not run in
    # parallel (the GIL); requests waiting together are scored in one pass.
    tables = checked_payload_columns(payload)
    result: dict[str, Any] = await request.app.state.batcher.score(
        snapshot, tables, payload.as_of or dt.date.today()
    )
    return result


@router.post("/score/batch", responses=CSV_CONTENT)
async def score_batch(
    snapshot: Models,
    settings: AppSettings,
    user: ScoringUser,
    files: Annotated[list[UploadFile], File(description="portfolio files: businesses.csv, ...")],
    as_of: schemas.Day | None = None,
) -> Response:
    """Score an uploaded portfolio (CSV or Parquet files named after the tables, one each); CSV
    back. The request body is limited in bytes and the files in number and rows."""
    if len(files) > len(TABLES):
        raise InvalidInputError(f"{len(files)} files: at most one per table ({len(TABLES)})")
    contents = {}
    for upload in files:
        # The body limit bounds the files together; reading them is bounded by it too.
        contents[(upload.filename or "")[:200]] = await upload.read()
    text = await run_in_threadpool(
        score_upload, snapshot, contents, as_of or dt.date.today(), settings.max_upload_rows
    )
    return CSVResponse(text, headers={"Content-Disposition": "attachment; filename=scores.csv"})
