"""Recorded outcomes back into a portfolio that `rescue train` reads: the retraining loop.

Two kinds of outcome: the distress outcomes analysts record, and the outcomes of the plans put
into effect, read from their repayment record: a plan that fell 90 days behind did not perform;
one that has run twelve months without doing so did."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Connection, select

from models.plans.schedules import RE_DEFAULT_DAYS
from service.casework.monitoring import worst_days_past_due
from service.store.db import Database
from service.store.repository import business_tables
from service.store.tables import case_plans, cases, recorded_outcomes


def plan_outcomes(connection: Connection, today: dt.date) -> list[dict[str, Any]]:
    """Each plan whose outcome is known, as an outcomes row with the plan's terms."""
    rows = []
    plans = connection.execute(
        select(case_plans, cases.c.business_id)
        .join(cases, cases.c.case_id == case_plans.c.case_id)
        .where(case_plans.c.ended_at.is_(None))
    ).mappings()
    for plan in plans:
        worst = worst_days_past_due(connection, plan["id"], today)
        ran_a_year = today >= plan["first_due"] + dt.timedelta(days=365)
        if worst < RE_DEFAULT_DAYS and not ran_a_year:
            continue  # too early to tell
        terms = plan["option"].get("plan_terms", {})
        rows.append(
            {
                "business_id": plan["business_id"],
                "as_of": plan["first_due"] - dt.timedelta(days=1),
                "restructuring_id": f"P{plan['id']}", "restructured_at": plan["first_due"],
                "plan_type": "combined",
                "plan_outstanding": terms.get("plan_outstanding"),
                "plan_rate": terms.get("plan_rate"),
                "plan_tenor_months": round(terms.get("plan_tenor_months", 0)) or None,
                "plan_grace_months": round(terms.get("plan_grace_months", 0)),
                "plan_haircut": terms.get("plan_haircut"),
                "plan_installment": terms.get("plan_installment"),
                "performing_12m": "false" if worst >= RE_DEFAULT_DAYS else "true",
            }
        )  # fmt: skip
    return rows


def training_tables(db: Database, today: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """Every business with a recorded outcome or a plan whose outcome is known, its rows, and
    an `outcomes` table."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            select(
                recorded_outcomes.c.business_id,
                recorded_outcomes.c.as_of,
                recorded_outcomes.c.distress_12m,
            ).where(recorded_outcomes.c.distress_12m.is_not(None))
        ).all()
        outcomes = pd.DataFrame(rows, columns=["business_id", "as_of", "distress_12m"])
        outcomes = outcomes.drop_duplicates(["business_id", "as_of"], keep="last")
        outcomes["distress_12m"] = outcomes["distress_12m"].map({True: "true", False: "false"})
        plans = pd.DataFrame(plan_outcomes(connection, today or dt.date.today()))
        if not plans.empty:
            outcomes = pd.concat([outcomes, plans], ignore_index=True)
        ids = outcomes["business_id"].unique().tolist()
        tables = business_tables(connection, ids)
    tables = {name: frame for name, frame in tables.items() if not frame.empty}
    tables["outcomes"] = outcomes.sort_values(["as_of", "business_id"]).reset_index(drop=True)
    return tables
