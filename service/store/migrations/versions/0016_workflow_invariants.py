"""the workflow's invariants kept by the database: one plan in effect per case, decisions and
plans only on open cases, note edits against the version they read

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 14:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables whose rows may only be added to an open case.
ON_OPEN_CASES = ("decisions", "case_plans")
CLOSED = "closed"
MESSAGE = "case is closed"


def _sqlite_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER {table}_open_case BEFORE INSERT ON {table} "
        f"WHEN (SELECT status FROM cases WHERE case_id = NEW.case_id) = '{CLOSED}' "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
    )


POSTGRESQL_FUNCTION = f"""CREATE FUNCTION only_open_cases() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF (SELECT status FROM cases WHERE case_id = NEW.case_id) = '{CLOSED}' THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$"""


def upgrade() -> None:
    with op.batch_alter_table("case_plans") as batch:
        batch.add_column(sa.Column("ended_at", sa.DateTime(timezone=True)))
    # Plans put into effect twice by requests racing each other: the first stays in effect,
    # the later ones are ended when they began (kept, with their repayments, for the record).
    op.execute(
        "UPDATE case_plans SET ended_at = created_at WHERE id <> "
        "(SELECT min(first.id) FROM case_plans AS first WHERE first.case_id = case_plans.case_id)"
    )
    op.create_index(
        "uq_case_plans_in_effect", "case_plans", ["case_id"], unique=True,
        sqlite_where=sa.text("ended_at IS NULL"), postgresql_where=sa.text("ended_at IS NULL"),
    )  # fmt: skip
    with op.batch_alter_table("case_notes") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRESQL_FUNCTION)
        for table in ON_OPEN_CASES:
            op.execute(
                f"CREATE TRIGGER {table}_open_case BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION only_open_cases()"
            )
    else:
        for table in ON_OPEN_CASES:
            op.execute(_sqlite_trigger(table))


def downgrade() -> None:
    for table in ON_OPEN_CASES:
        suffix = f" ON {table}" if op.get_bind().dialect.name == "postgresql" else ""
        op.execute(f"DROP TRIGGER {table}_open_case{suffix}")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION only_open_cases()")
    with op.batch_alter_table("case_notes") as batch:
        batch.drop_column("version")
    op.drop_index("uq_case_plans_in_effect", table_name="case_plans")
    with op.batch_alter_table("case_plans") as batch:
        batch.drop_column("ended_at")
