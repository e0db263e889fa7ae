"""Decisions on cases and the outcomes recorded later: what retraining learns from."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select
from sqlalchemy.exc import IntegrityError

from features.catalogues.case_statuses import CLOSED, OPEN_BEFORE_DECISION
from service.cases.advice import advise_case
from service.cases.cases import case_records, get_case_row, locked_case_row
from service.kit import schemas
from service.kit.errors import ConflictError, InvalidInputError
from service.kit.roles import User
from service.kit.runtime import Snapshot
from service.store.tables import assessments, decisions, recorded_outcomes

# Statuses before any path has been recommended: nothing has happened yet to have an outcome.


def record_decision(
    connection: Connection,
    snapshot: Snapshot,
    user: User,
    case_id: str,
    decision: schemas.DecisionIn,
) -> schemas.DecisionOut:
    """The chosen path, tied to the latest assessment and to the path it recommends first.
    Choosing another path overrides the model, and that needs a reason."""
    row = get_case_row(connection, case_id, user)
    _check_open(row)
    # The advice is worked out before the case is held: it takes a while and needs no lock.
    advice, _ = advise_case(connection, snapshot, row)
    _check_open(locked_case_row(connection, case_id, user))
    top = str(advice.options[0]["path"]) if advice.options else None
    overrides = decision.path != top
    if overrides and decision.reason is None:
        raise InvalidInputError.field(
            ["body", "reason"],
            f"{decision.path} is not the path recommended first ({top}): give the reason",
        )
    latest = connection.execute(
        select(func.max(assessments.c.id)).where(assessments.c.case_id == case_id)
    ).scalar()
    values = {
        "case_id": case_id, "path": decision.path, "recommended_path": top,
        "overrides_model": overrides, "reason": decision.reason, "assessment_id": latest,
        "decided_by": user.name, "decided_at": dt.datetime.now(dt.UTC),
    }  # fmt: skip
    try:
        new_id = connection.execute(
            insert(decisions).values(**values).returning(decisions.c.id)
        ).scalar_one()
    except IntegrityError:  # the database's own check: no decision on a closed case
        raise ConflictError(f"case {case_id} is closed: reopen it before deciding") from None
    return schemas.DecisionOut(id=new_id, **values)


def _check_open(row: Row[Any]) -> None:
    if row.status == CLOSED:
        raise ConflictError(f"case {row.case_id} is closed: reopen it before deciding")


def list_decisions(connection: Connection, user: User, case_id: str) -> list[schemas.DecisionOut]:
    """The case's decisions, oldest first."""
    return [schemas.DecisionOut(**r) for r in case_records(connection, user, case_id, decisions)]


def record_outcome(
    connection: Connection, user: User, case_id: str, outcome: schemas.OutcomeIn
) -> schemas.Recorded:
    """What happened later: the label that retraining learns from."""
    row = locked_case_row(connection, case_id, user)
    if outcome.distress_12m is None and outcome.performing_12m is None:
        raise InvalidInputError.field(["body"], "give distress_12m or performing_12m")
    if outcome.as_of < row.received_at:
        raise InvalidInputError.field(
            ["body", "as_of"], f"before the case was received ({row.received_at})"
        )
    if row.status in OPEN_BEFORE_DECISION:
        raise ConflictError(
            f"case {case_id} is still {row.status}: an outcome follows a recommendation"
        )
    if row.status == CLOSED:
        raise ConflictError(f"case {case_id} is closed: its outcomes are final")
    try:
        new_id = connection.execute(
            insert(recorded_outcomes).values(
                case_id=case_id, business_id=row.business_id, as_of=outcome.as_of,
                distress_12m=outcome.distress_12m, performing_12m=outcome.performing_12m,
                note=outcome.note, recorded_by=user.name, recorded_at=dt.datetime.now(dt.UTC),
            )
        ).inserted_primary_key  # fmt: skip
    except IntegrityError:
        raise ConflictError("an outcome at this as-of date exists") from None
    return schemas.Recorded(id=new_id[0] if new_id else 0, case_id=case_id)
