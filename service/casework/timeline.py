"""A case's history in one timeline: status changes, assignments, assessments, decisions,
notes and their edits, documents requested and received; oldest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, select

from service.cases.cases import get_case_row
from service.casework import schemas as work
from service.kit.roles import User
from service.store.tables import (
    application_followups,
    assessments,
    case_assignments,
    case_documents,
    case_milestones,
    case_note_edits,
    case_notes,
    case_plans,
    case_referrals,
    case_status_changes,
    cases,
    decisions,
    loan_applications,
    repayments,
)


def timeline(connection: Connection, user: User, case_id: str) -> list[work.TimelineEvent]:
    get_case_row(connection, case_id, user)
    events: list[tuple[dt.datetime, int, work.TimelineEvent]] = []

    def rows(table: Any) -> list[dict[str, Any]]:
        query = select(table).where(table.c.case_id == case_id).order_by(table.c.id)
        return [dict(r) for r in connection.execute(query).mappings()]

    def add(at: dt.datetime | None, kind: str, by: str | None, summary: str, **detail: Any) -> None:
        if at is not None:
            event = work.TimelineEvent(at=at, kind=kind, by=by, summary=summary, detail=detail)
            events.append((at, len(events), event))

    for r in rows(case_status_changes):
        add(r["changed_at"], "status", r["changed_by"],
            f"{r['from_status'] or 'new'} -> {r['to_status']}",
            from_status=r["from_status"], to_status=r["to_status"], note=r["note"])  # fmt: skip
    for r in rows(case_assignments):
        add(r["assigned_at"], "assignment", r["assigned_by"],
            f"assigned to {r['assigned_to']}" if r["assigned_to"] else "unassigned",
            assigned_to=r["assigned_to"])  # fmt: skip
    for r in rows(assessments):
        add(r["created_at"], "assessment", r["created_by"],
            f"distress {r['distress_probability']:.1%}, band {r['risk_band']}",
            distress_probability=r["distress_probability"], risk_band=r["risk_band"],
            as_of=r["as_of"].isoformat())  # fmt: skip
    for r in rows(decisions):
        add(r["decided_at"], "decision", r["decided_by"],
            r["path"] + (f" (overrides {r['recommended_path']}: {r['reason']})"
                         if r["overrides_model"] else ""),
            path=r["path"], recommended_path=r["recommended_path"],
            overrides_model=r["overrides_model"], reason=r["reason"])  # fmt: skip
    notes = rows(case_notes)
    for r in notes:
        add(r["created_at"], "note", r["author"], r["body"], note_id=r["id"],
            edited=r["updated_at"] is not None)  # fmt: skip
    ids = [n["id"] for n in notes]
    if ids:
        edits = connection.execute(
            select(case_note_edits).where(case_note_edits.c.note_id.in_(ids))
        ).mappings()
        for e in edits:
            add(e["edited_at"], "note_edit", e["edited_by"], f"edited note {e['note_id']}",
                note_id=e["note_id"])  # fmt: skip
    for r in rows(case_documents):
        add(r["requested_at"], "document_requested", r["requested_by"],
            f"requested {r['document']}", document=r["document"])  # fmt: skip
        add(r["received_at"], "document_received", r["received_by"],
            f"received {r['document']}", document=r["document"])  # fmt: skip
    for r in rows(case_referrals):
        add(r["created_at"], "referral", r["created_by"],
            f"referred to {r['agency']}, follow up on {r['follow_up_on'].isoformat()}",
            agency=r["agency"], programme=r["programme"],
            follow_up_on=r["follow_up_on"].isoformat())  # fmt: skip
        add(r["result_at"], "referral_result", None, f"{r['agency']}: {r['result']}",
            agency=r["agency"], result=r["result"])  # fmt: skip
    for r in rows(case_milestones):
        add(r["created_at"], "milestone", r["created_by"],
            f"{r['title']} ({r['owner']}, due {r['due_on'].isoformat()})",
            title=r["title"], owner=r["owner"], due_on=r["due_on"].isoformat())  # fmt: skip
        add(r["done_at"], "milestone_done", None, f"done: {r['title']}", title=r["title"])
    business = connection.execute(
        select(cases.c.business_id).where(cases.c.case_id == case_id)
    ).scalar_one()
    moved = connection.execute(
        select(application_followups, loan_applications.c.lender)
        .join(loan_applications,
              loan_applications.c.application_id == application_followups.c.application_id)
        .where(loan_applications.c.business_id == business)
        .order_by(application_followups.c.id)
    ).mappings()  # fmt: skip
    for f in moved:
        add(f["at"], "application_follow_up", f["by"],
            f"{f['action']} on application {f['application_id']} ({f['lender']})",
            action=f["action"], application_id=f["application_id"], lender=f["lender"],
            note=f["note"])  # fmt: skip
    plans = rows(case_plans)
    for r in plans:
        add(r["created_at"], "plan", r["created_by"],
            f"{r['path']} in effect, first due {r['first_due'].isoformat()}",
            path=r["path"], first_due=r["first_due"].isoformat())  # fmt: skip
    if plans:
        paid = connection.execute(
            select(repayments).where(repayments.c.plan_id.in_([p["id"] for p in plans]))
        ).mappings()
        for p in paid:
            add(p["recorded_at"], "repayment", p["recorded_by"],
                f"{p['creditor']} paid {p['amount']:,.0f} THB on {p['paid_at'].isoformat()}",
                creditor=p["creditor"], amount=p["amount"],
                paid_at=p["paid_at"].isoformat())  # fmt: skip
    return [event for _, _, event in sorted(events, key=lambda e: (e[0], e[1]))]
