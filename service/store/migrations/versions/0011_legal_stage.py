"""facilities carry how far the lender has gone to collect

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 04:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("debts") as batch:
        batch.add_column(sa.Column("legal_stage", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("debts") as batch:
        batch.drop_column("legal_stage")
