"""Referrals and mentoring followed through: a referral names its agency, programme, contact
and follow-up date and records its result; a mentoring plan is milestones with an owner and a
due date. Due follow-ups and overdue milestones remind the analyst who works the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Table, insert, select, update

from features.catalogues.case_statuses import CLOSED_STATUSES
from service.cases.cases import get_case_row
from service.casework import schemas as work
from service.kit.errors import ConflictError, NotFoundError
from service.kit.roles import User
from service.store.tables import case_milestones, case_referrals, cases

T = TypeVar("T")


def _referral(row: Any, today: dt.date) -> work.ReferralOut:
    return work.ReferralOut(
        **{k: row[k] for k in work.ReferralOut.model_fields if k != "due"},
        due=row["result"] is None and row["follow_up_on"] <= today,
    )


def _milestone(row: Any, today: dt.date) -> work.MilestoneOut:
    return work.MilestoneOut(
        **{k: row[k] for k in work.MilestoneOut.model_fields if k != "overdue"},
        overdue=row["done_at"] is None and row["due_on"] < today,
    )


def _add(
    connection: Connection,
    user: User,
    case_id: str,
    table: Table,
    body: BaseModel,
    out: Callable[[Any, dt.date], T],
) -> T:
    get_case_row(connection, case_id, user)
    new_id = connection.execute(
        insert(table)
        .values(**body.model_dump(), case_id=case_id, created_by=user.name,
                created_at=dt.datetime.now(dt.UTC))
        .returning(table.c.id)
    ).scalar_one()  # fmt: skip
    return _one(connection, table, case_id, new_id, out)


def _close(
    connection: Connection,
    user: User,
    case_id: str,
    table: Table,
    item_id: int,
    out: Callable[[Any, dt.date], T],
    closed_by: str,
    **values: Any,
) -> T:
    """Record once what closes a referral (its result) or a milestone (its completion)."""
    get_case_row(connection, case_id, user)
    current = _one(connection, table, case_id, item_id, lambda row, _: row)
    if current[closed_by] is not None:
        raise ConflictError(f"{table.name.removeprefix('case_')[:-1]} {item_id} is closed already")
    connection.execute(update(table).where(table.c.id == item_id).values(**values))
    return _one(connection, table, case_id, item_id, out)


def refer(
    connection: Connection, user: User, case_id: str, body: work.ReferralIn
) -> work.ReferralOut:
    return _add(connection, user, case_id, case_referrals, body, _referral)


def record_result(
    connection: Connection, user: User, case_id: str, referral_id: int, body: work.ReferralResult
) -> work.ReferralOut:
    return _close(
        connection, user, case_id, case_referrals, referral_id, _referral, "result_at",
        result=body.result, result_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip


def add_milestone(
    connection: Connection, user: User, case_id: str, body: work.MilestoneIn
) -> work.MilestoneOut:
    return _add(connection, user, case_id, case_milestones, body, _milestone)


def complete_milestone(
    connection: Connection, user: User, case_id: str, milestone_id: int
) -> work.MilestoneOut:
    return _close(
        connection, user, case_id, case_milestones, milestone_id, _milestone, "done_at",
        done_at=dt.datetime.now(dt.UTC),
    )  # fmt: skip


def _one(
    connection: Connection,
    table: Table,
    case_id: str,
    item_id: int,
    out: Callable[[Any, dt.date], T],
) -> T:
    row = connection.execute(
        select(table).where(table.c.id == item_id).where(table.c.case_id == case_id)
    ).mappings().first()  # fmt: skip
    if row is None:
        raise NotFoundError(
            f"no {table.name.removeprefix('case_')[:-1]} {item_id} on case {case_id}"
        )
    return out(row, dt.date.today())


def referrals(connection: Connection, user: User, case_id: str) -> list[work.ReferralOut]:
    get_case_row(connection, case_id, user)
    query = select(case_referrals).where(case_referrals.c.case_id == case_id)
    today = dt.date.today()
    return [_referral(r, today) for r in connection.execute(query.order_by("id")).mappings()]


def milestones(connection: Connection, user: User, case_id: str) -> list[work.MilestoneOut]:
    get_case_row(connection, case_id, user)
    query = select(case_milestones).where(case_milestones.c.case_id == case_id)
    today = dt.date.today()
    return [
        _milestone(r, today) for r in connection.execute(query.order_by("due_on", "id")).mappings()
    ]


def followups_due(connection: Connection, assigned_to: str) -> dict[str, list[Any]]:
    """Referrals whose follow-up date has come without a result, and milestones past due, on
    the open cases assigned to `assigned_to`."""
    today = dt.date.today()
    mine = (
        select(cases.c.case_id)
        .where(cases.c.assigned_to == assigned_to)
        .where(cases.c.status.not_in(CLOSED_STATUSES))
    )
    due = connection.execute(
        select(case_referrals)
        .where(case_referrals.c.case_id.in_(mine))
        .where(case_referrals.c.result.is_(None))
        .where(case_referrals.c.follow_up_on <= today)
        .order_by(case_referrals.c.follow_up_on)
    ).mappings()
    late = connection.execute(
        select(case_milestones)
        .where(case_milestones.c.case_id.in_(mine))
        .where(case_milestones.c.done_at.is_(None))
        .where(case_milestones.c.due_on < today)
        .order_by(case_milestones.c.due_on)
    ).mappings()
    return {
        "referrals": [_referral(r, today) for r in due],
        "milestones": [_milestone(m, today) for m in late],
    }
