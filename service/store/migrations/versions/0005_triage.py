"""cases carry their triage class and its reasons

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 23:55:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("triage", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("triage_reasons", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("triage_reasons")
        batch.drop_column("triage")
