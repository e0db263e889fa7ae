"""the queue's counts, orders and province filter read indexes, not the whole table

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DESCENDING = ("priority", "distress_probability")


def _descending_indexes() -> list[tuple[str, sa.TextClause]]:
    """SQLite puts empty values last in a descending index and refuses NULLS LAST;
    PostgreSQL needs it said."""
    dialect = op.get_bind().dialect.name
    order = "DESC NULLS LAST" if dialect == "postgresql" else "DESC"
    return [(f"ix_cases_{column}_{dialect}", sa.text(f"{column} {order}")) for column in DESCENDING]


def upgrade() -> None:
    op.create_index(
        "ix_cases_counts", "cases", ["triage", "risk_band", "status", "case_id", "business_id"]
    )
    op.create_index("ix_cases_received", "cases", ["received_at", "case_id"])
    op.create_index("ix_cases_received_desc", "cases", [sa.text("received_at DESC"), "case_id"])
    op.create_index("ix_cases_province", "cases", [sa.text("lower(province)")])
    for name, order in _descending_indexes():
        op.create_index(name, "cases", [order, "case_id"])


def downgrade() -> None:
    for name, _order in _descending_indexes():
        op.drop_index(name, table_name="cases")
    for name in (
        "ix_cases_province",
        "ix_cases_received_desc",
        "ix_cases_received",
        "ix_cases_counts",
    ):
        op.drop_index(name, table_name="cases")
