"""the queue's counts are kept per scope, status, triage class and band by triggers

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 05:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTED = ("intake_centre", "province", "status", "triage", "risk_band")
KEY = ", ".join(COUNTED)


def _values(row: str) -> str:
    return ", ".join(f"coalesce({row}.{c}, '')" for c in COUNTED)


def _add(row: str) -> str:
    return (
        f"INSERT INTO case_counts ({KEY}, cases) VALUES ({_values(row)}, 1) "
        f"ON CONFLICT ({KEY}) DO UPDATE SET cases = case_counts.cases + 1;"
    )


def _take(row: str) -> str:
    match = " AND ".join(f"{c} = coalesce({row}.{c}, '')" for c in COUNTED)
    return f"UPDATE case_counts SET cases = cases - 1 WHERE {match};"


MOVED = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COUNTED)
SQLITE = (
    f"CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN {_add('NEW')} END",
    f"CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN {_take('OLD')} END",
    f"CREATE TRIGGER case_counts_update AFTER UPDATE OF {KEY} ON cases "
    f"WHEN {MOVED.replace('IS DISTINCT FROM', 'IS NOT')} "
    f"BEGIN {_take('OLD')} {_add('NEW')} END",
)
POSTGRESQL = (
    f"""CREATE FUNCTION case_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NOT ({MOVED}) THEN
            RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            {_take("OLD")}
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            {_add("NEW")}
        END IF;
        RETURN NULL;
    END $$""",
    f"CREATE TRIGGER case_counts_follow AFTER INSERT OR DELETE OR UPDATE OF {KEY} ON cases "
    "FOR EACH ROW EXECUTE FUNCTION case_counts_follow()",
)


def upgrade() -> None:
    op.create_table(
        "case_counts",
        *(sa.Column(c, sa.String(200), primary_key=True) for c in COUNTED),
        sa.Column("cases", sa.Integer, nullable=False),
    )
    op.execute(
        f"INSERT INTO case_counts ({KEY}, cases) "
        f"SELECT {_values('cases')}, count(*) FROM cases GROUP BY {_values('cases')}"
    )
    for statement in POSTGRESQL if op.get_bind().dialect.name == "postgresql" else SQLITE:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER case_counts_follow ON cases")
        op.execute("DROP FUNCTION case_counts_follow()")
    else:
        for event in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER case_counts_{event}")
    op.drop_table("case_counts")
