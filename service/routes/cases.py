"""Cases: intake, the analyst queue, status workflow, assessments, decisions and outcomes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request, status
from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from features import PortfolioError
from features.portfolio import typed_frames_to_portfolio
from service import schemas
from service.auth import Role, User, require
from service.repository import business_tables, save_portfolio
from service.scoring import problems_to_422, score_tables
from service.tables import (
    assessments,
    businesses,
    case_status_changes,
    cases,
    decisions,
    recorded_outcomes,
)

router = APIRouter(prefix="/cases", tags=["cases"])

# The workflow: which status may follow which. Closing is possible from anywhere but closed.
WORKFLOW: dict[str, set[str]] = {
    "received": {"screening", "closed"},
    "screening": {"analysis", "referred", "closed"},
    "analysis": {"recommended", "referred", "closed"},
    "recommended": {"referred", "resolved", "analysis", "closed"},
    "referred": {"resolved", "closed"},
    "resolved": {"closed"},
    "closed": set(),
}
URGENT_PROBLEMS = ("near_collapse", "debt_distress")


def priority(probability: float | None, problem_types: str | None, received_at: dt.date) -> float:
    """Queue order: distress probability, plus 0.15 for urgent problems, plus up to 0.1 for age
    (a case waiting half a year gains the full 0.1)."""
    urgent = any(p in (problem_types or "") for p in URGENT_PROBLEMS)
    age = min((dt.date.today() - received_at).days, 180) / 180
    return (probability or 0.0) + (0.15 if urgent else 0.0) + 0.1 * max(age, 0.0)


def _connection(request: Request):
    with request.app.state.db.engine.begin() as connection:
        yield connection


# scope="function": the transaction commits before the response is sent, so a client that
# retries or reads right after a write sees it (the default scope commits after sending).
Conn = Annotated[Connection, Depends(_connection, scope="function")]


def _scope(query, user: User):
    if user.role is Role.intake_officer:
        if user.intake_centre:
            query = query.where(cases.c.intake_centre == user.intake_centre)
        if user.province:
            query = query.where(cases.c.province == user.province)
    return query


def _mask(tax_id: str | None) -> str | None:
    return None if tax_id is None else "*" * 9 + tax_id[-4:]


def case_out(row, user: User) -> schemas.CaseOut:
    sole = row.legal_form == "sole_proprietorship"
    return schemas.CaseOut(
        case_id=row.case_id,
        business_id=row.business_id,
        business_name=row.name if user.sees_pii or not sole else "(masked)",
        tax_id=row.tax_id if user.sees_pii else _mask(row.tax_id),
        sector=row.sector,
        province=row.province,
        channel=row.channel,
        intake_centre=row.intake_centre,
        received_at=row.received_at,
        problem_types=[p for p in (row.problem_types or "").split(";") if p],
        status=row.status,
        distress_probability=row.distress_probability,
        risk_band=row.risk_band,
        priority=row.priority,
        days_open=(dt.date.today() - row.received_at).days,
    )


def _case_query():
    return select(
        cases,
        businesses.c.name,
        businesses.c.tax_id,
        businesses.c.sector,
        businesses.c.legal_form,
    ).join(businesses, businesses.c.business_id == cases.c.business_id)


def get_case_row(connection: Connection, case_id: str, user: User):
    row = connection.execute(_scope(_case_query(), user).where(cases.c.case_id == case_id)).first()
    if row is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no case {case_id}")
    return row


def payload_tables(payload: schemas.BusinessPayload) -> dict[str, pd.DataFrame]:
    """A business payload as portfolio tables (the business id copied onto every row)."""
    business = payload.business.model_dump()
    bid = business["business_id"]
    tables = {"businesses": pd.DataFrame([business])}
    # A list left empty means the business has none (no facilities, no applications), as a
    # supplied but empty table does in a portfolio: counts are then 0, not unknown.
    for name in ("financial_statements", "debts", "loan_applications"):
        rows = [{"business_id": bid, **r.model_dump()} for r in getattr(payload, name)]
        tables[name] = pd.DataFrame(rows, columns=None if rows else ["business_id"])
    return tables


@router.post("", status_code=status.HTTP_201_CREATED, response_model=schemas.CaseOut)
def register_case(
    payload: schemas.CaseIn,
    connection: Conn,
    user: Annotated[User, Depends(require(Role.intake_officer, Role.analyst))],
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> schemas.CaseOut:
    """Register a case with its business, statements, facilities and applications, atomically.

    A retried request with the same Idempotency-Key returns the case created the first time.
    """
    if idempotency_key:
        existing = connection.execute(
            select(cases.c.case_id).where(cases.c.idempotency_key == idempotency_key)
        ).scalar()
        if existing:
            return case_out(get_case_row(connection, existing, user), user)
    province = payload.business.province
    centre = payload.intake_centre
    if user.role is Role.intake_officer:
        if user.province and province != user.province:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"you register cases for {user.province}"
            )
        centre = centre or user.intake_centre
        if user.intake_centre and centre != user.intake_centre:
            raise HTTPException(
                status.HTTP_403_FORBIDDEN, f"you register cases for {user.intake_centre}"
            )
    try:
        portfolio = typed_frames_to_portfolio(payload_tables(payload))
    except PortfolioError as exc:
        raise problems_to_422(exc.problems) from None
    case_id = "C-" + uuid.uuid4().hex[:10].upper()
    received = payload.received_at or dt.date.today()
    problems = ";".join(payload.problem_types) or None
    now = dt.datetime.now(dt.UTC)
    try:
        save_portfolio(connection, portfolio)
        connection.execute(
            insert(cases).values(
                case_id=case_id, business_id=payload.business.business_id,
                channel=payload.channel, intake_centre=centre, province=province,
                received_at=received, problem_types=problems, status="received",
                idempotency_key=idempotency_key, created_by=user.name,
                priority=priority(None, problems, received), updated_at=now,
            )
        )  # fmt: skip
        connection.execute(
            insert(case_status_changes).values(
                case_id=case_id, from_status=None, to_status="received",
                changed_by=user.name, changed_at=now, note="registered",
            )
        )  # fmt: skip
    except IntegrityError:
        raise HTTPException(
            status.HTTP_409_CONFLICT, "a case with this Idempotency-Key exists"
        ) from None
    return case_out(get_case_row(connection, case_id, user), user)


@router.get("", response_model=schemas.CaseList)
def list_cases(
    connection: Conn,
    user: Annotated[User, Depends(require(Role.analyst, Role.intake_officer, Role.data_scientist))],
    status_: Annotated[str | None, Query(alias="status")] = None,
    province: str | None = None,
    channel: str | None = None,
    problem_type: str | None = None,
    risk_band: str | None = None,
    open_only: Annotated[bool, Query(description="hide resolved and closed cases")] = True,
    sort: Annotated[str, Query(pattern="^(priority|received_at)$")] = "priority",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> schemas.CaseList:
    """The analyst queue, most urgent first; intake officers see their own centre's cases."""
    query = _scope(_case_query(), user)
    filters = {
        cases.c.status: status_, cases.c.province: province, cases.c.channel: channel,
        cases.c.risk_band: risk_band,
    }  # fmt: skip
    for column, value in filters.items():
        if value is not None:
            query = query.where(column == value)
    if problem_type:
        query = query.where(cases.c.problem_types.contains(problem_type))
    if open_only and status_ is None:
        query = query.where(cases.c.status.not_in(["resolved", "closed"]))
    total = connection.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    order = (
        [cases.c.priority.desc().nulls_last(), cases.c.received_at]
        if sort == "priority"
        else [cases.c.received_at.desc()]
    )
    rows = connection.execute(query.order_by(*order, cases.c.case_id).limit(limit).offset(offset))
    return schemas.CaseList(total=total, items=[case_out(r, user) for r in rows])


@router.get("/{case_id}", response_model=schemas.CaseOut)
def get_case(
    case_id: str,
    connection: Conn,
    user: Annotated[User, Depends(require(Role.analyst, Role.intake_officer, Role.data_scientist))],
) -> schemas.CaseOut:
    return case_out(get_case_row(connection, case_id, user), user)


@router.post("/{case_id}/status", response_model=schemas.CaseOut)
def change_status(
    case_id: str,
    change: schemas.StatusChange,
    connection: Conn,
    user: Annotated[User, Depends(require(Role.analyst))],
) -> schemas.CaseOut:
    row = get_case_row(connection, case_id, user)
    if change.to not in WORKFLOW[row.status]:
        allowed = ", ".join(sorted(WORKFLOW[row.status])) or "none"
        raise HTTPException(
            status.HTTP_409_CONFLICT,
            f"cannot go from {row.status} to {change.to} (allowed: {allowed})",
        )
    now = dt.datetime.now(dt.UTC)
    connection.execute(
        update(cases).where(cases.c.case_id == case_id).values(status=change.to, updated_at=now)
    )
    connection.execute(
        insert(case_status_changes).values(
            case_id=case_id, from_status=row.status, to_status=change.to,
            changed_by=user.name, changed_at=now, note=change.note,
        )
    )  # fmt: skip
    return case_out(get_case_row(connection, case_id, user), user)


@router.get("/{case_id}/history")
def status_history(
    case_id: str,
    connection: Conn,
    user: Annotated[User, Depends(require(Role.analyst, Role.intake_officer))],
) -> list[dict]:
    get_case_row(connection, case_id, user)
    rows = connection.execute(
        select(case_status_changes)
        .where(case_status_changes.c.case_id == case_id)
        .order_by(case_status_changes.c.id)
    ).mappings()
    return [dict(r) for r in rows]


def assess(connection: Connection, request: Request, row, user_name: str, as_of: dt.date) -> dict:
    """Score a case now, store the snapshot and update the queue fields; returns the stored row."""
    tables = business_tables(connection, [row.business_id])
    result = score_tables(request.app.state.models.snapshot, tables, as_of)[0]
    now = dt.datetime.now(dt.UTC)
    values = {
        "case_id": row.case_id, "as_of": as_of, "created_at": now, "created_by": user_name,
        "distress_probability": result["distress_probability"], "risk_band": result["risk_band"],
        "distress_model_version": result["model_version"], "reasons": result["reasons"],
        "features": result["features"],
    }  # fmt: skip
    new_id = connection.execute(insert(assessments).values(**values)).inserted_primary_key[0]
    connection.execute(
        update(cases)
        .where(cases.c.case_id == row.case_id)
        .values(
            distress_probability=result["distress_probability"],
            risk_band=result["risk_band"],
            priority=priority(result["distress_probability"], row.problem_types, row.received_at),
            updated_at=now,
        )
    )
    return {"id": new_id, **values}


@router.post("/{case_id}/assessments", status_code=201, response_model=schemas.Assessment)
def create_assessment(
    case_id: str,
    request: Request,
    connection: Conn,
    user: Annotated[User, Depends(require(Role.analyst))],
    body: schemas.AssessmentRequest | None = None,
) -> schemas.Assessment:
    """Score the case now with the champion and keep the snapshot (scores, reasons, features)."""
    row = get_case_row(connection, case_id, user)
    as_of = (body.as_of if body else None) or dt.date.today()
    return schemas.Assessment(**assess(connection, request, row, user.name, as_of))


@router.get("/{case_id}/assessments", response_model=list[schemas.Assessment])
def list_assessments(
    case_id: str,
    connection: Conn,
    user: Annotated[User, Depends(require(Role.analyst, Role.data_scientist))],
) -> list[schemas.Assessment]:
    get_case_row(connection, case_id, user)
    rows = connection.execute(
        select(assessments).where(assessments.c.case_id == case_id).order_by(assessments.c.id)
    ).mappings()
    return [schemas.Assessment(**r) for r in rows]


@router.post("/{case_id}/decision", status_code=201, response_model=schemas.Recorded)
def record_decision(
    case_id: str,
    decision: schemas.DecisionIn,
    connection: Conn,
    user: Annotated[User, Depends(require(Role.analyst))],
) -> schemas.Recorded:
    """The chosen path; overriding the model's view requires a reason."""
    get_case_row(connection, case_id, user)
    if decision.overrides_model and not (decision.reason and decision.reason.strip()):
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            [
                {
                    "loc": ["body", "reason"],
                    "msg": "an override needs a reason",
                    "type": "value_error",
                }
            ],
        )
    latest = connection.execute(
        select(func.max(assessments.c.id)).where(assessments.c.case_id == case_id)
    ).scalar()
    new_id = connection.execute(
        insert(decisions).values(
            case_id=case_id, path=decision.path, overrides_model=decision.overrides_model,
            reason=decision.reason, assessment_id=latest, decided_by=user.name,
            decided_at=dt.datetime.now(dt.UTC),
        )
    ).inserted_primary_key[0]  # fmt: skip
    return schemas.Recorded(id=new_id, case_id=case_id)


@router.post("/{case_id}/outcome", status_code=201, response_model=schemas.Recorded)
def record_outcome(
    case_id: str,
    outcome: schemas.OutcomeIn,
    connection: Conn,
    user: Annotated[User, Depends(require(Role.analyst))],
) -> schemas.Recorded:
    """What happened later: the label that retraining learns from."""
    row = get_case_row(connection, case_id, user)
    if outcome.distress_12m is None and outcome.performing_12m is None:
        raise HTTPException(
            status.HTTP_422_UNPROCESSABLE_ENTITY,
            [
                {
                    "loc": ["body"],
                    "msg": "give distress_12m or performing_12m",
                    "type": "value_error",
                }
            ],
        )
    try:
        new_id = connection.execute(
            insert(recorded_outcomes).values(
                case_id=case_id, business_id=row.business_id, as_of=outcome.as_of,
                distress_12m=outcome.distress_12m, performing_12m=outcome.performing_12m,
                note=outcome.note, recorded_by=user.name, recorded_at=dt.datetime.now(dt.UTC),
            )
        ).inserted_primary_key[0]  # fmt: skip
    except IntegrityError:
        raise HTTPException(
            status.HTTP_409_CONFLICT, "an outcome at this as-of date exists"
        ) from None
    return schemas.Recorded(id=new_id, case_id=case_id)
