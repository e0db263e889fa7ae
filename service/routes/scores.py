"""Scoring without storing: one business as JSON, or a whole portfolio upload as CSV."""

from __future__ import annotations

import datetime as dt
import io
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile, status
from fastapi.responses import StreamingResponse

from features.portfolio import validate_frames
from features.schema import TABLES
from features.validation import Source
from models.explain import reason_sentences
from models.pyfunc import features_for
from models.specs import DISTRESS
from service import schemas
from service.auth import Role, User, require
from service.scoring import checked_payload_columns, model_unavailable, problems_to_422

router = APIRouter(tags=["scoring"])
MAX_UPLOAD_BYTES = 200 * 1024 * 1024


@router.post("/score", response_model=schemas.Score)
async def score(
    payload: schemas.ScoreRequest,
    request: Request,
    user: Annotated[User, Depends(require(Role.analyst, Role.data_scientist))],
) -> dict:
    """Score one business from its payload; nothing is stored."""
    # On the event loop, not in a thread: pure computation that a thread could not run in
    # parallel (the GIL); requests waiting together are scored in one pass.
    tables = checked_payload_columns(payload)
    snapshot = request.app.state.models.snapshot
    return await request.app.state.batcher.score(snapshot, tables, payload.as_of or dt.date.today())


@router.post("/score/batch")
def score_batch(
    request: Request,
    user: Annotated[User, Depends(require(Role.analyst, Role.data_scientist))],
    files: Annotated[list[UploadFile], File(description="portfolio files: businesses.csv, ...")],
    as_of: dt.date | None = None,
) -> StreamingResponse:
    """Score an uploaded portfolio (CSV or Parquet files named after the tables); CSV back."""
    loaded = request.app.state.models.snapshot.get(DISTRESS)
    if loaded is None:
        raise model_unavailable(request.app.state.models.snapshot, DISTRESS)
    raw, sources = {}, {}
    for upload in files:
        name, _, suffix = (upload.filename or "").rpartition(".")
        if name not in TABLES or suffix not in ("csv", "parquet"):
            raise HTTPException(
                status.HTTP_422_UNPROCESSABLE_ENTITY,
                f"{upload.filename}: name each file after its table "
                f"({', '.join(TABLES)}), ending .csv or .parquet",
            )
        data = upload.file.read(MAX_UPLOAD_BYTES + 1)
        if len(data) > MAX_UPLOAD_BYTES:
            raise HTTPException(
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, f"{upload.filename} too large"
            )
        buffer = io.BytesIO(data)
        raw[name] = (
            pd.read_csv(buffer, dtype=str, keep_default_na=False, na_values=[""])
            if suffix == "csv"
            else pd.read_parquet(buffer)
        )
        sources[name] = Source(upload.filename, 2 if suffix == "csv" else 1)
    portfolio, problems = validate_frames(raw, sources)
    if problems:
        raise problems_to_422(problems, prefix=("files",))
    frame = features_for(loaded.scorer, portfolio, pd.Timestamp(as_of or dt.date.today()))
    scored = loaded.scorer.score(frame)
    out = pd.DataFrame(
        {
            "business_id": frame.index,
            "distress_probability": scored["probability"].round(6).to_numpy(),
            "risk_band": scored["risk_band"].to_numpy(),
            "top_reasons": [reason_sentences(r) for r in scored["reasons"]],
            "model_version": loaded.version,
        }
    )
    return StreamingResponse(
        iter([out.to_csv(index=False)]),
        media_type="text/csv",
        headers={"Content-Disposition": "attachment; filename=scores.csv"},
    )
