"""The service's own bookkeeping: model reloads asked of every worker, web sessions, request
counts for the shared rate limit, and the audit log. They share the portfolio tables' metadata
(`service.store.tables` imports this module, so migrations and comparisons see them)."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from service.store.table_types import UTCDateTime, metadata

# Each POST /models/reload adds a row; every worker process polls for a newer one and reloads,
# so one request reaches all workers of the service (and every instance sharing the database).
model_reloads = Table(
    "model_reloads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("requested_by", String(200), nullable=False),
    Column("requested_at", UTCDateTime(), nullable=False),
)

# Requests per user and minute, summed over every worker process and instance sharing the
# database: each adds its own count every fraction of a second and reads the sum back
# (service.access.rate_limits).
request_counts = Table(
    "request_counts",
    metadata,
    Column("user_name", String(200), primary_key=True),
    Column("minute", Integer, primary_key=True),
    Column("requests", Integer, nullable=False),
)

# Web sign-ins: the cookie holds a random session id; the database keeps its hash, who it is for,
# when it ends and the CSRF token its forms and scripts must send back.
ui_sessions = Table(
    "ui_sessions",
    metadata,
    Column("id_hash", String(64), primary_key=True),
    Column("user_name", String(200), ForeignKey("users.name", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("revoked_at", UTCDateTime()),
)

# Append-only record of every write and every read of PII: who, when, what, which case, from
# where. Triggers refuse updates and deletes in both databases.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", UTCDateTime(), nullable=False),
    Column("user_name", String(200)),
    Column("role", String(40)),
    Column("method", String(10), nullable=False),
    Column("route", String(200), nullable=False),
    Column("status", Integer, nullable=False),
    Column("case_id", String(40)),
    Column("business_id", String(200)),
    Column("client", String(64)),
    Column("request_id", String(64)),
    Index("ix_audit_log_at", "at"),
    Index("ix_audit_log_case", "case_id"),
)
