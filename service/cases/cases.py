"""Cases: intake, the queue, the status workflow and who may see what of them.

Routers and web pages call these functions; nothing here knows about HTTP beyond raising the
service's own errors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, Select, Table, insert, select, update
from sqlalchemy.exc import IntegrityError

from features.catalogues.case_statuses import STATUS_SLA_DAYS, WORKFLOW
from models.advice.triage import TRIAGE_RANK
from service.access.scope import check_values, scoped
from service.cases.records import NewRows, add_new_rows, new_business_rows
from service.kit import schemas
from service.kit.errors import ConflictError, InvalidInputError, NotFoundError
from service.kit.roles import User
from service.scoring.scoring import checked_payload_portfolio
from service.store.locking import lock_case
from service.store.tables import businesses, case_status_changes, cases

URGENT_PROBLEMS = ("near_collapse", "debt_distress")


def priority(
    probability: float | None,
    problem_types: str | None,
    received_at: dt.date,
    triage_class: str | None = None,
) -> float:
    """Queue order: the triage class first (act now, rescuable, needs data, exit likely, no debt
    problem), then the distress probability, plus up to 0.1 for age (a case waiting half a year
    gains the full 0.1). A case not yet triaged ranks by its problems: 0.15 for urgent ones."""
    age = min((dt.date.today() - received_at).days, 180) / 180
    if triage_class is not None:
        return TRIAGE_RANK[triage_class] + (probability or 0.0) + 0.1 * max(age, 0.0)
    urgent = any(p in (problem_types or "") for p in URGENT_PROBLEMS)
    return (probability or 0.0) + (0.15 if urgent else 0.0) + 0.1 * max(age, 0.0)


def mask_tax_id(tax_id: str | None) -> str | None:
    return None if tax_id is None else "*" * 9 + tax_id[-4:]


def case_out(row: Row[Any], user: User) -> schemas.CaseOut:
    """A case as the user may see it: PII masked for roles that do not work with identities."""
    sole = row.legal_form == "sole_proprietorship"
    return schemas.CaseOut(
        case_id=row.case_id,
        business_id=row.business_id,
        business_name=row.name if user.sees_pii or not sole else "(masked)",
        tax_id=row.tax_id if user.sees_pii else mask_tax_id(row.tax_id),
        sector=row.sector,
        province=row.province,
        channel=row.channel,
        intake_centre=row.intake_centre,
        received_at=row.received_at,
        problem_types=problem_list(row.problem_types),
        status=row.status,
        distress_probability=row.distress_probability,
        risk_band=row.risk_band,
        triage=row.triage,
        best_feasibility=row.best_feasibility,
        triage_reasons=_reasons(row.triage_reasons, "en"),
        triage_reasons_th=_reasons(row.triage_reasons, "th"),
        priority=row.priority,
        days_open=(dt.date.today() - row.received_at).days,
        assigned_to=row.assigned_to,
        **status_age(row.status, row.status_since, row.received_at),
    )


def _reasons(stored: Any, lang: str) -> list[str]:
    """Triage reasons as stored: by language, or (older rows) English only."""
    if isinstance(stored, dict):
        return list(stored.get(lang) or stored.get("en") or [])
    return list(stored or [])


def status_age(
    status: str, since: dt.datetime | None, received_at: dt.date
) -> dict[str, int | bool | None]:
    """Days in the current status (since intake where the change was not recorded), the
    status's SLA and whether the case is past it."""
    start = since.date() if since is not None else received_at
    days = (dt.datetime.now(dt.UTC).date() - start).days
    sla = STATUS_SLA_DAYS.get(status)
    return {"days_in_status": days, "sla_days": sla, "overdue": sla is not None and days > sla}


def problem_list(problem_types: str | None) -> list[str]:
    return [p for p in (problem_types or "").split(";") if p]


def case_query() -> Select[Any]:
    return select(
        cases,
        businesses.c.name,
        businesses.c.tax_id,
        businesses.c.sector,
        businesses.c.legal_form,
    ).join(businesses, businesses.c.business_id == cases.c.business_id)


def get_case_row(connection: Connection, case_id: str, user: User) -> Row[Any]:
    """The case with its business's identity, if the user's scope covers it; 404 otherwise."""
    row = connection.execute(scoped(case_query(), user).where(cases.c.case_id == case_id)).first()
    if row is None:
        raise NotFoundError(f"no case {case_id}")
    return row


def locked_case_row(connection: Connection, case_id: str, user: User) -> Row[Any]:
    """The case as `get_case_row` reads it, once its row is held for the rest of the
    transaction (`service.store.locking`): what a check-then-write step reads and stamps after."""
    get_case_row(connection, case_id, user)  # in scope, or 404 before anything is held
    lock_case(connection, case_id)
    return get_case_row(connection, case_id, user)


@dataclass(frozen=True)
class Registration:
    """A case checked and ready to write: its row, and its business's rows that are new."""

    case: dict[str, Any]
    rows: NewRows

    @property
    def case_id(self) -> str:
        return str(self.case["case_id"])


def prepare_registration(
    connection: Connection, user: User, payload: schemas.CaseIn, idempotency_key: str | None
) -> Registration | schemas.CaseOut:
    """Check a case for registration and find its business's new rows, reading only; a retried
    request with the same Idempotency-Key (the caller's own) gets the case created the first
    time, and the same key with another body is refused."""
    request_hash = hashlib.sha256(payload.model_dump_json().encode()).hexdigest()
    if idempotency_key:
        earlier = _idempotent_case(connection, user, idempotency_key, request_hash)
        if earlier is not None:
            return earlier
    province = payload.business.province
    centre = payload.intake_centre or user.intake_centre
    check_values(user, {"province": province, "intake_centre": centre}, "the case")
    received = payload.received_at or dt.date.today()
    if received > dt.date.today():
        raise InvalidInputError.field(["body", "received_at"], "in the future")
    rows = new_business_rows(connection, user, checked_payload_portfolio(payload))
    problems = ";".join(payload.problem_types) or None
    now = dt.datetime.now(dt.UTC)
    case = {
        "case_id": "C-" + uuid.uuid4().hex[:10].upper(),
        "business_id": payload.business.business_id, "channel": payload.channel,
        "intake_centre": centre, "province": province, "received_at": received,
        "problem_types": problems, "status": "received", "idempotency_key": idempotency_key,
        "request_hash": request_hash, "created_by": user.name,
        "priority": priority(None, problems, received), "updated_at": now, "status_since": now,
    }  # fmt: skip
    return Registration(case, rows)


def write_registration(connection: Connection, registration: Registration) -> None:
    """Write a prepared case and its business's new rows: a few inserts, so the write lock is
    held for milliseconds whatever the scoring before it cost."""
    case = registration.case
    try:
        add_new_rows(connection, registration.rows)
        connection.execute(insert(cases).values(**case))
        record_status_change(
            connection, case["case_id"], None, "received", case["created_by"], "registered",
            case["status_since"],
        )  # fmt: skip
    except IntegrityError:
        # Rows checked as new a moment ago were written by a request running at the same time
        # (the same request sent twice, or the same business registered twice): a retry sees
        # them and answers accordingly.
        raise ConflictError(
            f"business {case['business_id']} was being registered by another request "
            "at the same time; retry"
        ) from None


def _idempotent_case(
    connection: Connection, user: User, key: str, request_hash: str
) -> schemas.CaseOut | None:
    earlier = connection.execute(
        select(cases.c.case_id, cases.c.request_hash)
        .where(cases.c.created_by == user.name)
        .where(cases.c.idempotency_key == key)
    ).first()
    if earlier is None:
        return None
    if earlier.request_hash != request_hash:
        raise InvalidInputError.field(
            ["header", "Idempotency-Key"], "this key was used for another request body"
        )
    return case_out(get_case_row(connection, earlier.case_id, user), user)


def record_status_change(
    connection: Connection,
    case_id: str,
    from_status: str | None,
    to_status: str,
    by: str,
    note: str | None,
    when: dt.datetime,
) -> None:
    connection.execute(
        insert(case_status_changes).values(
            case_id=case_id, from_status=from_status, to_status=to_status,
            changed_by=by, changed_at=when, note=note,
        )
    )  # fmt: skip


def change_status(
    connection: Connection, user: User, case_id: str, change: schemas.StatusChange
) -> schemas.CaseOut:
    """Move a case along the workflow; 409 for a step the workflow does not allow."""
    row = locked_case_row(connection, case_id, user)
    if change.to not in WORKFLOW[row.status]:
        allowed = ", ".join(sorted(WORKFLOW[row.status])) or "none"
        raise ConflictError(f"cannot go from {row.status} to {change.to} (allowed: {allowed})")
    now = dt.datetime.now(dt.UTC)
    # One conditional update: of two requests that read the same status, only one moves it.
    moved = connection.execute(
        update(cases)
        .where(cases.c.case_id == case_id)
        .where(cases.c.status == row.status)
        .values(status=change.to, updated_at=now, status_since=now)
    ).rowcount
    if moved != 1:
        raise ConflictError(f"case {case_id} changed meanwhile; reload it and try again")
    record_status_change(connection, case_id, row.status, change.to, user.name, change.note, now)
    return case_out(get_case_row(connection, case_id, user), user)


def case_records(
    connection: Connection, user: User, case_id: str, table: Table
) -> list[dict[str, Any]]:
    """A case's rows of `table` (status changes, assessments, decisions), oldest first, if
    the user's scope covers the case."""
    get_case_row(connection, case_id, user)
    rows = connection.execute(
        select(table).where(table.c.case_id == case_id).order_by(table.c.id)
    ).mappings()
    return [dict(r) for r in rows]


def status_history(connection: Connection, user: User, case_id: str) -> list[dict[str, Any]]:
    return case_records(connection, user, case_id, case_status_changes)
