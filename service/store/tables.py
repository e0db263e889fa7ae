"""Database tables. Portfolio tables are derived from the documented schema (features.schema),
so the database, the files and the API accept exactly the same columns."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)

import service.store.bookkeeping_tables  # noqa: F401 (its tables join the same metadata)
from features.schema import (
    APPLICATION_STATUS_HISTORY,
    BUSINESSES,
    DEBTS,
    FINANCIAL_STATEMENTS,
    LOAN_APPLICATIONS,
)
from features.schema import Column as SchemaColumn
from features.schema import Table as SchemaTable
from service.store.table_types import UTCDateTime, metadata


def _sql_type(column: SchemaColumn) -> Any:
    if column.money:
        return Numeric(18, 2, asdecimal=False)
    return {
        "int": Integer,
        "float": Float,
        "date": Date,
        "bool": Boolean,
    }.get(column.kind, String(200))


def _from_schema(table: SchemaTable, *extra: Any, primary_key: tuple[str, ...] = ()) -> Table:
    pk = primary_key or table.key
    columns = []
    for c in table.columns:
        fk = []
        if c.name == "business_id" and table.name != "businesses":
            fk = [ForeignKey("businesses.business_id", ondelete="CASCADE")]
        if c.name == "application_id" and table.name == "application_status_history":
            fk = [ForeignKey("loan_applications.application_id", ondelete="CASCADE")]
        columns.append(
            Column(c.name, _sql_type(c), *fk, primary_key=c.name in pk, nullable=c.nullable)
        )
    return Table(table.name, metadata, *columns, *extra)


businesses = _from_schema(BUSINESSES)
financial_statements = _from_schema(FINANCIAL_STATEMENTS)
debts = _from_schema(DEBTS, Index("ix_debts_business", "business_id"))
loan_applications = _from_schema(
    LOAN_APPLICATIONS,
    Index("ix_loan_applications_business", "business_id"),
    Index("ix_loan_applications_lender_status", "lender", "status"),
)
application_status_history = _from_schema(APPLICATION_STATUS_HISTORY)

PORTFOLIO_TABLES = {
    t.name: t
    for t in (
        businesses,
        financial_statements,
        debts,
        loan_applications,
        application_status_history,
    )
}

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(40), nullable=False),
    Column("lender", String(200)),
    Column("intake_centre", String(200)),
    Column("province", String(100)),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime()),
)

COUNTED = ("intake_centre", "province", "status", "triage", "risk_band")
cases = Table(
    "cases",
    metadata,
    Column("case_id", String(40), primary_key=True),
    Column("business_id", String(200), ForeignKey("businesses.business_id"), nullable=False),
    Column("channel", String(40), nullable=False),
    Column("intake_centre", String(200)),
    Column("province", String(100)),
    Column("received_at", Date, nullable=False),
    Column("problem_types", String(400)),
    Column("status", String(40), nullable=False),
    Column("idempotency_key", String(200)),
    Column("request_hash", String(64)),
    Column("created_by", String(200)),
    Column("distress_probability", Float),
    Column("risk_band", String(2)),
    Column("triage", String(30)),
    Column("triage_reasons", JSON),
    Column("best_feasibility", Float),
    Column("priority", Float),
    Column("updated_at", UTCDateTime()),
    Column("assigned_to", String(200)),
    Column("status_since", UTCDateTime()),
    Index("ix_cases_queue", "status", "priority"),
    Index("ix_cases_assigned_to", "assigned_to"),
    # Every column the queue's counts read, its search included: they scan this, not the rows.
    Index("ix_cases_counts", "triage", "risk_band", "status", "case_id", "business_id"),
    Index("ix_cases_received", "received_at", "case_id"),
    # Idempotency keys are each user's own: another user's key neither answers nor conflicts.
    UniqueConstraint("created_by", "idempotency_key", name="uq_cases_created_by_idempotency_key"),
)

# The cases in each scope, status, triage class and band, kept by triggers on `cases` in the
# writing transaction (migration 0015): the queue's counts sum these rows. '' stands for empty.
case_counts = Table(
    "case_counts", metadata,
    *(Column(name, String(200), primary_key=True) for name in COUNTED),
    Column("cases", Integer, nullable=False),
)  # fmt: skip
Index("ix_cases_received_desc", cases.c.received_at.desc(), cases.c.case_id)
Index("ix_cases_province", func.lower(cases.c.province))
# The queue's descending orders with empty values last: SQLite puts them last by itself and
# refuses NULLS LAST in an index; PostgreSQL needs it said. Index name -> the one dialect.
DIALECT_INDEXES: dict[str, str] = {}
for _column in (cases.c.priority, cases.c.distress_probability):
    for _dialect, _order in (
        ("sqlite", _column.desc()),
        ("postgresql", _column.desc().nulls_last()),
    ):
        _name = f"ix_cases_{_column.name}_{_dialect}"
        Index(_name, _order, cases.c.case_id).ddl_if(dialect=_dialect)
        DIALECT_INDEXES[_name] = _dialect
# The queue's search finds names anywhere inside them: on PostgreSQL a trigram index (pg_trgm,
# where the server has it) answers ILIKE '%term%' without reading every name.
Index(
    "ix_businesses_name_trgm", businesses.c.name, postgresql_using="gin",
    postgresql_ops={"name": "gin_trgm_ops"},
).ddl_if(dialect="postgresql")  # fmt: skip
DIALECT_INDEXES["ix_businesses_name_trgm"] = "postgresql"

case_status_changes = Table(
    "case_status_changes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("from_status", String(40)),
    Column("to_status", String(40), nullable=False),
    Column("changed_by", String(200), nullable=False),
    Column("changed_at", UTCDateTime(), nullable=False),
    Column("note", Text),
)

case_assignments = Table(
    "case_assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("assigned_to", String(200)),  # None: unassigned
    Column("assigned_by", String(200), nullable=False),
    Column("assigned_at", UTCDateTime(), nullable=False),
)

case_notes = Table(
    "case_notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("author", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime()),
    # Raised by every edit: an edit names the version it read, and one that read an older
    # version changes nothing (service.casework.notes).
    Column("version", Integer, nullable=False, server_default="1"),
    Index("ix_case_notes_case", "case_id"),
)

case_note_edits = Table(
    "case_note_edits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("note_id", Integer, ForeignKey("case_notes.id", ondelete="CASCADE"), nullable=False),
    Column("previous_body", Text, nullable=False),
    Column("edited_by", String(200), nullable=False),
    Column("edited_at", UTCDateTime(), nullable=False),
)

case_documents = Table(
    "case_documents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("document", String(60), nullable=False),
    Column("requested_at", UTCDateTime()),
    Column("requested_by", String(200)),
    Column("received_at", UTCDateTime()),
    Column("received_by", String(200)),
    UniqueConstraint("case_id", "document", name="uq_case_documents_case_id"),
)

assessments = Table(
    "assessments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("distress_probability", Float, nullable=False),
    Column("risk_band", String(2), nullable=False),
    Column("distress_model_version", String(40), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("features", JSON, nullable=False),
    Index("ix_assessments_case", "case_id"),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("path", String(40), nullable=False),
    # The path ranked first when the decision was made; the decision overrides the model when
    # it differs (computed, never declared).
    Column("recommended_path", String(40)),
    Column("overrides_model", Boolean, nullable=False),
    Column("reason", Text),
    Column("assessment_id", Integer, ForeignKey("assessments.id")),
    Column("decided_by", String(200), nullable=False),
    Column("decided_at", UTCDateTime(), nullable=False),
)

case_plans = Table(
    "case_plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("decision_id", Integer, ForeignKey("decisions.id"), nullable=False),
    Column("path", String(40), nullable=False),
    Column("first_due", Date, nullable=False),
    Column("option", JSON, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("ended_at", UTCDateTime()),
    Index("ix_case_plans_case", "case_id"),
    # At most one plan in effect per case, however many requests race to put one in.
    Index(
        "uq_case_plans_in_effect",
        "case_id",
        unique=True,
        sqlite_where=text("ended_at IS NULL"),
        postgresql_where=text("ended_at IS NULL"),
    ),
)

plan_installments = Table(
    "plan_installments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("case_plans.id", ondelete="CASCADE"), nullable=False),
    Column("creditor", String(200), nullable=False),
    Column("due_date", Date, nullable=False),
    Column("amount", Float, nullable=False),
    Index("ix_plan_installments_plan", "plan_id"),
)

repayments = Table(
    "repayments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Integer, ForeignKey("case_plans.id", ondelete="CASCADE"), nullable=False),
    Column("creditor", String(200), nullable=False),
    Column("paid_at", Date, nullable=False),
    Column("amount", Float, nullable=False),
    Column("source", String(20), nullable=False),  # api or csv
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    Index("ix_repayments_plan", "plan_id"),
)

case_referrals = Table(
    "case_referrals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("agency", String(200), nullable=False),
    Column("programme", String(200)),
    Column("contact", String(200)),
    Column("sent_on", Date, nullable=False),
    Column("follow_up_on", Date, nullable=False),
    Column("result", Text),
    Column("result_at", UTCDateTime()),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

case_milestones = Table(
    "case_milestones",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("owner", String(200), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("done_at", UTCDateTime()),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# A creditors' vote on a plan: who voted how, on what claim, and the tally as the procedure
# counts it (models.plans.creditor_vote). Append-only: a new meeting is a new row.
creditor_meetings = Table(
    "creditor_meetings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("procedure", String(40), nullable=False),
    Column("meeting_on", Date, nullable=False),
    Column("votes", JSON, nullable=False),
    Column("tally", JSON, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
)

application_followups = Table(
    "application_followups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "application_id",
        String(200),
        ForeignKey("loan_applications.application_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("action", String(40), nullable=False),
    Column("note", Text),
    Column("by", String(200), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_application_followups_application", "application_id"),
)

intake_drafts = Table(
    "intake_drafts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("saved_at", UTCDateTime(), nullable=False),
    Index("ix_intake_drafts_owner", "owner"),
)

recorded_outcomes = Table(
    "recorded_outcomes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", String(40), ForeignKey("cases.case_id", ondelete="CASCADE"), nullable=False),
    Column("business_id", String(200), nullable=False),
    Column("as_of", Date, nullable=False),
    Column("distress_12m", Boolean),
    Column("performing_12m", Boolean),
    Column("note", Text),
    Column("recorded_by", String(200), nullable=False),
    Column("recorded_at", UTCDateTime(), nullable=False),
    UniqueConstraint("case_id", "as_of", name="uq_recorded_outcomes_case_as_of"),
)
