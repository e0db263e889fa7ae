"""Case work: assignment, notes, the document checklist, referrals, mentoring milestones and
the timeline."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Header, Response, status

from service.api.deps import (
    CaseAssigner,
    CaseId,
    CaseWorker,
    CaseworkReader,
    Conn,
    DocumentName,
    NoteId,
)
from service.casework import schemas as work
from service.casework.assignment import assign_case
from service.casework.creditor_meetings import meetings, record_meeting
from service.casework.documents import checklist, mark_document
from service.casework.followups import (
    add_milestone,
    complete_milestone,
    milestones,
    record_result,
    refer,
    referrals,
)
from service.casework.notes import add_note, edit_note, list_notes, note_etag
from service.casework.timeline import timeline as case_timeline
from service.kit import schemas
from service.kit.audit import PERSONAL_DATA

router = APIRouter(prefix="/cases", tags=["case work"])


@router.post("/{case_id}/assign", response_model=schemas.CaseOut)
def assign(
    case_id: CaseId, assignment: work.AssignmentIn, connection: Conn, user: CaseAssigner
) -> schemas.CaseOut:
    """Assign the case: analysts take cases themselves, a centre manager assigns any analyst."""
    return assign_case(connection, user, case_id, assignment)


@router.get("/{case_id}/notes", openapi_extra=PERSONAL_DATA, response_model=list[work.NoteOut])
def notes(case_id: CaseId, connection: Conn, user: CaseworkReader) -> list[work.NoteOut]:
    return list_notes(connection, user, case_id)


@router.post("/{case_id}/notes", status_code=status.HTTP_201_CREATED, response_model=work.NoteOut)
def note(case_id: CaseId, body: work.NoteIn, connection: Conn, user: CaseWorker) -> work.NoteOut:
    return add_note(connection, user, case_id, body)


@router.patch("/{case_id}/notes/{note_id}", response_model=work.NoteOut)
def edit(
    case_id: CaseId,
    note_id: NoteId,
    body: work.NoteEditIn,
    connection: Conn,
    user: CaseWorker,
    response: Response,
    if_match: Annotated[str | None, Header(max_length=64)] = None,
) -> work.NoteOut:
    """Replace a note's text (its author only); the earlier text stays in its history. Name
    the version you edited (`version`, or the note's ETag as If-Match): an edit of a version
    someone has changed since is refused (409, or 412 for If-Match) and overwrites nothing."""
    edited = edit_note(connection, user, case_id, note_id, body, if_match)
    response.headers["ETag"] = note_etag(edited)
    return edited


@router.get("/{case_id}/documents", response_model=list[work.DocumentOut])
def documents(case_id: CaseId, connection: Conn, user: CaseworkReader) -> list[work.DocumentOut]:
    """The documents the case's problem types require, with requested and received dates."""
    return checklist(connection, user, case_id)


@router.post("/{case_id}/documents/{document}/{action}", response_model=list[work.DocumentOut])
def document(
    case_id: CaseId,
    document: DocumentName,
    action: Literal["request", "receive"],
    connection: Conn,
    user: CaseWorker,
) -> list[work.DocumentOut]:
    """Record a document requested from the business, or received from it."""
    return mark_document(connection, user, case_id, document, action)


@router.get(
    "/{case_id}/timeline", openapi_extra=PERSONAL_DATA, response_model=list[work.TimelineEvent]
)
def timeline(case_id: CaseId, connection: Conn, user: CaseworkReader) -> list[work.TimelineEvent]:
    return case_timeline(connection, user, case_id)


@router.get(
    "/{case_id}/referrals", openapi_extra=PERSONAL_DATA, response_model=list[work.ReferralOut]
)
def case_referrals(
    case_id: CaseId, connection: Conn, user: CaseworkReader
) -> list[work.ReferralOut]:
    return referrals(connection, user, case_id)


@router.post("/{case_id}/referrals", status_code=201, response_model=work.ReferralOut)
def send_referral(
    case_id: CaseId, body: work.ReferralIn, connection: Conn, user: CaseWorker
) -> work.ReferralOut:
    """A referral sent to an agency (programme, contact), with the date to follow it up."""
    return refer(connection, user, case_id, body)


@router.post("/{case_id}/referrals/{referral_id}/result", response_model=work.ReferralOut)
def referral_result(
    case_id: CaseId,
    referral_id: NoteId,
    body: work.ReferralResult,
    connection: Conn,
    user: CaseWorker,
) -> work.ReferralOut:
    return record_result(connection, user, case_id, referral_id, body)


@router.get(
    "/{case_id}/milestones", openapi_extra=PERSONAL_DATA, response_model=list[work.MilestoneOut]
)
def case_milestones(
    case_id: CaseId, connection: Conn, user: CaseworkReader
) -> list[work.MilestoneOut]:
    """The mentoring plan: milestones by due date, with their owners."""
    return milestones(connection, user, case_id)


@router.post("/{case_id}/milestones", status_code=201, response_model=work.MilestoneOut)
def add_step(
    case_id: CaseId, body: work.MilestoneIn, connection: Conn, user: CaseWorker
) -> work.MilestoneOut:
    return add_milestone(connection, user, case_id, body)


@router.post("/{case_id}/milestones/{milestone_id}/done", response_model=work.MilestoneOut)
def step_done(
    case_id: CaseId, milestone_id: NoteId, connection: Conn, user: CaseWorker
) -> work.MilestoneOut:
    return complete_milestone(connection, user, case_id, milestone_id)


@router.get("/{case_id}/creditor-meetings", response_model=list[work.CreditorMeetingOut])
def creditor_meetings(
    case_id: CaseId, connection: Conn, user: CaseworkReader
) -> list[work.CreditorMeetingOut]:
    """The creditors' meetings on the case's plan, oldest first, each with its tally."""
    return meetings(connection, user, case_id)


@router.post(
    "/{case_id}/creditor-meetings", status_code=201, response_model=work.CreditorMeetingOut
)
def creditor_meeting(
    case_id: CaseId, body: work.CreditorMeetingIn, connection: Conn, user: CaseWorker
) -> work.CreditorMeetingOut:
    """Record a creditors' vote: each creditor's claim and vote. The tally counts it as the
    procedure does (Chapter 3/2: two-thirds of all the debt; Chapter 3/1: a majority in number
    of those voting who hold two-thirds of their debt; out of court: every creditor) and names
    the fewest creditors whose votes would have carried a plan that failed."""
    return record_meeting(connection, user, case_id, body)
