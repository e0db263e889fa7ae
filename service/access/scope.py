"""Which records a user reaches: one predicate per role, built from what `service.kit.roles`
declares the role is scoped by, and used by every read and every write.

A user of an unscoped role reaches everything. A scoped user reaches a record when each of
their values (province, intake centre, lender) equals the record's own, and reaches nothing when
the record does not carry a dimension they hold a value for, or when they hold no value at all.
A business is reached through its cases: it is in scope when one of its cases is, and a business
with no case at all by its own columns.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, Table, and_, exists, false, or_, select

from service.kit.errors import ForbiddenError
from service.kit.roles import User
from service.store.tables import businesses, cases


def _matches(user: User, has: Any, value_of: Any) -> list[Any] | None:
    """The equalities a record must meet for the user, or None when it cannot be reached.
    `has(name)` says whether the record carries a dimension; `value_of(name)` gives it."""
    held = {by.value: value for by, value in user.scope.items() if value}
    if not held or any(not has(name) for name in held):
        return None
    return [value_of(name) == value for name, value in held.items()]


def condition(user: User, table: Table) -> ColumnElement[bool] | None:
    """The rows of `table` the user reaches, as a WHERE condition; None when unscoped."""
    if not user.scope:
        return None
    matches = _matches(user, table.c.__contains__, table.c.__getitem__)
    return false() if matches is None else and_(*matches)


def scoped(query: Select[Any], user: User, table: Table = cases) -> Select[Any]:
    """Only the rows of `table` (the cases, their counts, the applications) the user reaches."""
    where = condition(user, table)
    return query if where is None else query.where(where)


def business_condition(user: User) -> ColumnElement[bool] | None:
    """The businesses the user reaches: one of their cases is in scope, or they have no case
    and their own columns are."""
    case_where = condition(user, cases)
    if case_where is None:
        return None
    of_business = cases.c.business_id == businesses.c.business_id
    own = condition(user, businesses)
    caseless = ~exists().where(of_business)
    return or_(
        exists().where(of_business).where(case_where),
        and_(caseless, own if own is not None else false()),
    )


def check_business(connection: Connection, user: User, business_id: str) -> None:
    """403 unless the business on record is in the user's scope."""
    where = business_condition(user)
    if where is None:
        return
    found = connection.execute(
        select(businesses.c.business_id).where(businesses.c.business_id == business_id).where(where)
    ).first()
    if found is None:
        raise ForbiddenError(f"business {business_id} is on record outside your scope")


def check_values(user: User, values: Mapping[str, Any], what: str) -> None:
    """403 unless each value a write sets for a dimension the user is held to (a new case's
    province and intake centre, a business's new province) is the user's own: a write may not
    move a record out of the scope it was reached in."""
    held_values = {by.value: value for by, value in user.scope.items() if value}
    if any(name in values and values[name] != value for name, value in held_values.items()):
        held = ", ".join(f"{by.value} {value}" for by, value in user.scope.items() if value)
        raise ForbiddenError(f"{what} is outside your scope ({held or 'none'})")
