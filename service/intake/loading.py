"""Loading a portfolio's businesses and cases into the service database, scored once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import delete, insert, select

from features import Portfolio
from features.portfolio import portfolio_date
from models.specs import DISTRESS
from service.access.users import create_user
from service.cases.assessments import CaseRef, assessments_for, case_scores, keep_assessments
from service.cases.cases import priority
from service.kit.roles import Role
from service.kit.runtime import Snapshot
from service.store.db import Database, refresh_statistics
from service.store.repository import save_portfolio
from service.store.tables import case_status_changes, cases, users

LOADER = "portfolio loader"

DEMO_USERS: tuple[tuple[str, Role, dict[str, Any]], ...] = (
    ("demo-analyst", Role.analyst, {}),
    ("demo-manager", Role.centre_manager, {}),
    ("demo-bank-liaison", Role.bank_liaison, {"lender": "Chao Phraya Commercial Bank"}),
    ("demo-intake-chiang-mai", Role.intake_officer, {"province": "Chiang Mai"}),
    ("demo-data-scientist", Role.data_scientist, {}),
    ("demo-admin", Role.admin, {}),
)


def load_into_db(
    db: Database, portfolio: Portfolio, snapshot: Snapshot, as_of: dt.date | None = None
) -> dict[str, int]:
    """Upsert the portfolio's tables, register its cases, and assess them with the champion,
    as of `as_of` or, by default, the date the portfolio describes."""
    as_of = as_of or portfolio_date(portfolio)
    now = dt.datetime.now(dt.UTC)
    with db.engine.connect() as connection:
        known = set(connection.execute(select(cases.c.case_id)).scalars())
    rows = _new_cases(portfolio, known, now)
    refs = [
        CaseRef(r["case_id"], r["business_id"], r["problem_types"], r["received_at"]) for r in rows
    ]
    # Scored before the write, from the portfolio itself: the transaction below then holds the
    # database's write lock (and on PostgreSQL the rows of case_counts) for its inserts alone,
    # not for the scoring of every case, and the service's intakes go on meanwhile.
    assessed = (
        assessments_for(snapshot, portfolio, refs, as_of, LOADER)
        if snapshot.get(DISTRESS) is not None
        else None
    )
    if assessed is not None:  # written with its scores, a case moves the counts once
        scores = case_scores(assessed)
        rows = [{**r, **scores[r["case_id"]]} for r in rows]
    with db.engine.begin() as connection:
        counts = save_portfolio(connection, portfolio)
        if rows:
            connection.execute(insert(cases), rows)
            connection.execute(
                insert(case_status_changes),
                [
                    {"case_id": r["case_id"], "from_status": None, "to_status": r["status"],
                     "changed_by": LOADER, "changed_at": now, "note": "imported"}
                    for r in rows
                ],
            )  # fmt: skip
        counts["cases"] = len(rows)
        counts["assessments"] = len(keep_assessments(connection, assessed)) if assessed else 0
    refresh_statistics(db.engine)
    return counts


def _new_cases(portfolio: Portfolio, known: set[str], now: dt.datetime) -> list[dict[str, Any]]:
    """The portfolio's cases not in the database yet, as rows of `cases`."""
    incoming = portfolio.cases[~portfolio.cases["case_id"].isin(known)]
    province = portfolio.businesses.set_index("business_id")["province"]
    return [
        {
            "case_id": r.case_id, "business_id": r.business_id, "channel": r.channel,
            "intake_centre": None if pd.isna(r.intake_centre) else r.intake_centre,
            "province": province.get(r.business_id), "received_at": r.received_at.date(),
            "problem_types": None if pd.isna(r.problem_types) else r.problem_types,
            "status": "received" if pd.isna(r.status) else r.status,
            "created_by": LOADER, "updated_at": now,
            "priority": priority(None, r.problem_types if pd.notna(r.problem_types) else None,
                                 r.received_at.date()),
        }
        for r in incoming.itertuples(index=False)
    ]  # fmt: skip


def create_demo_users(db: Database) -> dict[str, str]:
    """(Re)create the demo users and return their fresh tokens."""
    tokens = {}
    with db.sessions() as session:
        for name, role, scope in DEMO_USERS:
            session.execute(delete(users).where(users.c.name == name))
            session.commit()
            tokens[name] = create_user(session, name, role, **scope)
    return tokens
