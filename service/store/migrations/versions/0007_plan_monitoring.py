"""decided plans with their schedule per creditor, and the repayments recorded against them

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 02:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "case_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=40), nullable=False),
        sa.Column("first_due", sa.Date(), nullable=False),
        sa.Column("option", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name=op.f("fk_case_plans_case_id_cases"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"], ["decisions.id"], name=op.f("fk_case_plans_decision_id_decisions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_plans")),
    )  # fmt: skip
    op.create_index("ix_case_plans_case", "case_plans", ["case_id"])
    op.create_table(
        "plan_installments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("creditor", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["case_plans.id"], name=op.f("fk_plan_installments_plan_id_case_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_installments")),
    )  # fmt: skip
    op.create_index("ix_plan_installments_plan", "plan_installments", ["plan_id"])
    op.create_table(
        "repayments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("creditor", sa.String(length=200), nullable=False),
        sa.Column("paid_at", sa.Date(), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["case_plans.id"], name=op.f("fk_repayments_plan_id_case_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_repayments")),
    )  # fmt: skip
    op.create_index("ix_repayments_plan", "repayments", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_repayments_plan", table_name="repayments")
    op.drop_table("repayments")
    op.drop_index("ix_plan_installments_plan", table_name="plan_installments")
    op.drop_table("plan_installments")
    op.drop_index("ix_case_plans_case", table_name="case_plans")
    op.drop_table("case_plans")
