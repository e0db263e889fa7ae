"""Businesses for the advice tests, built as the advice reads them (a `Situation`)."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from models.advice.situation import Situation
from models.plans.arithmetic import annuity_payment

AS_OF = dt.date(2026, 6, 30)
DEBT_COLUMNS = (
    "facility_id", "lender", "facility_type", "outstanding", "annual_rate", "remaining_months",
    "monthly_installment", "days_past_due", "collateral_value", "guarantee", "legal_stage",
    "collateral_type",
)  # fmt: skip


def facility(
    fid: str,
    lender: str,
    kind: str,
    outstanding: float,
    rate: float | None,
    months: int,
    dpd: int = 0,
    collateral: float = 0.0,
    legal_stage: str = "none",
    collateral_type: str = "none",
) -> dict[str, Any]:
    revolving = kind in ("overdraft", "trade_finance")
    r = math.nan if rate is None else rate
    installment = (
        outstanding * (r if rate is not None else 0.075) / 12
        if revolving
        else float(annuity_payment(outstanding, r if rate is not None else 0.075, months))
    )
    return dict(
        zip(DEBT_COLUMNS, (fid, lender, kind, outstanding, r, months, round(installment, 2),
                           dpd, collateral, "", legal_stage, collateral_type), strict=True)
    )  # fmt: skip


def application(
    app_id: str,
    lender: str,
    status: str,
    days: int,
    amount: float = 1_000_000.0,
    reason: str | None = None,
    sla: int = 45,
) -> dict[str, Any]:
    pending = status in ("submitted", "documents_requested", "under_review")
    return {
        "application_id": app_id, "lender": lender, "product": "term_loan", "amount": amount,
        "status": status, "days_pending": days, "sla_days": sla, "pending": pending,
        "stalled": pending and days > sla, "rejection_reason": reason,
    }  # fmt: skip


def situation(
    *,
    ebitda: float | None,
    debts: Sequence[dict[str, Any]] = (),
    applications: Sequence[dict[str, Any]] = (),
    revenue: float = 20_000_000.0,
    margin: float | None = None,
    growth: float = 0.03,
    statement_age: int | None = 180,
    problems: tuple[str, ...] = (),
    legal_form: str = "company_limited",
    employees: float = 25.0,
    sector: str = "C",
    fiscal_year: int = 2025,
) -> Situation:
    e = math.nan if ebitda is None else ebitda
    statement = (
        None
        if statement_age is None
        else {"revenue": revenue, "fiscal_year": fiscal_year, "cash": 500_000.0,
              "period_end": pd.Timestamp(AS_OF) - pd.Timedelta(days=statement_age)}
    )  # fmt: skip
    features = {
        "ebitda": e if statement else math.nan,
        "ebitda_margin": (margin if margin is not None else e / revenue) if statement else math.nan,
        "revenue_growth": growth if statement else math.nan,
    }
    return Situation(
        business_id="B1", as_of=AS_OF, features=features,
        debts=pd.DataFrame(list(debts), columns=list(DEBT_COLUMNS)),
        applications=list(applications), latest_statement=statement,
        statement_age_days=statement_age, sector=sector, legal_form=legal_form,
        employees=employees, problem_types=list(problems),
    )  # fmt: skip
