"""The audit log: every write and every read of PII, who, when, what, which case, from where.

Rows are only ever added (the database refuses updates and deletes); an admin reads them
through `GET /audit` or `rescue audit`.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Connection, insert, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit.middleware import HttpMiddleware
from service.kit.roles import ROLES, Role
from service.store.bookkeeping_tables import audit_log
from service.store.db import Database

log = logging.getLogger(__name__)
SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))
# Requests that compute without storing anything: not writes.
NOT_WRITES = frozenset(("/score", "/score/batch"))
# The declaration a route or page that shows personal data (a name, a tax id, notes, decisions
# and their reasons, contacts) carries in its OpenAPI extras: `openapi_extra=PERSONAL_DATA`.
# A read of one is audited for the roles that see it unmasked;
# tests/service/kit/test_audit_declared.py fails on a route that shows a business's identity
# without it.
PERSONAL_DATA: dict[str, Any] = {"x-personal-data": True}


def shows_personal_data(route: Any) -> bool:
    return bool((getattr(route, "openapi_extra", None) or {}).get("x-personal-data"))


def audited(method: str, route: Any, role: str | None) -> bool:
    if method not in SAFE_METHODS:
        return getattr(route, "path", None) not in NOT_WRITES
    return shows_personal_data(route) and role is not None and ROLES[Role(role)].sees_pii


class AuditLog(HttpMiddleware):
    """ASGI middleware: one audit row per audited request, once it has been answered."""

    def __init__(self, app: ASGIApp, db: Database):
        super().__init__(app)
        self.db = db

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            state = scope.get("state", {})
            endpoint = scope.get("route")
            route = getattr(endpoint, "path", None)
            if (
                route is not None
                and state.get("user")
                and audited(scope["method"], endpoint, state.get("role"))
            ):
                row = {
                    "at": dt.datetime.now(dt.UTC), "user_name": state.get("user"),
                    "role": state.get("role"), "method": scope["method"], "route": route,
                    "status": status,
                    "case_id": scope.get("path_params", {}).get("case_id") or state.get("case_id"),
                    "business_id": state.get("business_id"),
                    "client": (scope.get("client") or ("",))[0][:64],
                    "request_id": state.get("request_id"),
                }  # fmt: skip
                await run_in_threadpool(self._write, row)

    def _write(self, row: dict[str, Any]) -> None:
        try:
            with self.db.engine.begin() as connection:
                connection.execute(insert(audit_log).values(**row))
        except Exception:  # the answer is sent already; a lost audit row must be visible
            log.exception("could not write the audit row for %s %s", row["method"], row["route"])


def read_audit(
    connection: Connection,
    *,
    user: str | None = None,
    case_id: str | None = None,
    since: dt.datetime | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """The newest audit rows first, filtered by user, case and time."""
    query = select(audit_log)
    if user:
        query = query.where(audit_log.c.user_name == user)
    if case_id:
        query = query.where(audit_log.c.case_id == case_id)
    if since:
        query = query.where(audit_log.c.at >= since)
    rows = connection.execute(query.order_by(audit_log.c.id.desc()).limit(limit)).mappings()
    return [dict(r) for r in rows]
