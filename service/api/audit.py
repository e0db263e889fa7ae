"""The audit log, for admins: who did what, when, to which case, from where."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from service.api.deps import Auditor, Conn
from service.kit.audit import read_audit
from service.kit.schemas import Day

router = APIRouter(tags=["audit"])


@router.get("/audit")
def audit_log(
    connection: Conn,
    user: Auditor,
    who: Annotated[str | None, Query(alias="user", max_length=200)] = None,
    case_id: Annotated[str | None, Query(max_length=40)] = None,
    since: Day | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """The newest audit rows first; filter by user, case and time."""
    start = dt.datetime.combine(since, dt.time(), dt.UTC) if since else None
    return read_audit(connection, user=who, case_id=case_id, since=start, limit=limit)
