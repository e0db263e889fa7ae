"""Plans in effect: their schedule per creditor, repayments, and the alerts they raise."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, UploadFile

from service.api.deps import CaseId, CaseWorker, CaseworkReader, Conn, Models
from service.casework import schemas as work
from service.casework.monitoring import create_plan, plan_view, record_repayment, upload_repayments

router = APIRouter(tags=["plan monitoring"])


@router.post("/cases/{case_id}/plan", status_code=201, response_model=work.PlanOut)
def put_into_effect(
    case_id: CaseId, body: work.PlanIn, connection: Conn, snapshot: Models, user: CaseWorker
) -> work.PlanOut:
    """Put the decided plan into effect: the schedule per creditor from the first due date."""
    return create_plan(connection, snapshot, user, case_id, body)


@router.get("/cases/{case_id}/plan", response_model=work.PlanOut)
def plan(case_id: CaseId, connection: Conn, user: CaseworkReader) -> work.PlanOut:
    """Each creditor's due, paid, arrears and days past due; alerts at 1, 30 and 90 days."""
    return plan_view(connection, user, case_id)


@router.post("/cases/{case_id}/repayments", status_code=201, response_model=work.PlanOut)
def repayment(
    case_id: CaseId, body: work.RepaymentIn, connection: Conn, user: CaseWorker
) -> work.PlanOut:
    return record_repayment(connection, user, case_id, body)


@router.post("/repayments/upload", status_code=201, response_model=work.RepaymentsUploaded)
def upload(
    file: Annotated[UploadFile, File(description="CSV: case_id, creditor, paid_at, amount")],
    connection: Conn,
    user: CaseWorker,
) -> work.RepaymentsUploaded:
    """A lender's repayment file: every row checked (file, row and field named), all or none."""
    name = (file.filename or "repayments.csv")[:200]
    return upload_repayments(connection, user, name, file.file.read())
