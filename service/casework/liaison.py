"""Bank liaison: loan applications stalled past their lender's SLA, and lender summaries.

"Stalled" is `features.applications.application_states`, the definition the model feature uses
too, applied with the configured per-lender SLAs and each application's status history.
A bank liaison sees only their own lender's applications.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import ColumnElement, Connection, insert, select, update
from sqlalchemy.exc import IntegrityError

from features.applications import application_states
from features.columns import records_columns
from features.schema import (
    APPLICATION_STATUS_HISTORY,
    APPLICATION_STATUSES,
    LOAN_APPLICATIONS,
    PENDING_STATUSES,
)
from service.access.scope import scoped
from service.casework.application_followups import enrich
from service.kit import schemas
from service.kit.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from service.kit.roles import Role, User
from service.store.tables import application_status_history, loan_applications

APPROVED = ("approved", "disbursed")
DECIDED = (*APPROVED, "rejected")


def lender_scope(user: User, lender: str | None) -> str | None:
    """The lender the user may see: a bank liaison only their own (403 for another)."""
    if user.role is Role.bank_liaison:
        if lender is not None and lender != user.lender:
            raise ForbiddenError("you may only see your own lender")
        return user.lender
    return lender


def applications_today(
    connection: Connection,
    condition: ColumnElement[bool] | None,
    sla: Mapping[str, int],
    today: dt.date,
) -> list[dict[str, Any]]:
    """Applications (all, or those matching `condition`) with their status today after their
    history, days pending, SLA, and whether each is pending and stalled."""
    query = select(loan_applications)
    if condition is not None:
        query = query.where(condition)
    apps = [dict(r) for r in connection.execute(query).mappings()]
    history = select(application_status_history).where(
        application_status_history.c.application_id.in_([a["application_id"] for a in apps])
    )
    events = [dict(r) for r in connection.execute(history).mappings()]
    states = application_states(
        records_columns(LOAN_APPLICATIONS, apps),
        records_columns(APPLICATION_STATUS_HISTORY, events),
        np.zeros(len(apps), dtype=np.int64),
        np.array([today], dtype="datetime64[ns]"),
        sla,
    )
    return [
        {
            **apps[row], "status": states.status[i], "pending": bool(states.pending[i]),
            "stalled": bool(states.stalled[i]), "days_pending": int(states.days_pending[i]),
            "sla_days": int(states.sla_days[i]),
            "days_over_sla": int(states.days_pending[i] - states.sla_days[i]),
        }
        for i, row in enumerate(states.rows)
    ]  # fmt: skip


def application_states_frame(
    connection: Connection, lender: str | None, sla: Mapping[str, int], today: dt.date
) -> pd.DataFrame:
    """The lender's applications as they stand today (see `applications_today`)."""
    condition = loan_applications.c.lender == lender if lender is not None else None
    names = [c.name for c in LOAN_APPLICATIONS.columns]
    extra = ["pending", "stalled", "days_pending", "sla_days", "days_over_sla"]
    return pd.DataFrame(
        applications_today(connection, condition, sla, today), columns=names + extra
    )


def _followed(
    connection: Connection, user: User, lender: str | None, sla: Mapping[str, int]
) -> pd.DataFrame:
    """The lender's applications today (within the user's scope), with what moves them."""
    today = dt.date.today()
    scope = lender_scope(user, lender)
    return enrich(connection, user, application_states_frame(connection, scope, sla, today), today)


def _stalled_list(states: pd.DataFrame) -> list[schemas.StalledApplication]:
    stalled = states[states["stalled"].astype(bool)].sort_values("days_over_sla", ascending=False)
    fields = list(schemas.StalledApplication.model_fields)
    records = stalled[fields].astype(object).where(stalled[fields].notna(), None)
    return [schemas.StalledApplication(**r) for r in records.to_dict("records")]


def stalled_applications(
    connection: Connection, user: User, lender: str | None, sla: Mapping[str, int]
) -> list[schemas.StalledApplication]:
    """Applications pending beyond their lender's SLA, the longest overdue first."""
    scope = lender_scope(user, lender)
    today = dt.date.today()
    states = enrich(
        connection, user, application_states_frame(connection, scope, sla, today), today
    )
    return _stalled_list(states)


def lender_summary(
    connection: Connection, user: User, lender: str, sla: Mapping[str, int]
) -> schemas.LenderSummary:
    """Pending and stalled counts, days pending, approval rate and the stalled list."""
    scope = lender_scope(user, lender)
    today = dt.date.today()
    states = enrich(
        connection, user, application_states_frame(connection, scope, sla, today), today
    )
    if states.empty:
        raise NotFoundError(f"no applications for lender {lender!r}")
    pending = states[states["pending"].astype(bool)]
    decided = states[states["status"].isin(DECIDED)]
    days = pending["days_pending"].to_numpy()
    return schemas.LenderSummary(
        lender=lender,
        pending=len(pending),
        stalled=int(pending["stalled"].sum()),
        median_days_pending=float(np.median(days)) if len(days) else None,
        p90_days_pending=float(np.percentile(days, 90)) if len(days) else None,
        approval_rate=float(decided["status"].isin(APPROVED).mean()) if len(decided) else None,
        stalled_applications=_stalled_list(states),
    )


# An application moves forward only: a pending one to any status, an approval to disbursement
# or withdrawal; a rejection, withdrawal or disbursement is final.
APPLICATION_STEPS: dict[str, frozenset[str]] = {
    **{s: frozenset(APPLICATION_STATUSES) - {s} for s in PENDING_STATUSES},
    "approved": frozenset({"disbursed", "withdrawn"}),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
    "disbursed": frozenset(),
}


def change_application_status(
    connection: Connection, user: User, application_id: str, change: schemas.ApplicationStatusIn
) -> schemas.ApplicationStatusOut:
    """Record an application's next status (and its history row), within the lender's scope."""
    query = select(loan_applications).where(loan_applications.c.application_id == application_id)
    row = connection.execute(scoped(query, user, loan_applications)).first()
    if row is None:
        raise NotFoundError(f"no application {application_id}")
    if change.to not in APPLICATION_STEPS[row.status]:
        allowed = ", ".join(sorted(APPLICATION_STEPS[row.status])) or "none: it is final"
        raise ConflictError(f"cannot go from {row.status} to {change.to} (allowed: {allowed})")
    when = change.changed_at or dt.date.today()
    if when < row.submitted_at or when > dt.date.today():
        raise InvalidInputError.field(
            ["body", "changed_at"], f"must lie between {row.submitted_at} and today"
        )
    final = change.to not in PENDING_STATUSES
    values = {
        "status": change.to,
        "status_changed_at": when,
        "decided_at": when if final and row.decided_at is None else row.decided_at,
        "rejection_reason": change.rejection_reason if change.to == "rejected" else None,
    }
    moved = connection.execute(
        update(loan_applications)
        .where(loan_applications.c.application_id == application_id)
        .where(loan_applications.c.status == row.status)
        .values(**values)
    ).rowcount
    if moved != 1:
        raise ConflictError(f"application {application_id} changed meanwhile; reload it")
    try:
        with connection.begin_nested():
            connection.execute(
                insert(application_status_history).values(
                    application_id=application_id, status=change.to, changed_at=when
                )
            )
    except IntegrityError:
        raise ConflictError(f"{application_id} was {change.to} on {when} already") from None
    return schemas.ApplicationStatusOut(
        application_id=application_id, lender=row.lender, business_id=row.business_id, **values
    )
