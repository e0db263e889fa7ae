"""The documents a case needs, by its problem types, and when each was requested and received.

The checklist is declared once here; an analyst may also request a listed document that the
case's problem types do not require.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from features.catalogues.case_statuses import CLOSED_STATUSES
from features.schema import PROBLEM_TYPES
from service.access.scope import scoped
from service.cases.cases import case_query, get_case_row, problem_list
from service.casework import schemas as work
from service.kit.errors import ConflictError, NotFoundError
from service.kit.roles import User
from service.store.tables import case_documents, cases

REMIND_AFTER_DAYS = 14  # a requested document not received by then is overdue
ALL = PROBLEM_TYPES


@dataclass(frozen=True)
class DocumentSpec:
    name: str
    label_en: str
    label_th: str
    problems: tuple[str, ...]


DOCUMENTS: dict[str, DocumentSpec] = {
    d.name: d
    for d in (
        DocumentSpec("registration", "Business and OSMEP registration",
                     "หนังสือรับรองการจดทะเบียนและการขึ้นทะเบียน สสว.", ALL),
        DocumentSpec("financial_statements", "Financial statements, last three fiscal years",
                     "งบการเงินย้อนหลัง 3 ปีบัญชี", ALL),
        DocumentSpec("bank_statements", "Bank statements, last six months",
                     "รายการเดินบัญชีธนาคารย้อนหลัง 6 เดือน",
                     ("debt_distress", "near_collapse", "loan_stalled", "loan_rejected")),
        DocumentSpec("facility_schedules", "Loan contracts and repayment schedules, every lender",
                     "สัญญาเงินกู้และตารางผ่อนชำระจากเจ้าหนี้ทุกราย",
                     ("debt_distress", "near_collapse")),
        DocumentSpec("informal_debts", "Informal creditors with amounts and rates",
                     "รายชื่อเจ้าหนี้นอกระบบ พร้อมยอดหนี้และอัตราดอกเบี้ย",
                     ("debt_distress", "near_collapse")),
        DocumentSpec("collateral", "Collateral title deeds and latest appraisal",
                     "เอกสารสิทธิ์หลักประกันและผลประเมินราคาล่าสุด",
                     ("debt_distress", "loan_rejected")),
        DocumentSpec("cash_flow_projection", "Cash-flow projection, next twelve months",
                     "ประมาณการกระแสเงินสด 12 เดือนข้างหน้า",
                     ("debt_distress", "near_collapse", "loan_rejected")),
        DocumentSpec("business_plan", "Business plan", "แผนธุรกิจ",
                     ("loan_stalled", "loan_rejected", "outdated_business",
                      "technology_innovation")),
        DocumentSpec("rejection_letter", "The lender's rejection letter",
                     "หนังสือแจ้งผลการปฏิเสธสินเชื่อจากธนาคาร", ("loan_rejected",)),
        DocumentSpec("application_receipt", "Copy of the loan application and its receipt",
                     "สำเนาคำขอสินเชื่อและหลักฐานการยื่น", ("loan_stalled",)),
        DocumentSpec("project_description", "The technology or innovation project",
                     "รายละเอียดโครงการเทคโนโลยีหรือนวัตกรรม", ("technology_innovation",)),
    )
}  # fmt: skip


def checklist(connection: Connection, user: User, case_id: str) -> list[work.DocumentOut]:
    """The documents the case's problem types require, and any other requested, in order."""
    row = get_case_row(connection, case_id, user)
    problems = set(problem_list(row.problem_types)) or {"other"}
    state = {
        r["document"]: r
        for r in connection.execute(
            select(case_documents).where(case_documents.c.case_id == case_id)
        ).mappings()
    }
    today = dt.datetime.now(dt.UTC)
    out = []
    for spec in DOCUMENTS.values():
        required = bool(problems & set(spec.problems))
        found = state.get(spec.name)
        if not required and found is None:
            continue
        requested = found["requested_at"] if found else None
        received = found["received_at"] if found else None
        waiting = (today - requested).days if requested and not received else None
        out.append(
            work.DocumentOut(
                document=spec.name, label_en=spec.label_en, label_th=spec.label_th,
                required=required, requested_at=requested,
                requested_by=found["requested_by"] if found else None, received_at=received,
                received_by=found["received_by"] if found else None, waiting_days=waiting,
                overdue=waiting is not None and waiting > REMIND_AFTER_DAYS,
            )
        )  # fmt: skip
    return out


def mark_document(
    connection: Connection, user: User, case_id: str, document: str, action: str
) -> list[work.DocumentOut]:
    """Record that a document was requested from the business, or received from it."""
    get_case_row(connection, case_id, user)
    if document not in DOCUMENTS:
        raise NotFoundError(f"no document {document!r}: one of {', '.join(DOCUMENTS)}")
    now = dt.datetime.now(dt.UTC)
    found = connection.execute(
        select(case_documents)
        .where(case_documents.c.case_id == case_id)
        .where(case_documents.c.document == document)
    ).mappings().first()  # fmt: skip
    if action == "receive" and found is not None and found["received_at"] is not None:
        raise ConflictError(f"{document} was received already")
    values = (
        {"requested_at": now, "requested_by": user.name, "received_at": None, "received_by": None}
        if action == "request"
        else {"received_at": now, "received_by": user.name}
    )
    if found is None:
        connection.execute(
            insert(case_documents).values(case_id=case_id, document=document, **values)
        )
    else:
        connection.execute(
            update(case_documents).where(case_documents.c.id == found["id"]).values(**values)
        )
    return checklist(connection, user, case_id)


def waiting_documents(
    connection: Connection, user: User, assigned_to: str
) -> list[dict[str, object]]:
    """Documents requested more than REMIND_AFTER_DAYS ago and not received, on the open cases
    assigned to `assigned_to` that the user's scope covers: the worklist's reminders."""
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=REMIND_AFTER_DAYS)
    query = (
        scoped(case_query(), user)
        .add_columns(case_documents.c.document, case_documents.c.requested_at)
        .join(case_documents, case_documents.c.case_id == cases.c.case_id)
        .where(cases.c.assigned_to == assigned_to)
        .where(cases.c.status.not_in(CLOSED_STATUSES))
        .where(case_documents.c.received_at.is_(None))
        .where(case_documents.c.requested_at < cutoff)
        .order_by(case_documents.c.requested_at)
    )
    return [
        {"case_id": r.case_id, "document": DOCUMENTS[r.document], "requested_at": r.requested_at}
        for r in connection.execute(query)
        if r.document in DOCUMENTS
    ]
