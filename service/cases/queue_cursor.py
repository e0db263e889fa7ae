"""Keyset cursors for the queue: the last row's sort value and case id, opaque to clients.

A page after a cursor starts where the one before ended however deep it is, and a case
registered meanwhile neither repeats nor hides a row the way a shifted offset does."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Any

from sqlalchemy import Column, ColumnElement, Date, Float, and_, or_

from service.kit.errors import InvalidInputError
from service.store.table_types import UTCDateTime
from service.store.tables import cases

FIELD = ("query", "after")


def encode_cursor(sort: str, value: Any, case_id: str) -> str:
    if isinstance(value, dt.date):  # dates and timestamps
        value = value.isoformat()
    raw = json.dumps([sort, value, case_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(token: str, sort: str, column: Column[Any]) -> tuple[Any, str]:
    """The sort value (typed as the column holds it) and case id a cursor carries; a cursor
    that is damaged or belongs to another order is refused."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        given_sort, value, case_id = json.loads(raw)
    except (ValueError, TypeError, binascii.Error):
        raise InvalidInputError.field(FIELD, "not a cursor the queue gave") from None
    if given_sort != sort:
        raise InvalidInputError.field(FIELD, f"a cursor for the order {given_sort!r}, not {sort!r}")
    if not isinstance(case_id, str):
        raise InvalidInputError.field(FIELD, "not a cursor the queue gave")
    return _typed(value, column), case_id


def _typed(value: Any, column: Column[Any]) -> Any:
    if value is None and column.nullable:
        return None
    try:
        if isinstance(column.type, UTCDateTime) and isinstance(value, str):
            moment = dt.datetime.fromisoformat(value)
            if moment.tzinfo is not None:
                return moment
        elif isinstance(column.type, Date) and isinstance(value, str):
            return dt.date.fromisoformat(value)
        elif isinstance(column.type, Float):
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
        elif isinstance(value, str):
            return value
    except ValueError:
        pass
    raise InvalidInputError.field(FIELD, f"not a cursor the queue gave ({column.name})")


def after_condition(
    column: Column[Any], descending: bool, value: Any, case_id: str
) -> ColumnElement[bool]:
    """The rows that follow (value, case_id) in the order `column` (empty values last), then
    case id."""
    tie = cases.c.case_id > case_id
    if value is None:
        return and_(column.is_(None), tie)
    beyond = column < value if descending else column > value
    follows = or_(beyond, and_(column == value, tie))
    return or_(follows, column.is_(None)) if column.nullable else follows
