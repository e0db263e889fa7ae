"""facilities say what secures them (real estate can be warehoused)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 22:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("debts") as batch:
        batch.add_column(sa.Column("collateral_type", sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("debts") as batch:
        batch.drop_column("collateral_type")
