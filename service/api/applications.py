"""Bank liaison: loan applications stalled past their lender's SLA, and lender summaries.

A bank liaison sees only their own lender's applications; asking for another lender is 403.
"""

from __future__ import annotations

from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Query
from fastapi.responses import Response

from service.api.deps import ApplicationFollower, ApplicationReader, AppSettings, Conn, RecordId
from service.casework import application_followups, liaison
from service.casework import schemas as work
from service.casework.documents import DOCUMENTS
from service.kit import schemas
from service.kit.audit import PERSONAL_DATA
from service.kit.spreadsheet import CSV_CONTENT, csv_download

router = APIRouter(tags=["bank liaison"])


@router.get(
    "/applications/stalled",
    openapi_extra=PERSONAL_DATA,
    response_model=list[schemas.StalledApplication],
    responses=CSV_CONTENT,
)
def stalled_applications(
    connection: Conn,
    settings: AppSettings,
    user: ApplicationReader,
    lender: Annotated[str | None, Query(max_length=200)] = None,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
) -> Response | list[schemas.StalledApplication]:
    """Applications pending beyond their lender's SLA, the longest overdue first."""
    items = liaison.stalled_applications(connection, user, lender, settings.sla())
    if format == "json":
        return items
    frame = pd.DataFrame(
        [i.model_dump() for i in items], columns=list(schemas.StalledApplication.model_fields)
    )
    frame["amount"] = frame["amount"].map(lambda v: "" if pd.isna(v) else f"{v:,.0f}")
    frame["missing_documents"] = frame["missing_documents"].map(
        lambda names: "; ".join(DOCUMENTS[n].label_en for n in names if n in DOCUMENTS)
    )
    return csv_download(frame, "stalled_applications.csv")


@router.get(
    "/lenders/{lender}/summary", openapi_extra=PERSONAL_DATA, response_model=schemas.LenderSummary
)
def lender_summary(
    lender: RecordId, connection: Conn, settings: AppSettings, user: ApplicationReader
) -> schemas.LenderSummary:
    """Pending and stalled counts, days pending, approval rate and the stalled list."""
    return liaison.lender_summary(connection, user, lender, settings.sla())


@router.post("/applications/{application_id}/status", response_model=schemas.ApplicationStatusOut)
def change_status(
    application_id: RecordId,
    change: schemas.ApplicationStatusIn,
    connection: Conn,
    user: ApplicationFollower,
) -> schemas.ApplicationStatusOut:
    """An application's next status, recorded with its history; a bank liaison for their own
    lender's applications only."""
    return liaison.change_application_status(connection, user, application_id, change)


@router.post(
    "/applications/{application_id}/followups",
    status_code=201,
    response_model=list[work.FollowUpOut],
)
def follow_up(
    application_id: RecordId,
    body: work.FollowUpIn,
    connection: Conn,
    user: ApplicationFollower,
) -> list[work.FollowUpOut]:
    """Log what moved the application: contacted, documents received, escalated. The case
    timeline shows it."""
    return application_followups.follow_up(connection, user, application_id, body)


@router.get(
    "/applications/{application_id}/followups",
    openapi_extra=PERSONAL_DATA,
    response_model=list[work.FollowUpOut],
)
def follow_ups(
    application_id: RecordId, connection: Conn, user: ApplicationReader
) -> list[work.FollowUpOut]:
    return application_followups.follow_ups(connection, user, application_id)
