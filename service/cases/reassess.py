"""One date per case: every reading of a case (the queue's triage, the case page, the memo, the
recommendations, a decision, a plan) is the advice of its latest assessment, as of that
assessment's date. Reassessment moves the date: when the case's business rows change, nightly
for cases whose assessment has aged (`rescue reassess`), and at service start for any open case
assessed more than a day before.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence

from sqlalchemy import Connection, Engine, func, or_, select

from features.catalogues.case_statuses import CLOSED_STATUSES
from models.specs import DISTRESS
from service.cases.assessments import Assess, CaseRef, assessments_for, store_assessments
from service.kit.runtime import Snapshot
from service.scoring.scoring import checked_portfolio
from service.store.repository import business_tables
from service.store.tables import assessments, cases

log = logging.getLogger(__name__)
REASSESSOR = "reassessment"
BATCH = 200


def assessed_on(connection: Connection, case_id: str) -> dt.date | None:
    """The date the case's latest assessment advises as of; None before its first."""
    latest = connection.execute(
        select(assessments.c.as_of)
        .where(assessments.c.case_id == case_id)
        .order_by(assessments.c.id.desc())
        .limit(1)
    ).scalar()
    return latest


def due(connection: Connection, before: dt.date) -> list[CaseRef]:
    """The open cases never assessed, or last assessed as of a date before `before`."""
    latest = (
        select(assessments.c.case_id, func.max(assessments.c.id).label("id"))
        .group_by(assessments.c.case_id)
        .subquery()
    )
    last = select(assessments.c.id, assessments.c.as_of).subquery()
    query = (
        select(cases.c.case_id, cases.c.business_id, cases.c.problem_types, cases.c.received_at)
        .outerjoin(latest, latest.c.case_id == cases.c.case_id)
        .outerjoin(last, last.c.id == latest.c.id)
        .where(cases.c.status.not_in(CLOSED_STATUSES))
        .where(or_(last.c.as_of.is_(None), last.c.as_of < before))
        .order_by(cases.c.case_id)
    )
    return [CaseRef(*row) for row in connection.execute(query)]


def assess_refs(
    connection: Connection,
    snapshot: Snapshot,
    refs: Sequence[CaseRef],
    as_of: dt.date,
    by: str,
    assess: Assess = assessments_for,
) -> int:
    """Assess these cases as of `as_of` from their rows on record and keep the assessments."""
    if not refs or snapshot.get(DISTRESS) is None:
        return 0
    portfolio = checked_portfolio(
        business_tables(connection, sorted({r.business_id for r in refs}))
    )
    return len(store_assessments(connection, assess(snapshot, portfolio, refs, as_of, by)))


def reassess_business(
    connection: Connection,
    snapshot: Snapshot,
    business_id: str,
    by: str,
    assess: Assess = assessments_for,
) -> int:
    """Reassess, as of today, the open cases of a business whose rows were just replaced."""
    query = (
        select(cases.c.case_id, cases.c.business_id, cases.c.problem_types, cases.c.received_at)
        .where(cases.c.business_id == business_id)
        .where(cases.c.status.not_in(CLOSED_STATUSES))
    )
    refs = [CaseRef(*row) for row in connection.execute(query)]
    return assess_refs(connection, snapshot, refs, dt.date.today(), by, assess)


def reassess(
    engine: Engine,
    snapshot: Snapshot,
    as_of: dt.date,
    older_than_days: int,
    *,
    by: str = REASSESSOR,
    batch: int = BATCH,
    say: Callable[[str], None] = lambda _: None,
) -> int:
    """Reassess, as of `as_of`, every open case last assessed more than `older_than_days` before
    it, a batch per transaction (each case's rows are read in the batch that assesses it)."""
    if snapshot.get(DISTRESS) is None:
        return 0
    with engine.connect() as connection:
        refs = due(connection, as_of - dt.timedelta(days=older_than_days))
    done = 0
    for start in range(0, len(refs), batch):
        with engine.begin() as connection:
            done += assess_refs(connection, snapshot, refs[start : start + batch], as_of, by)
        say(f"{done:,} of {len(refs):,} cases reassessed as of {as_of}")
    return done


def reassess_in_background(engine: Engine, load: Callable[[], Snapshot]) -> threading.Thread:
    """At service start: load the champions and reassess, as of today, open cases assessed
    more than a day before, without holding up the start (the queue serves the older
    assessments meanwhile)."""

    def run() -> None:
        try:
            count = reassess(engine, load(), dt.date.today(), 1)
            log.info("reassessed %d cases at start", count)
        except Exception:  # the service serves the assessments it has; the next run retries
            log.exception("reassessment at start failed")

    thread = threading.Thread(target=run, name="reassess-at-start", daemon=True)
    thread.start()
    return thread
