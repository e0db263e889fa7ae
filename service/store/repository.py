"""Moving portfolio rows between the database and the DataFrames the feature code reads."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, delete, insert, select, tuple_

from features import Portfolio
from service.store.tables import (
    PORTFOLIO_TABLES,
    application_status_history,
    businesses,
    debts,
    financial_statements,
    loan_applications,
)

CHUNK = 5_000


def _cell(value: Any) -> Any:
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value.item() if isinstance(value, np.generic) else value


def _records(frame: pd.DataFrame, table: Table) -> list[dict[str, Any]]:
    """Rows ready for insert: only the table's columns, NaN/NaT as NULL, dates as dates.

    Cell by cell in Python: `to_dict` visits every cell anyway, and a frame-wide cast costs
    milliseconds per column on the few rows an intake brings."""
    columns = [c.name for c in table.columns if c.name in frame.columns]
    return [
        {column: _cell(value) for column, value in zip(columns, row, strict=True)}
        for row in frame[columns].itertuples(index=False, name=None)
    ]


def _insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        connection.execute(insert(table), rows[start : start + CHUNK])


def insert_rows(connection: Connection, name: str, frame: pd.DataFrame) -> None:
    """Insert rows of a portfolio table as they are (the caller checked they are new)."""
    table = PORTFOLIO_TABLES[name]
    _insert(connection, table, _records(frame, table))


def save_portfolio(connection: Connection, portfolio: Portfolio) -> dict[str, int]:
    """Upsert a validated portfolio's rows, table by table, replacing rows with the same key."""
    counts: dict[str, int] = {}
    for name, table in PORTFOLIO_TABLES.items():
        if name not in portfolio.supplied:
            continue
        frame = portfolio.tables[name]
        if name == "businesses":
            frame = _update_known_businesses(connection, frame)
        else:
            _delete_same_keys(connection, name, table, frame)
        _insert(connection, table, _records(frame, table))
        counts[name] = len(portfolio.tables[name])
    return counts


def _update_known_businesses(connection: Connection, frame: pd.DataFrame) -> pd.DataFrame:
    """Update businesses already on record (their rows are referred to); return the new ones."""
    ids = frame["business_id"].tolist()
    known: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        query = select(businesses.c.business_id).where(
            businesses.c.business_id.in_(ids[start : start + CHUNK])
        )
        known |= set(connection.execute(query).scalars())
    is_known = frame["business_id"].isin(known)
    for row in _records(frame[is_known], businesses):
        connection.execute(
            businesses.update().where(businesses.c.business_id == row["business_id"]), row
        )
    return frame[~is_known]


_KEYS = {
    "financial_statements": ("business_id", "fiscal_year"),
    "debts": ("facility_id", "as_of"),
    "application_status_history": ("application_id", "status", "changed_at"),
}


def _delete_same_keys(connection: Connection, name: str, table: Table, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    if name == "loan_applications":
        # An application comes with its own history: replace both.
        ids = frame["application_id"].tolist()
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            history = application_status_history.c.application_id
            connection.execute(delete(application_status_history).where(history.in_(chunk)))
            connection.execute(delete(table).where(table.c.application_id.in_(chunk)))
        return
    keys = _KEYS[name]
    values = [tuple(record[k] for k in keys) for record in _records(frame, table)]
    columns = tuple_(*(table.c[k] for k in keys))
    for start in range(0, len(values), CHUNK):
        connection.execute(delete(table).where(columns.in_(values[start : start + CHUNK])))


def business_tables(connection: Connection, business_ids: Iterable[str]) -> dict[str, pd.DataFrame]:
    """Every portfolio row of some businesses, as the DataFrames `frames_to_portfolio` takes."""
    ids = list(business_ids)
    tables: dict[str, pd.DataFrame] = {}
    for name, table in (
        ("businesses", businesses),
        ("financial_statements", financial_statements),
        ("debts", debts),
        ("loan_applications", loan_applications),
    ):
        query = select(table).where(table.c.business_id.in_(ids))
        tables[name] = pd.DataFrame(
            connection.execute(query).mappings().all(), columns=[c.name for c in table.columns]
        )
    app_ids = tables["loan_applications"]["application_id"].tolist()
    history = select(application_status_history).where(
        application_status_history.c.application_id.in_(app_ids)
    )
    tables["application_status_history"] = pd.DataFrame(
        connection.execute(history).mappings().all(),
        columns=[c.name for c in application_status_history.columns],
    )
    return tables
