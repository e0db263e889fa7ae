"""Cases: intake, the analyst queue, status workflow, assessments, decisions and outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, status

from service.api.deps import (
    Assessing,
    AssessmentReader,
    CaseId,
    CaseReader,
    CaseRegistrar,
    CaseWorker,
    Conn,
    Models,
    QueueCounts,
)
from service.cases.assessments import assess_case, list_assessments, register_and_assess
from service.cases.cases import case_out, change_status, get_case_row
from service.cases.cases import status_history as history
from service.cases.decisions import list_decisions, record_decision, record_outcome
from service.cases.queue import SORT_PATTERN, QueueQuery, queue_filters
from service.cases.queue import list_cases as queue
from service.kit import schemas
from service.kit.audit import PERSONAL_DATA

router = APIRouter(prefix="/cases", tags=["cases"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=schemas.CaseOut)
def register(
    payload: schemas.CaseIn,
    request: Request,
    connection: Conn,
    snapshot: Models,
    user: CaseRegistrar,
    assess: Assessing,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> schemas.CaseOut:
    """Register a case with its business, statements, facilities and applications, atomically.

    A retried request with the same Idempotency-Key returns the case created the first time.
    With a model loaded the case is scored in the same request.
    """
    case = register_and_assess(connection, snapshot, user, payload, idempotency_key, assess)
    request.state.case_id, request.state.business_id = case.case_id, case.business_id
    return case


@router.get("", openapi_extra=PERSONAL_DATA, response_model=schemas.CaseList)
def list_cases(
    connection: Conn,
    user: CaseReader,
    counts: QueueCounts,
    status_: Annotated[schemas.CaseStatus | None, Query(alias="status")] = None,
    province: Annotated[schemas.Text | None, Query()] = None,
    channel: schemas.Channel | None = None,
    problem_type: schemas.ProblemType | None = None,
    risk_band: schemas.RiskBand | None = None,
    triage: schemas.TriageClass | None = None,
    q: Annotated[
        schemas.SearchText | None,
        Query(description="case id, business id or name; a full tax id"),
    ] = None,
    open_only: Annotated[bool, Query(description="hide resolved and closed cases")] = True,
    sort: Annotated[
        str, Query(pattern=SORT_PATTERN, description="a column; '-column' for descending")
    ] = "-priority",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    after: Annotated[
        str | None,
        Query(max_length=400, description="the previous page's next_cursor (keyset paging)"),
    ] = None,
    assigned: Annotated[
        schemas.Text | None,
        Query(description="'me', 'none' (unassigned) or an analyst's name"),
    ] = None,
    overdue: Annotated[
        bool | None, Query(description="only cases past (true) or within (false) their SLA")
    ] = None,
) -> schemas.CaseList:
    """The analyst queue, most urgent first; intake officers see their own centre's cases.
    The province filter ignores case; `total` counts every case the filters select."""
    query = QueueQuery(
        status_, province, channel, problem_type, risk_band, triage, q, open_only, sort, limit,
        offset, after, assigned, overdue,
    )  # fmt: skip
    return queue(connection, user, query, counts)


@router.get("/filters", response_model=schemas.QueueFilters)
def filters(connection: Conn, user: CaseReader) -> schemas.QueueFilters:
    """The values each queue filter can take in the caller's scope."""
    return queue_filters(connection, user)


@router.get("/{case_id}", openapi_extra=PERSONAL_DATA, response_model=schemas.CaseOut)
def get_case(case_id: CaseId, connection: Conn, user: CaseReader) -> schemas.CaseOut:
    return case_out(get_case_row(connection, case_id, user), user)


@router.post("/{case_id}/status", response_model=schemas.CaseOut)
def move(
    case_id: CaseId, change: schemas.StatusChange, connection: Conn, user: CaseWorker
) -> schemas.CaseOut:
    return change_status(connection, user, case_id, change)


@router.get("/{case_id}/history", openapi_extra=PERSONAL_DATA)
def status_history(case_id: CaseId, connection: Conn, user: CaseRegistrar) -> list[dict[str, Any]]:
    return history(connection, user, case_id)


@router.post("/{case_id}/assessments", status_code=201, response_model=schemas.Assessment)
def create_assessment(
    case_id: CaseId,
    connection: Conn,
    snapshot: Models,
    user: CaseWorker,
    assess: Assessing,
    body: schemas.AssessmentRequest | None = None,
) -> schemas.Assessment:
    """Score the case now with the champion and keep the snapshot (scores, reasons, features)."""
    as_of = (body.as_of if body else None) or dt.date.today()
    return assess_case(connection, snapshot, user, case_id, as_of, assess)


@router.get("/{case_id}/assessments", response_model=list[schemas.Assessment])
def assessments(
    case_id: CaseId, connection: Conn, user: AssessmentReader
) -> list[schemas.Assessment]:
    return list_assessments(connection, user, case_id)


@router.post("/{case_id}/decision", status_code=201, response_model=schemas.DecisionOut)
def decide(
    case_id: CaseId,
    decision: schemas.DecisionIn,
    connection: Conn,
    snapshot: Models,
    user: CaseWorker,
) -> schemas.DecisionOut:
    """The chosen path. It overrides the model when it is not the path recommended first
    today (computed, never declared), and then a reason is required."""
    return record_decision(connection, snapshot, user, case_id, decision)


@router.get(
    "/{case_id}/decisions", openapi_extra=PERSONAL_DATA, response_model=list[schemas.DecisionOut]
)
def decisions(case_id: CaseId, connection: Conn, user: CaseReader) -> list[schemas.DecisionOut]:
    return list_decisions(connection, user, case_id)


@router.post("/{case_id}/outcome", status_code=201, response_model=schemas.Recorded)
def outcome(
    case_id: CaseId, outcome: schemas.OutcomeIn, connection: Conn, user: CaseWorker
) -> schemas.Recorded:
    """What happened later: the label that retraining learns from."""
    return record_outcome(connection, user, case_id, outcome)
