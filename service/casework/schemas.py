"""Request and response models of case work: assignment, notes, documents, the timeline,
plans in effect and their repayments, referrals and milestones, the dashboard, and follow-ups
on loan applications."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from pydantic import BaseModel, Field, model_validator

from models.plans.creditor_vote import PROCEDURES, VOTES
from service.kit.schemas import Channel, Day, Note, PathName, Reason, Strict, Text


class AssignmentIn(Strict):
    """The analyst to work the case; null leaves it unassigned."""

    analyst: Text | None


class NoteIn(Strict):
    body: Reason


class NoteEditIn(NoteIn):
    """The new text, and the version of the note it was written against (as read, or sent as
    If-Match): an edit of an older version is refused, so no one's edit is overwritten unseen.
    Without a version the edit goes on top of whatever is there, and the text it replaces is
    still kept in the history."""

    version: int | None = Field(None, ge=1, le=2**31 - 1)


class NoteEdit(BaseModel):
    previous_body: str
    edited_by: str
    edited_at: dt.datetime


class NoteOut(BaseModel):
    id: int
    case_id: str
    author: str
    body: str
    created_at: dt.datetime
    updated_at: dt.datetime | None
    version: int
    edits: list[NoteEdit] = []


class DocumentOut(BaseModel):
    """One document of the case's checklist, with when it was requested and received."""

    document: str
    label_en: str
    label_th: str
    required: bool
    requested_at: dt.datetime | None
    requested_by: str | None
    received_at: dt.datetime | None
    received_by: str | None
    waiting_days: int | None
    overdue: bool


class TimelineEvent(BaseModel):
    at: dt.datetime
    kind: str
    by: str | None
    summary: str
    detail: dict[str, Any] = {}


class PlanIn(Strict):
    """Put a decided plan into effect: its path (the decision's) and its first due date."""

    path: PathName
    first_due: Day


class RepaymentIn(Strict):
    creditor: Text
    paid_at: Day
    amount: float = Field(..., gt=0, le=1e12, strict=False)


class PlanOut(BaseModel):
    id: int
    case_id: str
    path: str
    first_due: dt.date
    months: int
    creditors: list[dict[str, Any]]
    alerts: list[str]
    repayments: list[dict[str, Any]]
    covenants: list[dict[str, Any]] = []  # breaches: alert, fiscal_year, detail, dscr
    # The creditors' meeting behind a rehabilitation or a plan with several creditors: what
    # consent it needs, the latest fitting meeting on record and whether its vote carried.
    consent: dict[str, Any] | None = None


class RepaymentsUploaded(BaseModel):
    recorded: int
    cases: list[str]


class ReferralIn(Strict):
    """A referral sent to an agency, and when to follow it up."""

    agency: Text = Field(..., min_length=2)
    programme: Text | None = None
    contact: Text | None = None
    sent_on: Day
    follow_up_on: Day

    @model_validator(mode="after")
    def _follow_up_after_sending(self) -> ReferralIn:
        if self.follow_up_on < self.sent_on:
            raise ValueError("follow_up_on must not be before sent_on")
        return self


class ReferralResult(Strict):
    result: Reason


class ReferralOut(BaseModel):
    id: int
    case_id: str
    agency: str
    programme: str | None
    contact: str | None
    sent_on: dt.date
    follow_up_on: dt.date
    result: str | None
    result_at: dt.datetime | None
    created_by: str
    due: bool  # the follow-up date has come and no result is recorded


class MilestoneIn(Strict):
    title: Text = Field(..., min_length=2)
    owner: Text = Field(..., min_length=1)
    due_on: Day


class MilestoneOut(BaseModel):
    id: int
    case_id: str
    title: str
    owner: str
    due_on: dt.date
    done_at: dt.datetime | None
    created_by: str
    overdue: bool


class DashboardQuery(BaseModel):
    province: Text | None = None
    channel: Channel | None = None
    received_from: Day | None = None
    received_to: Day | None = None


class Dashboard(BaseModel):
    total: int
    counts: dict[str, dict[str, int]]  # by province, intake centre, problem type, ...
    outcomes: dict[str, int]
    plans: dict[str, int]  # performing, in arrears, failed (90 days behind)
    intake_to_decision_days: dict[str, float | None]
    workload: list[dict[str, Any]]


FOLLOW_UP_ACTIONS = ("contacted", "documents_received", "escalated")
if TYPE_CHECKING:
    FollowUpAction: TypeAlias = str
else:
    FollowUpAction = Literal[FOLLOW_UP_ACTIONS]


class FollowUpIn(Strict):
    action: FollowUpAction
    note: Note | None = None


class FollowUpOut(BaseModel):
    id: int
    application_id: str
    action: str
    note: str | None
    by: str
    at: dt.datetime


if TYPE_CHECKING:
    VoteCast: TypeAlias = str
    Procedure: TypeAlias = str
else:
    VoteCast = Literal[VOTES]
    Procedure = Literal[PROCEDURES]


class CreditorVoteIn(Strict):
    """One creditor at the meeting: its claim, how it voted, and its proxy if one voted."""

    lender: Text = Field(..., min_length=1)
    claim: float = Field(..., ge=0, le=1e12, allow_inf_nan=False)
    vote: VoteCast
    proxy: Text | None = None


class CreditorMeetingIn(Strict):
    """A creditors' vote on the case's plan, by procedure: out of court (a restructuring
    agreement), Chapter 3/2 or Chapter 3/1 of the Bankruptcy Act."""

    procedure: Procedure
    meeting_on: Day
    votes: list[CreditorVoteIn] = Field(..., min_length=1, max_length=100)

    @model_validator(mode="after")
    def _each_creditor_once(self) -> CreditorMeetingIn:
        names = [" ".join(v.lender.split()).casefold() for v in self.votes]
        if len(set(names)) != len(names):
            raise ValueError("each creditor votes once")
        return self


class CreditorMeetingOut(BaseModel):
    id: int
    case_id: str
    procedure: str
    meeting_on: dt.date
    votes: list[dict[str, Any]]
    tally: dict[str, Any]
    recorded_by: str
    recorded_at: dt.datetime
