"""Decided plans followed through: the schedule per creditor, repayments recorded against it
(one by one or as a lender's CSV), and the arrears, special-mention and re-default alerts that
follow from them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from features.catalogues.case_statuses import CLOSED, CLOSED_STATUSES
from features.imports.import_limits import ImportLimits, ImportTooLargeError, csv_rows
from features.ratios import EBITDA_LINES, earnings
from models.advice.paths import PLAN_PATHS
from models.advice.recommend import load_config
from models.plans.covenants import Breach, Statement, breaches
from models.plans.schedules import due_dates, schedule, standing
from service.cases.advice import advise_case
from service.cases.cases import get_case_row, locked_case_row
from service.casework import schemas as work
from service.casework.creditor_meetings import consent_behind
from service.kit.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PayloadTooLargeError,
)
from service.kit.roles import User
from service.kit.runtime import Snapshot
from service.store.tables import (
    case_plans,
    cases,
    decisions,
    financial_statements,
    plan_installments,
    repayments,
)

MAX_UPLOAD_ROWS = 10_000
UPLOAD_LIMITS = ImportLimits(rows=MAX_UPLOAD_ROWS, cell_chars=1_000)
UPLOAD_COLUMNS = ("case_id", "creditor", "paid_at", "amount")


def create_plan(
    connection: Connection, snapshot: Snapshot, user: User, case_id: str, body: work.PlanIn
) -> work.PlanOut:
    """The plan the case's decision chose, as the advice recommends it today, with its
    schedule from the first due date."""
    row = get_case_row(connection, case_id, user)
    if body.path not in PLAN_PATHS:
        raise InvalidInputError.field(
            ["body", "path"], f"{body.path} has no repayment plan: one of {', '.join(PLAN_PATHS)}"
        )
    decision = connection.execute(
        select(decisions.c.id)
        .where(decisions.c.case_id == case_id)
        .where(decisions.c.path == body.path)
        .order_by(decisions.c.id.desc())
    ).first()
    if decision is None:
        raise ConflictError(f"case {case_id} has no decision for {body.path}: decide first")
    _check_no_plan(connection, row)
    # The advice is worked out before the case is held: it takes a while and needs no lock.
    advice, _ = advise_case(connection, snapshot, row)
    option = next((o for o in advice.options if o["path"] == body.path), None)
    if option is None:
        raise ConflictError(f"the advice of case {case_id}'s assessment has no {body.path} plan")
    due = schedule(option)
    months = max((len(a) for a in due.values()), default=0)
    dates = due_dates(body.first_due, months)
    _check_no_plan(connection, locked_case_row(connection, case_id, user))
    try:
        plan_id = connection.execute(
            insert(case_plans)
            .values(
                case_id=case_id, decision_id=decision.id, path=body.path,
                first_due=body.first_due, option=option, created_by=user.name,
                created_at=dt.datetime.now(dt.UTC),
            )
            .returning(case_plans.c.id)
        ).scalar_one()  # fmt: skip
    except IntegrityError:  # the database's own checks: one plan in effect, an open case
        raise ConflictError(f"case {case_id} has a plan in effect already or is closed") from None
    rows = [
        {"plan_id": plan_id, "creditor": creditor, "due_date": dates[m], "amount": amount}
        for creditor, amounts in due.items()
        for m, amount in enumerate(amounts)
        if amount > 0
    ]
    if rows:
        connection.execute(insert(plan_installments), rows)
    return plan_view(connection, user, case_id)


def _check_no_plan(connection: Connection, row: Any) -> None:
    if row.status == CLOSED:
        raise ConflictError(f"case {row.case_id} is closed: no plan goes into effect")
    if _in_effect(connection, row.case_id) is not None:
        raise ConflictError(f"case {row.case_id} has a plan in effect already")


def _in_effect(connection: Connection, case_id: str) -> Any:
    return connection.execute(
        select(case_plans)
        .where(case_plans.c.case_id == case_id)
        .where(case_plans.c.ended_at.is_(None))
    ).first()


def _plan(connection: Connection, case_id: str) -> Any:
    found = _in_effect(connection, case_id)
    if found is None:
        raise NotFoundError(f"case {case_id} has no plan in effect")
    return found


def plan_view(
    connection: Connection, user: User, case_id: str, today: dt.date | None = None
) -> work.PlanOut:
    case_row = get_case_row(connection, case_id, user)
    plan = _plan(connection, case_id)
    today = today or dt.date.today()
    dues = [
        (r.creditor, r.due_date, r.amount)
        for r in connection.execute(
            select(plan_installments).where(plan_installments.c.plan_id == plan.id)
        )
    ]
    paid = [
        dict(r)
        for r in connection.execute(
            select(repayments).where(repayments.c.plan_id == plan.id).order_by(repayments.c.id)
        ).mappings()
    ]
    creditors = standing(dues, [(p["creditor"], p["paid_at"], p["amount"]) for p in paid], today)
    alerts = [
        f"{c['alert']}: {c['creditor']} {c['days_past_due']} days past due, "
        f"{c['arrears']:,.0f} THB in arrears"
        for c in creditors
        if c["alert"]
    ]
    broken = covenant_breaches(connection, case_row.business_id, plan, dues, today)
    alerts += [f"{b.alert}: {b.detail}" for b in broken]
    months = len({d for _, d, _ in dues})
    return work.PlanOut(
        id=plan.id, case_id=case_id, path=plan.path, first_due=plan.first_due, months=months,
        creditors=creditors, alerts=alerts, repayments=paid,
        covenants=[vars(b) for b in broken],
        consent=consent_behind(connection, user, case_id, plan.path,
                               [c["creditor"] for c in creditors]),
    )  # fmt: skip


def covenant_breaches(
    connection: Connection,
    business_id: str,
    plan: Any,
    dues: list[tuple[str, dt.date, float]],
    today: dt.date,
) -> list[Breach]:
    """The plan's covenants against the business's statements on record (EBITDA by the same
    convention as the features)."""
    rows = connection.execute(
        select(
            *(financial_statements.c[n] for n in ("fiscal_year", "period_end", *EBITDA_LINES))
        ).where(financial_statements.c.business_id == business_id)
    ).all()
    lines = {n: np.array([getattr(r, n) for r in rows], dtype="float64") for n in EBITDA_LINES}
    ebitda = earnings(lines)["ebitda"] if rows else np.array([])
    statements = [
        Statement(r.fiscal_year, r.period_end, None if np.isnan(e) else float(e))
        for r, e in zip(rows, ebitda, strict=True)
    ]
    terms = load_config()["covenants"]
    return breaches(
        plan.first_due, [(d, a) for _, d, a in dues], statements, today,
        min_dscr=terms["min_dscr"], statements_due_days=terms["statements_due_days"],
    )  # fmt: skip


def record_repayment(
    connection: Connection, user: User, case_id: str, body: work.RepaymentIn, source: str = "api"
) -> work.PlanOut:
    get_case_row(connection, case_id, user)
    plan = _plan(connection, case_id)
    _check_creditor(connection, plan.id, body.creditor, ["body", "creditor"])
    connection.execute(
        insert(repayments).values(
            plan_id=plan.id, creditor=body.creditor, paid_at=body.paid_at, amount=body.amount,
            source=source, recorded_by=user.name, recorded_at=dt.datetime.now(dt.UTC),
        )
    )  # fmt: skip
    return plan_view(connection, user, case_id)


def _creditors(connection: Connection, plan_id: int) -> set[str]:
    return set(
        connection.execute(
            select(plan_installments.c.creditor).where(plan_installments.c.plan_id == plan_id)
        ).scalars()
    )


def _check_creditor(connection: Connection, plan_id: int, creditor: str, loc: list[Any]) -> None:
    known = _creditors(connection, plan_id)
    if creditor not in known:
        raise InvalidInputError.field(
            loc, f"{creditor!r} is not a creditor of this plan: one of {', '.join(sorted(known))}"
        )


def upload_repayments(
    connection: Connection, user: User, filename: str, content: bytes
) -> work.RepaymentsUploaded:
    """A lender's repayments as CSV (case_id, creditor, paid_at, amount): every row is checked
    first, and nothing is recorded unless every row is right."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInputError.field([filename], "not UTF-8 text") from None
    lines = _upload_lines(filename, text)
    header = [h.strip() for h in lines[0]] if lines else []
    missing = [c for c in UPLOAD_COLUMNS if c not in header]
    if missing:
        raise InvalidInputError.field([filename], f"missing columns: {', '.join(missing)}")
    errors: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    plans: dict[str, Any] = {}
    records = (dict(zip(header, line, strict=False)) for line in lines[1:] if line)
    for number, record in enumerate(records, start=2):  # the header is row 1

        def fail(field: str, message: str, number: int = number) -> None:
            errors.append({"loc": [filename, number, field], "msg": message, "type": "value_error"})

        case_id = (record.get("case_id") or "").strip()
        if case_id not in plans:
            try:
                get_case_row(connection, case_id, user)
                plans[case_id] = _plan(connection, case_id)
            except NotFoundError as exc:
                plans[case_id] = None
                fail("case_id", str(exc.detail))
        plan = plans[case_id]
        creditor = (record.get("creditor") or "").strip()
        if plan is not None and creditor not in _creditors(connection, plan.id):
            fail("creditor", f"{creditor!r} is not a creditor of case {case_id}'s plan")
        try:
            paid_at = dt.date.fromisoformat((record.get("paid_at") or "").strip())
            work.RepaymentIn(creditor=creditor or "x", paid_at=paid_at, amount=1.0)
        except ValueError:
            fail("paid_at", "a date as YYYY-MM-DD within the supported years")
            paid_at = None
        try:
            amount = float((record.get("amount") or "").replace(",", ""))
            if not 0 < amount <= 1e12:
                raise ValueError
        except ValueError:
            fail("amount", "a positive amount in THB")
            amount = None
        if plan is not None and paid_at is not None and amount is not None:
            rows.append({"plan_id": plan.id, "creditor": creditor, "paid_at": paid_at,
                         "amount": amount})  # fmt: skip
    if errors:
        raise InvalidInputError(errors)
    now = dt.datetime.now(dt.UTC)
    if rows:
        connection.execute(
            insert(repayments),
            [{**r, "source": "csv", "recorded_by": user.name, "recorded_at": now} for r in rows],
        )
    cases = sorted(c for c, p in plans.items() if p is not None)
    return work.RepaymentsUploaded(recorded=len(rows), cases=cases)


def _upload_lines(filename: str, text: str) -> list[list[str]]:
    """The file's rows within the upload's limits: 413 for too many rows, 422 naming the row
    and column of a cell too long or a line that is not CSV."""
    try:
        return csv_rows(filename, text, UPLOAD_LIMITS)
    except ImportTooLargeError as exc:
        if exc.row is None:
            raise PayloadTooLargeError(str(exc)) from None
        where: list[Any] = [filename, exc.row] + ([exc.column] if exc.column else [])
        raise InvalidInputError.field(where, str(exc).split(": ", 1)[-1]) from None


def plan_or_none(connection: Connection, user: User, case_id: str) -> work.PlanOut | None:
    """The plan in effect on the case, if there is one."""
    try:
        return plan_view(connection, user, case_id)
    except NotFoundError:
        return None


def plans_in_arrears(
    connection: Connection, user: User, assigned_to: str
) -> list[tuple[str, list[str]]]:
    """The open cases assigned to `assigned_to` whose plan raises alerts, with the alerts."""
    query = (
        select(case_plans.c.case_id)
        .join(cases, cases.c.case_id == case_plans.c.case_id)
        .where(cases.c.assigned_to == assigned_to)
        .where(cases.c.status.not_in(CLOSED_STATUSES))
        .order_by(case_plans.c.case_id)
    )
    out = []
    for case_id in connection.execute(query).scalars():
        alerts = plan_view(connection, user, case_id).alerts
        if alerts:
            out.append((case_id, alerts))
    return out


def worst_days_past_due(connection: Connection, plan_id: int, today: dt.date) -> int:
    """How far behind the plan's most overdue creditor is, in days."""
    dues = [
        (r.creditor, r.due_date, r.amount)
        for r in connection.execute(
            select(plan_installments).where(plan_installments.c.plan_id == plan_id)
        )
    ]
    recorded = select(repayments).where(repayments.c.plan_id == plan_id)
    paid = [(r.creditor, r.paid_at, r.amount) for r in connection.execute(recorded)]
    return max((c["days_past_due"] for c in standing(dues, paid, today)), default=0)
