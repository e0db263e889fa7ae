"""Scoring without storing: one business as JSON, or a whole portfolio upload as CSV."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from service import schemas
from service.deps import Models, ScoringUser
from service.errors import PayloadTooLargeError
from service.scoring import MAX_UPLOAD_BYTES, checked_payload_columns, score_upload

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


@router.post("/score/batch")
async def score_batch(
    snapshot: Models,
    user: ScoringUser,
    files: Annotated[list[UploadFile], File(description="portfolio files: businesses.csv, ...")],
    as_of: dt.date | None = None,
) -> Response:
    """Score an uploaded portfolio (CSV or Parquet files named after the tables); CSV back."""
    contents = {}
    for upload in files:
        data = await upload.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise PayloadTooLargeError(f"{upload.filename} too large")
        contents[upload.filename or ""] = data
    text = await run_in_threadpool(score_upload, snapshot, contents, as_of or dt.date.today())
    return Response(
        text,
        media_type="text/csv",
        headers={"Content-Disposition": "attachment; filename=scores.csv"},
    )
