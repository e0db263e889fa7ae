"""Bank liaison: loan applications stalled past their lender's SLA, and lender summaries.

A bank liaison sees only their own lender's applications; asking for another lender is 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import numpy as np
import pandas as pd
from fastapi import APIRouter, Depends, HTTPException, Query, Request, status
from fastapi.responses import Response
from sqlalchemy import select

from features.schema import PENDING_STATUSES
from service import schemas
from service.auth import Role, User, require
from service.routes.cases import Conn
from service.tables import loan_applications

router = APIRouter(tags=["bank liaison"])
Liaison = Annotated[User, Depends(require(Role.bank_liaison, Role.analyst))]


def _lender_for(user: User, lender: str | None) -> str | None:
    if user.role is Role.bank_liaison:
        if lender is not None and lender != user.lender:
            raise HTTPException(status.HTTP_403_FORBIDDEN, "you may only see your own lender")
        return user.lender
    return lender


def _applications(connection, lender: str | None) -> pd.DataFrame:
    query = select(loan_applications)
    if lender is not None:
        query = query.where(loan_applications.c.lender == lender)
    rows = connection.execute(query).mappings().all()
    return pd.DataFrame(rows, columns=[c.name for c in loan_applications.columns])


def _stalled(apps: pd.DataFrame, sla: dict[str, int], today: dt.date) -> pd.DataFrame:
    pending = apps[apps["status"].isin(PENDING_STATUSES)].copy()
    submitted = pd.to_datetime(pending["submitted_at"])
    pending["days_pending"] = (pd.Timestamp(today) - submitted).dt.days.astype(int)
    pending["sla_days"] = pending["lender"].map(sla).fillna(sla["default"]).astype(int)
    pending["days_over_sla"] = pending["days_pending"] - pending["sla_days"]
    return pending


def _stalled_list(pending: pd.DataFrame) -> list[schemas.StalledApplication]:
    stalled = pending[pending["days_over_sla"] > 0].sort_values("days_over_sla", ascending=False)
    fields = list(schemas.StalledApplication.model_fields)
    records = stalled[fields].astype(object).where(stalled[fields].notna(), None).to_dict("records")
    return [schemas.StalledApplication(**r) for r in records]


def _csv(items: list, filename: str) -> Response:
    frame = pd.DataFrame([i.model_dump() for i in items])
    return Response(
        frame.to_csv(index=False),
        media_type="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )


@router.get("/applications/stalled", response_model=list[schemas.StalledApplication])
def stalled_applications(
    request: Request,
    connection: Conn,
    user: Liaison,
    lender: str | None = None,
    format: Annotated[str, Query(pattern="^(json|csv)$")] = "json",
):
    """Applications pending beyond their lender's SLA, the longest overdue first."""
    scope = _lender_for(user, lender)
    pending = _stalled(
        _applications(connection, scope), request.app.state.settings.sla(), dt.date.today()
    )
    items = _stalled_list(pending)
    return _csv(items, "stalled_applications.csv") if format == "csv" else items


@router.get("/lenders/{lender}/summary", response_model=schemas.LenderSummary)
def lender_summary(
    lender: str, request: Request, connection: Conn, user: Liaison
) -> schemas.LenderSummary:
    """Pending and stalled counts, days pending, approval rate and the stalled list."""
    scope = _lender_for(user, lender)
    apps = _applications(connection, scope)
    if apps.empty:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"no applications for lender {lender!r}")
    pending = _stalled(apps, request.app.state.settings.sla(), dt.date.today())
    decided = apps[apps["status"].isin(["approved", "disbursed", "rejected"])]
    approved = decided["status"].isin(["approved", "disbursed"])
    days = pending["days_pending"].to_numpy()
    return schemas.LenderSummary(
        lender=lender,
        pending=len(pending),
        stalled=int((pending["days_over_sla"] > 0).sum()),
        median_days_pending=float(np.median(days)) if len(days) else None,
        p90_days_pending=float(np.percentile(days, 90)) if len(days) else None,
        approval_rate=float(approved.mean()) if len(decided) else None,
        stalled_applications=_stalled_list(pending),
    )
