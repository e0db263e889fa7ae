"""intake drafts: a case an intake officer has started to enter and saved to finish later

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 02:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "intake_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_drafts")),
    )
    op.create_index("ix_intake_drafts_owner", "intake_drafts", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_intake_drafts_owner", table_name="intake_drafts")
    op.drop_table("intake_drafts")
