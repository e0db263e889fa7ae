"""Moving a stalled loan application: who it waits on, the case and analyst behind it, the
documents the centre still awaits from the borrower, and the centre's log of follow-ups (which
the case timeline shows).

An application in `documents_requested` waits on the borrower; any other pending status waits on
the bank."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Connection, func, insert, select

from features.catalogues.case_statuses import CLOSED_STATUSES
from features.schema import BORROWER_SIDE_STATUSES
from service.access.scope import scoped
from service.casework import schemas as work
from service.kit.errors import NotFoundError
from service.kit.roles import User
from service.store.tables import (
    application_followups,
    businesses,
    case_documents,
    cases,
    loan_applications,
)


def waiting_on(status: str) -> str:
    return "borrower" if status in BORROWER_SIDE_STATUSES else "bank"


def enrich(connection: Connection, user: User, frame: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Applications with their business's name, the open case and who works it, days since
    their last status change, who they wait on, and the centre's latest follow-up."""
    if frame.empty:
        return frame.assign(business_name=[], case_id=[], assigned_to=[], days_since_change=[],
                            waiting_on=[], last_follow_up=[], follow_ups=[],
                            missing_documents=[])  # fmt: skip
    ids = frame["business_id"].unique().tolist()
    names = {
        r.business_id: (r.name if user.sees_pii or r.legal_form != "sole_proprietorship"
                        else "(masked)")
        for r in connection.execute(
            select(businesses.c.business_id, businesses.c.name, businesses.c.legal_form)
            .where(businesses.c.business_id.in_(ids))
        )
    }  # fmt: skip
    open_cases: dict[str, tuple[str, str | None]] = {}
    for r in connection.execute(
        select(cases.c.business_id, cases.c.case_id, cases.c.assigned_to)
        .where(cases.c.business_id.in_(ids))
        .where(cases.c.status.not_in(CLOSED_STATUSES))
        .order_by(cases.c.received_at)
    ):
        open_cases[r.business_id] = (r.case_id, r.assigned_to)
    apps = frame["application_id"].tolist()
    latest: dict[str, tuple[str, int]] = {}
    for r in connection.execute(
        select(application_followups.c.application_id, application_followups.c.action,
               func.count().over(partition_by=application_followups.c.application_id))
        .where(application_followups.c.application_id.in_(apps))
        .order_by(application_followups.c.id)
    ):  # fmt: skip
        latest[r[0]] = (r[1], int(r[2]))
    changed = pd.to_datetime(frame["status_changed_at"].fillna(frame["submitted_at"]))
    out = frame.copy()
    out["business_name"] = out["business_id"].map(names)
    out["case_id"] = out["business_id"].map(lambda b: open_cases.get(b, (None, None))[0])
    out["assigned_to"] = out["business_id"].map(lambda b: open_cases.get(b, (None, None))[1])
    out["days_since_change"] = (pd.Timestamp(today) - changed).dt.days
    out["waiting_on"] = out["status"].map(waiting_on)
    out["last_follow_up"] = out["application_id"].map(lambda a: latest.get(a, (None, 0))[0])
    out["follow_ups"] = out["application_id"].map(lambda a: latest.get(a, (None, 0))[1])
    waiting = _documents_waiting(connection, [c for c, _ in open_cases.values()])
    out["missing_documents"] = out["case_id"].map(lambda c: waiting.get(c, []))
    return out


def _documents_waiting(connection: Connection, case_ids: list[str]) -> dict[str, list[str]]:
    """The documents each case has asked the business for and not yet received."""
    out: dict[str, list[str]] = {}
    for r in connection.execute(
        select(case_documents.c.case_id, case_documents.c.document)
        .where(case_documents.c.case_id.in_(case_ids))
        .where(case_documents.c.requested_at.is_not(None))
        .where(case_documents.c.received_at.is_(None))
        .order_by(case_documents.c.id)
    ):
        out.setdefault(r.case_id, []).append(r.document)
    return out


def follow_up(
    connection: Connection, user: User, application_id: str, body: work.FollowUpIn
) -> list[work.FollowUpOut]:
    """Log what was done to move the application (a bank liaison, on their own lender's)."""
    _application(connection, user, application_id)
    connection.execute(
        insert(application_followups).values(
            application_id=application_id, action=body.action, note=body.note, by=user.name,
            at=dt.datetime.now(dt.UTC),
        )
    )  # fmt: skip
    return follow_ups(connection, user, application_id)


def follow_ups(connection: Connection, user: User, application_id: str) -> list[work.FollowUpOut]:
    _application(connection, user, application_id)
    rows = connection.execute(
        select(application_followups)
        .where(application_followups.c.application_id == application_id)
        .order_by(application_followups.c.id)
    ).mappings()
    return [work.FollowUpOut(**r) for r in rows]


def _application(connection: Connection, user: User, application_id: str) -> Any:
    query = select(loan_applications).where(loan_applications.c.application_id == application_id)
    row = connection.execute(scoped(query, user, loan_applications)).first()
    if row is None:
        raise NotFoundError(f"no application {application_id}")
    return row
