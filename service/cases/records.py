"""A business's rows on record, changed only within the caller's scope.

Registering a case adds what is new about its business (a new year of statements, a new
facility snapshot, a new application) and never rewrites what is on record: a row that differs
from the stored one is a conflict, and a facility or application that belongs to another
business is refused. Replacing a business's rows is its own, explicit and scoped call.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection, delete, select

from features import Portfolio
from features.schema import TABLES
from service.access.scope import check_business, check_values
from service.kit.errors import ConflictError
from service.kit.roles import User
from service.scoring.scoring import checked_portfolio
from service.store.repository import business_tables, insert_rows, save_portfolio
from service.store.tables import PORTFOLIO_TABLES, businesses, debts, loan_applications

# The rows of a business a payload carries, by their key on record.
KEYS = {
    "businesses": ("business_id",),
    "financial_statements": ("business_id", "fiscal_year"),
    "debts": ("facility_id", "as_of"),
    "loan_applications": ("application_id",),
}
# Keys that name one business's record and may not be claimed by another.
OWNED = {
    "debts": (debts, "facility_id"),
    "loan_applications": (loan_applications, "application_id"),
}


def _cell(value: Any) -> Any:
    """A cell as compared with the stored one: money to the satang, dates as dates."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date()
    if hasattr(value, "item"):
        return _cell(value.item())
    return value


def _rows(frame: pd.DataFrame, name: str) -> list[tuple[tuple[Any, ...], tuple[Any, ...]]]:
    """(key, every cell) of each row, in order."""
    columns = [c.name for c in TABLES[name].columns]
    return [
        (tuple(_cell(r[k]) for k in KEYS[name]), tuple(_cell(r[c]) for c in columns))
        for r in frame.to_dict("records")
    ]


def _claimed_elsewhere(connection: Connection, portfolio: Portfolio, business_id: str) -> None:
    for name, (table, column) in OWNED.items():
        ids = portfolio.tables[name][column].dropna().unique().tolist()
        if not ids:
            continue
        taken = connection.execute(
            select(table.c[column])
            .where(table.c[column].in_(ids))
            .where(table.c.business_id != business_id)
        ).scalars()
        for taken_id in taken:
            raise ConflictError(f"{column} {taken_id} belongs to another business")


def _on_record(connection: Connection, business_id: str) -> bool:
    found = connection.execute(
        select(businesses.c.business_id).where(businesses.c.business_id == business_id)
    ).first()
    return found is not None


@dataclass(frozen=True)
class NewRows:
    """The payload's rows that are not on record yet, and the business as it stands once they
    are added (what its assessment reads)."""

    fresh: dict[str, pd.DataFrame]
    record: Portfolio


def new_business_rows(connection: Connection, user: User, portfolio: Portfolio) -> NewRows:
    """Which of the payload's rows are new; refuse when a row differs from the one on record,
    belongs to another business, or the business is outside the scope. Only reads."""
    business_id = str(portfolio.businesses["business_id"].iloc[0])
    known = _on_record(connection, business_id)
    if known:
        check_business(connection, user, business_id)
    _claimed_elsewhere(connection, portfolio, business_id)
    stored_frames = business_tables(connection, [business_id]) if known else None
    stored = checked_portfolio(stored_frames) if stored_frames is not None else None
    fresh: dict[str, pd.DataFrame] = {}
    for name in KEYS:
        on_record = dict(_rows(stored.tables[name], name)) if stored is not None else {}
        positions = []
        for position, (key, values) in enumerate(_rows(portfolio.tables[name], name)):
            if key not in on_record:
                positions.append(position)
            elif on_record[key] != values:
                what = ", ".join(str(k) for k in key)
                raise ConflictError(
                    f"{name} {what} differs from the row on record; "
                    f"replace the business's rows with PUT /businesses/{business_id}"
                )
        fresh[name] = portfolio.tables[name].iloc[positions]
    if stored_frames is None:
        # A new business on record is exactly the payload, with no application history yet.
        record = Portfolio(portfolio.tables, portfolio.supplied | {"application_status_history"})
    else:
        merged = {
            name: pd.concat([frame, fresh[name]]) if len(fresh.get(name, ())) else frame
            for name, frame in stored_frames.items()
        }
        record = checked_portfolio(merged)
    return NewRows(fresh, record)


def add_new_rows(connection: Connection, rows: NewRows) -> dict[str, int]:
    for name, frame in rows.fresh.items():
        insert_rows(connection, name, frame)
    return {name: len(frame) for name, frame in rows.fresh.items()}


def replace_business(connection: Connection, user: User, portfolio: Portfolio) -> dict[str, int]:
    """Replace every row of one business (its statements, facilities and applications with
    their histories) with the payload's, within the caller's scope."""
    business_id = str(portfolio.businesses["business_id"].iloc[0])
    if not _on_record(connection, business_id):
        raise ConflictError(f"no business {business_id} on record: register a case for it")
    check_business(connection, user, business_id)
    new_province = portfolio.businesses["province"].iloc[0]
    check_values(user, {"province": new_province}, f"business {business_id} in {new_province}")
    _claimed_elsewhere(connection, portfolio, business_id)
    for name in ("financial_statements", "debts", "loan_applications"):
        table = PORTFOLIO_TABLES[name]
        connection.execute(delete(table).where(table.c.business_id == business_id))
    return save_portfolio(connection, portfolio)
