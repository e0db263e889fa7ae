"""A creditors' meeting on a case's plan: each creditor's claim and vote, and the tally as the
procedure counts it (`models.plans.creditor_vote`), with the consent share of the rules in force on
the meeting's date. The record behind a rehabilitation petition or a multi-creditor plan."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert

from features.catalogues.case_statuses import CLOSED
from models.plans.creditor_vote import Vote, tally
from models.plans.programmes import Rules
from service.cases.cases import case_records, locked_case_row
from service.casework import schemas as work
from service.kit.errors import ConflictError
from service.kit.roles import User
from service.store.tables import creditor_meetings

# The court rule whose consent share each procedure applies (programme_rules.toml).
COURT_RULES = {"court_chapter_3_2": "bankruptcy-act-3-2", "court_chapter_3_1": "bankruptcy-act-3-1"}


def consent_share(procedure: str, on: dt.date) -> float:
    """The share of the debt the procedure needs on the date; every creditor out of court."""
    if procedure not in COURT_RULES:
        return 1.0
    rules = Rules.on_date(on)
    rule = next((r for r in rules.court_rehabilitation if r["id"] == COURT_RULES[procedure]), None)
    if rule is None:
        raise ConflictError(f"no {COURT_RULES[procedure]} rule in force on {on}")
    return float(rule["consent_share"])


def record_meeting(
    connection: Connection, user: User, case_id: str, body: work.CreditorMeetingIn
) -> work.CreditorMeetingOut:
    """Keep the meeting and its tally; a closed case takes no new record."""
    votes = [Vote(v.lender, v.claim, v.vote, v.proxy) for v in body.votes]
    counted = tally(votes, body.procedure, consent_share(body.procedure, body.meeting_on))
    row = locked_case_row(connection, case_id, user)
    if row.status == CLOSED:
        raise ConflictError(f"case {case_id} is closed: reopen it before recording a meeting")
    values: dict[str, Any] = {
        "case_id": case_id, "procedure": body.procedure, "meeting_on": body.meeting_on,
        "votes": [v.model_dump() for v in body.votes], "tally": counted,
        "recorded_by": user.name, "recorded_at": dt.datetime.now(dt.UTC),
    }  # fmt: skip
    new_id = connection.execute(
        insert(creditor_meetings).values(**values).returning(creditor_meetings.c.id)
    ).scalar_one()
    return work.CreditorMeetingOut(id=new_id, **values)


def consent_behind(
    connection: Connection, user: User, case_id: str, path: str, lenders: list[str]
) -> dict[str, Any] | None:
    """The creditors' consent a plan in effect rests on: a court procedure's vote behind a
    rehabilitation, every creditor's behind a plan with several; the latest such meeting on
    record (None when the plan has one creditor and is not a rehabilitation)."""
    court = path == "rehabilitation"
    if not court and len(set(lenders)) < 2:
        return None
    procedures = set(COURT_RULES) if court else {"restructuring_agreement", *COURT_RULES}
    fitting = [m for m in meetings(connection, user, case_id) if m.procedure in procedures]
    latest = fitting[-1] if fitting else None
    return {
        "needed": "court_vote" if court else "every_creditor",
        "meeting_id": latest.id if latest else None,
        "procedure": latest.procedure if latest else None,
        "meeting_on": latest.meeting_on if latest else None,
        "carried": bool(latest.tally["carried"]) if latest else False,
    }


def meetings(connection: Connection, user: User, case_id: str) -> list[work.CreditorMeetingOut]:
    """The case's meetings, oldest first."""
    rows = case_records(connection, user, case_id, creditor_meetings)
    return [work.CreditorMeetingOut(**r) for r in rows]
