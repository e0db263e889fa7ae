"""search finds business names through a trigram index on PostgreSQL, not by reading them all

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 17:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (index, table, column). The queue's search also matches case and business ids anywhere
# inside, but next to its counts, which read every selected case's index entry anyway.
TRIGRAM = (("ix_businesses_name_trgm", "businesses", "name"),)


FOUND = (
    "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
    "WHERE e.extname = 'pg_trgm'"
)


def _trigram_schema() -> str | None:
    """Where pg_trgm lives, installed now if need be in a schema of its own (the service's
    schemas may be dropped and made again; the extension must outlive them). None on a server
    without it, or for a role that may not add it: search then reads every row, as before."""
    bind = op.get_bind()
    found = bind.execute(sa.text(FOUND)).scalar()
    if found is None:
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE SCHEMA IF NOT EXISTS extensions"))
                bind.execute(sa.text("CREATE EXTENSION pg_trgm WITH SCHEMA extensions"))
        except DBAPIError:
            pass  # not available, not allowed, or added meanwhile by another migration
        found = bind.execute(sa.text(FOUND)).scalar()
    return None if found is None else str(found)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = _trigram_schema()
    if schema is None:
        return
    for name, table, column in TRIGRAM:
        ops = {column: f'"{schema}".gin_trgm_ops'}
        op.create_index(name, table, [column], postgresql_using="gin", postgresql_ops=ops)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _table, _column in TRIGRAM:
        op.execute(f"DROP INDEX IF EXISTS {name}")
