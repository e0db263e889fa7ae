"""Decisions on cases and the outcomes recorded later: what retraining learns from."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, func, insert, select
from sqlalchemy.exc import IntegrityError

from service import schemas
from service.cases import get_case_row
from service.errors import ConflictError, InvalidInputError
from service.roles import User
from service.tables import assessments, decisions, recorded_outcomes

# Statuses before any path has been recommended: nothing has happened yet to have an outcome.
OPEN_BEFORE_DECISION = ("received", "screening", "analysis")


def record_decision(
    connection: Connection, user: User, case_id: str, decision: schemas.DecisionIn
) -> schemas.Recorded:
    """The chosen path, tied to the latest assessment; overriding the model needs a reason."""
    row = get_case_row(connection, case_id, user)
    if row.status == "closed":
        raise ConflictError(f"case {case_id} is closed: reopen it before deciding")
    if decision.overrides_model and not (decision.reason and decision.reason.strip()):
        raise InvalidInputError.field(["body", "reason"], "an override needs a reason")
    latest = connection.execute(
        select(func.max(assessments.c.id)).where(assessments.c.case_id == case_id)
    ).scalar()
    new_id = connection.execute(
        insert(decisions).values(
            case_id=case_id, path=decision.path, overrides_model=decision.overrides_model,
            reason=decision.reason, assessment_id=latest, decided_by=user.name,
            decided_at=dt.datetime.now(dt.UTC),
        )
    ).inserted_primary_key  # fmt: skip
    return schemas.Recorded(id=new_id[0] if new_id else 0, case_id=case_id)


def record_outcome(
    connection: Connection, user: User, case_id: str, outcome: schemas.OutcomeIn
) -> schemas.Recorded:
    """What happened later: the label that retraining learns from."""
    row = get_case_row(connection, case_id, user)
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
    if row.status == "closed":
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
