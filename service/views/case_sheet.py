"""What an analyst decides on, read from the records of a case's business: its latest
statements (and how old they are), the facilities of its latest snapshot, its applications as
they stand today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, RowMapping, func, select

from service.casework.liaison import applications_today
from service.store.tables import debts, financial_statements, loan_applications


@dataclass(frozen=True)
class CaseSheet:
    statements: list[RowMapping]
    statement_age_days: int | None
    stale: bool
    facilities: list[RowMapping]
    applications: list[dict[str, Any]]


def case_sheet(
    connection: Connection,
    business_id: str,
    today: dt.date,
    sla: Mapping[str, int],
    stale_after_days: int,
) -> CaseSheet:
    statements = list(
        connection.execute(
            select(financial_statements)
            .where(financial_statements.c.business_id == business_id)
            .order_by(financial_statements.c.fiscal_year.desc())
            .limit(3)
        ).mappings()
    )[::-1]
    latest_end = max((s["period_end"] for s in statements if s["period_end"]), default=None)
    age = (today - latest_end).days if latest_end else None
    snapshot = (
        select(func.max(debts.c.as_of))
        .where(debts.c.business_id == business_id)
        .where(debts.c.as_of <= today)
        .scalar_subquery()
    )
    facilities = list(
        connection.execute(
            select(debts)
            .where(debts.c.business_id == business_id)
            .where(debts.c.as_of == snapshot)
            .order_by(debts.c.outstanding.desc())
        ).mappings()
    )
    return CaseSheet(
        statements, age, age is None or age > stale_after_days, facilities,
        sorted(
            applications_today(
                connection, loan_applications.c.business_id == business_id, sla, today
            ),
            key=lambda a: a["submitted_at"],
            reverse=True,
        ),
    )  # fmt: skip
