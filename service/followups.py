"""Referrals and mentoring followed through: a referral names its agency, programme, contact
and follow-up date and records its result; a mentoring plan is milestones with an owner and a
due date. Due follow-ups and overdue milestones remind the analyst who works the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, insert, select, update

from service import schemas
from service.cases import CLOSED_STATUSES, get_case_row
from service.errors import ConflictError, NotFoundError
from service.roles import User
from service.tables import case_milestones, case_referrals, cases

T = TypeVar("T")


def _referral(row: Any, today: dt.date) -> schemas.ReferralOut:
    return schemas.ReferralOut(
        **{k: row[k] for k in schemas.ReferralOut.model_fields if k != "due"},
        due=row["result"] is None and row["follow_up_on"] <= today,
    )


def _milestone(row: Any, today: dt.date) -> schemas.MilestoneOut:
    return schemas.MilestoneOut(
        **{k: row[k] for k in schemas.MilestoneOut.model_fields if k != "overdue"},
        overdue=row["done_at"] is None and row["due_on"] < today,
    )


def refer(
    connection: Connection, user: User, case_id: str, body: schemas.ReferralIn
) -> schemas.ReferralOut:
    get_case_row(connection, case_id, user)
    new_id = connection.execute(
        insert(case_referrals)
        .values(**body.model_dump(), case_id=case_id, created_by=user.name,
                created_at=dt.datetime.now(dt.UTC))
        .returning(case_referrals.c.id)
    ).scalar_one()  # fmt: skip
    return _one(connection, case_referrals, case_id, new_id, _referral)


def record_result(
    connection: Connection, user: User, case_id: str, referral_id: int, body: schemas.ReferralResult
) -> schemas.ReferralOut:
    get_case_row(connection, case_id, user)
    current = _one(connection, case_referrals, case_id, referral_id, _referral)
    if current.result is not None:
        raise ConflictError(f"referral {referral_id} has its result already")
    connection.execute(
        update(case_referrals)
        .where(case_referrals.c.id == referral_id)
        .values(result=body.result, result_at=dt.datetime.now(dt.UTC))
    )
    return _one(connection, case_referrals, case_id, referral_id, _referral)


def add_milestone(
    connection: Connection, user: User, case_id: str, body: schemas.MilestoneIn
) -> schemas.MilestoneOut:
    get_case_row(connection, case_id, user)
    new_id = connection.execute(
        insert(case_milestones)
        .values(**body.model_dump(), case_id=case_id, created_by=user.name,
                created_at=dt.datetime.now(dt.UTC))
        .returning(case_milestones.c.id)
    ).scalar_one()  # fmt: skip
    return _one(connection, case_milestones, case_id, new_id, _milestone)


def complete_milestone(
    connection: Connection, user: User, case_id: str, milestone_id: int
) -> schemas.MilestoneOut:
    get_case_row(connection, case_id, user)
    current = _one(connection, case_milestones, case_id, milestone_id, _milestone)
    if current.done_at is not None:
        raise ConflictError(f"milestone {milestone_id} is done already")
    connection.execute(
        update(case_milestones)
        .where(case_milestones.c.id == milestone_id)
        .values(done_at=dt.datetime.now(dt.UTC))
    )
    return _one(connection, case_milestones, case_id, milestone_id, _milestone)


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


def referrals(connection: Connection, user: User, case_id: str) -> list[schemas.ReferralOut]:
    get_case_row(connection, case_id, user)
    query = select(case_referrals).where(case_referrals.c.case_id == case_id)
    today = dt.date.today()
    return [_referral(r, today) for r in connection.execute(query.order_by("id")).mappings()]


def milestones(connection: Connection, user: User, case_id: str) -> list[schemas.MilestoneOut]:
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
