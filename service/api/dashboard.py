"""The manager's dashboard as data, and as a spreadsheet."""

from __future__ import annotations

from typing import Annotated, Literal

import pandas as pd
from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from service.api.deps import Conn, DashboardReader
from service.casework import schemas as work
from service.casework.dashboard import dashboard, dashboard_rows
from service.kit.spreadsheet import SPREADSHEET_CONTENT, csv_download, xlsx_download

router = APIRouter(prefix="/dashboard", tags=["dashboard"])


@router.get("", response_model=work.Dashboard)
def overview(
    connection: Conn,
    user: DashboardReader,
    query: Annotated[work.DashboardQuery, Depends()],
) -> work.Dashboard:
    """Cases by province, intake centre, problem type, channel, status and triage class;
    outcomes; plans performing, in arrears or failed; days from intake to the first decision;
    each analyst's open and overdue cases."""
    return dashboard(connection, user, query)


@router.get("/export", responses=SPREADSHEET_CONTENT)
def export(
    connection: Conn,
    user: DashboardReader,
    query: Annotated[work.DashboardQuery, Depends()],
    format: Annotated[Literal["csv", "xlsx"], Query()] = "csv",
) -> Response:
    """The dashboard's figures as one table: section, item, value."""
    frame = pd.DataFrame(dashboard_rows(dashboard(connection, user, query)))
    if format == "xlsx":
        return xlsx_download(frame, "dashboard.xlsx")
    return csv_download(frame, "dashboard.csv")
