"""the centre's follow-ups on a loan application: contacted, documents received, escalated

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 02:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "application_followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("by", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"], ["loan_applications.application_id"],
            name=op.f("fk_application_followups_application_id_loan_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_followups")),
    )  # fmt: skip
    op.create_index("ix_application_followups_application", "application_followups",
                    ["application_id"])  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_application_followups_application", table_name="application_followups")
    op.drop_table("application_followups")
