"""Who works a case: analysts take cases themselves, a centre manager assigns them to any
analyst; every change is kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert, select, update

from features.catalogues.case_statuses import CLOSED_STATUSES
from service.cases.cases import case_out, get_case_row
from service.casework import schemas as work
from service.kit import schemas
from service.kit.errors import ConflictError, ForbiddenError, InvalidInputError
from service.kit.roles import Permission, Role, User, may
from service.store.tables import case_assignments, cases, users


def assign_case(
    connection: Connection, user: User, case_id: str, assignment: work.AssignmentIn
) -> schemas.CaseOut:
    """Assign the case to an analyst, or to nobody (None)."""
    row = get_case_row(connection, case_id, user)
    to = assignment.analyst
    manager = user.may(Permission.assign_anyone)
    if not manager and to not in (user.name, None):
        raise ForbiddenError("an analyst assigns cases to themselves; a centre manager to others")
    if not manager and to is None and row.assigned_to not in (user.name, None):
        raise ForbiddenError(f"case {case_id} is {row.assigned_to}'s: a centre manager reassigns")
    if row.status in CLOSED_STATUSES:
        raise ConflictError(f"case {case_id} is {row.status}: it needs no one to work it")
    if to is not None:
        found = connection.execute(
            select(users.c.role).where(users.c.name == to).where(users.c.active.is_(True))
        ).scalar_one_or_none()
        if found is None or not may(Role(found), Permission.work_cases):
            raise InvalidInputError.field(
                ("body", "analyst"), f"no active user named {to!r} who works cases"
            )
    now = dt.datetime.now(dt.UTC)
    connection.execute(
        update(cases).where(cases.c.case_id == case_id).values(assigned_to=to, updated_at=now)
    )
    connection.execute(
        insert(case_assignments).values(
            case_id=case_id, assigned_to=to, assigned_by=user.name, assigned_at=now
        )
    )
    return case_out(get_case_row(connection, case_id, user), user)


def case_workers(connection: Connection) -> list[str]:
    """The active users who work cases: the people a case can be assigned to."""
    rows = connection.execute(
        select(users.c.name, users.c.role).where(users.c.active.is_(True)).order_by(users.c.name)
    )
    return [r.name for r in rows if may(Role(r.role), Permission.work_cases)]
