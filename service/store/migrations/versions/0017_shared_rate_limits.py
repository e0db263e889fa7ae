"""requests per user and minute, shared by every worker and instance of the service

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "request_counts",
        sa.Column("user_name", sa.String(length=200), nullable=False),
        sa.Column("minute", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("user_name", "minute", name=op.f("pk_request_counts")),
    )


def downgrade() -> None:
    op.drop_table("request_counts")
