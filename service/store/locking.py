"""A case's row held for the rest of the request's transaction: the check-then-write steps of the
workflow (close a case, decide, put a plan into effect, record an outcome) run one at a time per
case, and each stamps its time only once it holds the row, so the stamps follow the order in
which the writes took effect."""

from __future__ import annotations

from sqlalchemy import Connection, select, update

from service.store.tables import cases


def lock_case(connection: Connection, case_id: str) -> None:
    """Hold the case's row until the transaction ends (nothing is changed).

    PostgreSQL locks the row. SQLite has no row locks: a write statement that changes nothing
    takes the database's write lock, which every other writer then waits for, and the reads
    after it see every committed write."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            select(cases.c.case_id).where(cases.c.case_id == case_id).with_for_update()
        )
    else:
        connection.execute(
            update(cases).where(cases.c.case_id == case_id).values(updated_at=cases.c.updated_at)
        )
