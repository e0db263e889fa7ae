"""case work: assignment with its history, the date a case entered its status, notes with their
edit history, and requested documents

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 01:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _case_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["case_id"], ["cases.case_id"], name=op.f(f"fk_{table}_case_id_cases"), ondelete="CASCADE"
    )


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("assigned_to", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("status_since", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_cases_assigned_to", ["assigned_to"])
    op.create_table(
        "case_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("assigned_to", sa.String(length=200), nullable=True),
        sa.Column("assigned_by", sa.String(length=200), nullable=False),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        _case_fk("case_assignments"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_assignments")),
    )
    op.create_table(
        "case_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("author", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        _case_fk("case_notes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_notes")),
    )
    op.create_index("ix_case_notes_case", "case_notes", ["case_id"])
    op.create_table(
        "case_note_edits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("previous_body", sa.Text(), nullable=False),
        sa.Column("edited_by", sa.String(length=200), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"], ["case_notes.id"], name=op.f("fk_case_note_edits_note_id_case_notes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_note_edits")),
    )  # fmt: skip
    op.create_table(
        "case_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=40), nullable=False),
        sa.Column("document", sa.String(length=60), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("requested_by", sa.String(length=200), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_by", sa.String(length=200), nullable=True),
        _case_fk("case_documents"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_documents")),
        sa.UniqueConstraint("case_id", "document", name=op.f("uq_case_documents_case_id")),
    )


def downgrade() -> None:
    op.drop_table("case_documents")
    op.drop_table("case_note_edits")
    op.drop_index("ix_case_notes_case", table_name="case_notes")
    op.drop_table("case_notes")
    op.drop_table("case_assignments")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_assigned_to")
        batch.drop_column("status_since")
        batch.drop_column("assigned_to")
