"""A case entered by hand: the form's flat fields turned into the case payload (typed from the
schema declarations), drafts saved and resumed by their owner, and validation errors mapped back
to the fields they concern."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from features.schema import BUSINESSES, DEBTS, FINANCIAL_STATEMENTS, Table
from service.kit.errors import NotFoundError
from service.kit.roles import User
from service.store.tables import intake_drafts

YEARS = 3  # statement years on the form
FACILITIES = 3  # facility rows on the form
STATEMENT_LINES = (
    "revenue", "cost_of_sales", "operating_expenses", "depreciation", "interest_expense",
    "net_income", "cash", "total_assets", "total_liabilities", "equity",
)  # fmt: skip
FACILITY_FIELDS = (
    "lender", "facility_type", "outstanding", "annual_rate", "remaining_months",
    "monthly_installment", "days_past_due", "collateral_value", "collateral_type", "legal_stage",
)  # fmt: skip
MAX_FIELDS = 400
ROW_SECTIONS = ("financial_statements", "debts")
SECTIONS: dict[str, Table] = {
    "business": BUSINESSES,
    "financial_statements": FINANCIAL_STATEMENTS,
    "debts": DEBTS,
}


def _typed(table: Table, name: str, text: str) -> Any:
    """A form value as the schema declares its column (a number stays text if it is not one,
    so that validation names the field)."""
    kind = next((c.kind for c in table.columns if c.name == name), "text")
    value = text.strip()
    try:
        if kind == "int":
            return int(value.replace(",", ""))
        if kind == "float":
            return float(value.replace(",", ""))
    except ValueError:
        return value
    return value


def payload_from(fields: Mapping[str, str]) -> dict[str, Any]:
    """Fields named `business.name`, `financial_statements.0.revenue`, `debts.1.lender`,
    `channel`, `problem_types` (comma-separated) into the body of POST /cases; empty fields
    and empty rows are left out."""
    body: dict[str, Any] = {"business": {}, "financial_statements": [], "debts": []}
    rows: dict[tuple[str, int], dict[str, Any]] = {}
    for key, raw in fields.items():
        if not raw.strip():
            continue
        parts = key.split(".")
        if parts[0] == "business" and len(parts) == 2:
            body["business"][parts[1]] = _typed(BUSINESSES, parts[1], raw)
        elif (
            parts[0] in ("financial_statements", "debts") and len(parts) == 3 and parts[1].isdigit()
        ):
            row = rows.setdefault((parts[0], int(parts[1])), {})
            row[parts[2]] = _typed(SECTIONS[parts[0]], parts[2], raw)
        elif key == "problem_types":
            body["problem_types"] = [p.strip() for p in raw.split(",") if p.strip()]
        elif key in ("channel", "intake_centre", "received_at"):
            body[key] = raw.strip()
    business_id = body["business"].get("business_id")
    for (section, index), row in sorted(rows.items()):
        if section == "financial_statements" and "fiscal_year" in row:
            row.setdefault("period_end", f"{row['fiscal_year']}-12-31")
        if section == "debts":
            row.setdefault("facility_id", f"{business_id}-F{index + 1}")
            row.setdefault("as_of", dt.date.today().isoformat())
        body[section].append(row)
    return body


def field_errors(details: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Validation details keyed by the form field they concern (`business.tax_id`, ...), each
    as (error type, message): the page words the known types in the reader's language."""
    out: dict[str, tuple[str, str]] = {}
    for d in details:
        loc = [str(p) for p in d.get("loc", []) if p != "body"]
        out[".".join(loc[:3]) or "form"] = (str(d.get("type", "")), str(d.get("msg", "invalid")))
    return out


def save_draft(
    connection: Connection, user: User, fields: Mapping[str, str], draft_id: int | None
) -> int:
    kept = {k: v for k, v in list(fields.items())[:MAX_FIELDS] if k != "csrf_token"}
    now = dt.datetime.now(dt.UTC)
    if draft_id is not None:
        draft(connection, user, draft_id)
        connection.execute(
            update(intake_drafts).where(intake_drafts.c.id == draft_id).values(fields=kept,
                                                                               saved_at=now)
        )  # fmt: skip
        return draft_id
    new_id: int = connection.execute(
        insert(intake_drafts).values(owner=user.name, fields=kept, saved_at=now)
        .returning(intake_drafts.c.id)
    ).scalar_one()  # fmt: skip
    return new_id


def draft(connection: Connection, user: User, draft_id: int) -> dict[str, str]:
    row = connection.execute(
        select(intake_drafts.c.fields)
        .where(intake_drafts.c.id == draft_id)
        .where(intake_drafts.c.owner == user.name)
    ).first()
    if row is None:
        raise NotFoundError(f"no draft {draft_id} of yours")
    return dict(row.fields)


def drafts(connection: Connection, user: User) -> list[dict[str, Any]]:
    rows = connection.execute(
        select(intake_drafts)
        .where(intake_drafts.c.owner == user.name)
        .order_by(intake_drafts.c.saved_at.desc())
    ).mappings()
    return [
        {"id": r["id"], "saved_at": r["saved_at"],
         "name": r["fields"].get("business.name") or r["fields"].get("business.business_id")}
        for r in rows
    ]  # fmt: skip


def discard_draft(connection: Connection, user: User, draft_id: int) -> None:
    connection.execute(
        delete(intake_drafts)
        .where(intake_drafts.c.id == draft_id)
        .where(intake_drafts.c.owner == user.name)
    )
