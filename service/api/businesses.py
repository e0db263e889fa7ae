"""A business's rows on record, replaced explicitly and within the caller's scope; statements
imported from the files Thai users have."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.concurrency import run_in_threadpool

from service.api.deps import AppSettings, Assessing, CaseRegistrar, Conn, Models, RecordId
from service.cases.reassess import reassess_business
from service.cases.records import replace_business
from service.intake.import_runner import preview_apart
from service.kit import schemas
from service.kit.errors import InvalidInputError
from service.scoring.scoring import checked_payload_portfolio

router = APIRouter(tags=["cases"])


@router.put("/businesses/{business_id}", response_model=dict[str, int])
def replace(
    business_id: RecordId,
    payload: schemas.BusinessPayload,
    request: Request,
    connection: Conn,
    snapshot: Models,
    user: CaseRegistrar,
    assess: Assessing,
) -> dict[str, int]:
    """Replace the business's details, statements, facilities and applications with these,
    and reassess its open cases as of today on the new rows; the audit log records who did
    it."""
    if payload.business.business_id != business_id:
        raise InvalidInputError.field(
            ["body", "business", "business_id"], f"must be {business_id}, the business in the path"
        )
    request.state.business_id = business_id
    counts = replace_business(connection, user, checked_payload_portfolio(payload))
    counts["reassessed"] = reassess_business(connection, snapshot, business_id, user.name, assess)
    return counts


@router.post("/imports", tags=["cases"])
async def import_statements(
    user: CaseRegistrar,
    settings: AppSettings,
    files: Annotated[list[UploadFile], File(description="CSV or XLSX: tables or statements")],
) -> dict[str, Any]:
    """Read statements and tables as Thai users have them (B.E. years, Thai line labels,
    thousands separators) and answer the import report with each business's case payload;
    nothing is saved. The files are read in a process of their own, ended at
    RESCUE_IMPORT_SECONDS (413)."""
    contents = [((f.filename or "")[:200], await f.read()) for f in files]
    preview = await run_in_threadpool(preview_apart, contents, settings.import_seconds)
    return preview.to_dict()
