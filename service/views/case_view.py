"""One view of a case: what the case page, the memo and the proposal letters show, built once,
with the advice and the peers as of the case's latest assessment (see
`service.cases.advice.case_date`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row

from models.specs import DISTRESS
from service.cases.advice import advise_case, case_date
from service.cases.cases import case_out, get_case_row
from service.cases.decisions import list_decisions
from service.kit import schemas
from service.kit.roles import User
from service.kit.runtime import Snapshot
from service.kit.settings import Settings
from service.views.case_sheet import CaseSheet, case_sheet
from service.views.peers import peers_of
from service.views.schemas import Peers


@dataclass(frozen=True)
class CaseView:
    row: Row[Any]
    case: schemas.CaseOut
    sheet: CaseSheet | None  # None where only the advice is wanted (the letters)
    advice: schemas.Recommendations | None  # None while no distress champion is loaded
    score: dict[str, Any] | None
    decisions: list[schemas.DecisionOut]
    peers: Peers | None


def case_view(
    connection: Connection,
    snapshot: Snapshot,
    settings: Settings,
    user: User,
    case_id: str,
    *,
    whole: bool = True,
) -> CaseView:
    """The case as `user` may see it; 404 outside their scope. Without `whole`, only the case,
    its advice and decisions (no statements sheet, no peers)."""
    row = get_case_row(connection, case_id, user)
    as_of = case_date(connection, row)
    sheet, peers = None, None
    if whole:
        sheet = case_sheet(
            connection, row.business_id, dt.date.today(), settings.sla(),
            settings.stale_statement_days,
        )  # fmt: skip
        peers = peers_of(connection, case_id, row.business_id, as_of)
    advice, score = None, None
    if snapshot.get(DISTRESS) is not None:
        advice, score = advise_case(connection, snapshot, row, as_of)
    decisions = list_decisions(connection, user, case_id)
    return CaseView(row, case_out(row, user), sheet, advice, score, decisions, peers)
