"""The centre at a glance: cases by province, intake centre, problem type, channel, status and
triage class; outcomes; plans performing or failed; time from intake to decision; and each
analyst's workload, all over the cases a filter selects."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from typing import Any

from sqlalchemy import Connection, func, select

from features.catalogues.case_statuses import CLOSED_STATUSES
from models.plans.schedules import RE_DEFAULT_DAYS
from service.access.scope import scoped
from service.cases.cases import problem_list, status_age
from service.casework import schemas as work
from service.casework.monitoring import worst_days_past_due
from service.kit.roles import User
from service.store.tables import (
    businesses,
    case_plans,
    cases,
    decisions,
    recorded_outcomes,
)

DIMENSIONS = ("province", "intake_centre", "problem_type", "channel", "status", "triage")


def dashboard(connection: Connection, user: User, query: work.DashboardQuery) -> work.Dashboard:
    base = scoped(
        select(cases).join(businesses, businesses.c.business_id == cases.c.business_id), user
    )
    if query.province:
        base = base.where(func.lower(cases.c.province) == query.province.strip().lower())
    if query.channel:
        base = base.where(cases.c.channel == query.channel)
    if query.received_from:
        base = base.where(cases.c.received_at >= query.received_from)
    if query.received_to:
        base = base.where(cases.c.received_at <= query.received_to)
    rows = [dict(r) for r in connection.execute(base).mappings()]
    ids = [r["case_id"] for r in rows]
    counts: dict[str, Counter[str]] = {d: Counter() for d in DIMENSIONS}
    for r in rows:
        for d in ("province", "intake_centre", "channel", "status", "triage"):
            counts[d][str(r[d] or "–")] += 1
        for p in problem_list(r["problem_types"]) or ["–"]:
            counts["problem_type"][p] += 1
    today = dt.date.today()
    return work.Dashboard(
        total=len(rows),
        counts={d: dict(c.most_common()) for d, c in counts.items()},
        outcomes=_outcomes(connection, ids),
        plans=_plans(connection, ids, today),
        intake_to_decision_days=_to_decision(connection, rows),
        workload=_workload(rows),
    )


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def _outcomes(connection: Connection, ids: list[str]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for chunk in _chunks(ids):
        for r in connection.execute(
            select(recorded_outcomes.c.distress_12m).where(recorded_outcomes.c.case_id.in_(chunk))
        ):
            out["distress" if r.distress_12m else "no distress" if r.distress_12m is not None
                else "unknown"] += 1  # fmt: skip
    return dict(out)


def _plans(connection: Connection, ids: list[str], today: dt.date) -> dict[str, int]:
    """Plans in effect: failed (90 days behind), in arrears, performing."""
    out = {"performing": 0, "in_arrears": 0, "failed": 0}
    for chunk in _chunks(ids):
        for plan in connection.execute(
            select(case_plans.c.id)
            .where(case_plans.c.case_id.in_(chunk))
            .where(case_plans.c.ended_at.is_(None))
        ):
            worst = worst_days_past_due(connection, plan.id, today)
            key = "failed" if worst >= RE_DEFAULT_DAYS else "in_arrears" if worst else "performing"
            out[key] += 1
    return out


def _to_decision(connection: Connection, rows: list[dict[str, Any]]) -> dict[str, float | None]:
    received = {r["case_id"]: r["received_at"] for r in rows}
    first: dict[str, dt.datetime] = {}
    for chunk in _chunks(list(received)):
        query = (
            select(decisions.c.case_id, func.min(decisions.c.decided_at))
            .where(decisions.c.case_id.in_(chunk))
            .group_by(decisions.c.case_id)
        )
        for case_id, at in connection.execute(query):
            first[case_id] = at
    days = sorted(
        max((_date(at) - received[c]).days, 0) for c, at in first.items() if at is not None
    )
    if not days:
        return {"decided": 0, "median": None, "p90": None}
    p90 = days[min(len(days) - 1, int(0.9 * len(days)))]
    return {"decided": len(days), "median": float(statistics.median(days)), "p90": float(p90)}


def _date(value: Any) -> dt.date:
    return (
        value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value)[:10])
    )


def _workload(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    load: dict[str, Counter[str]] = {}
    for r in rows:
        if r["status"] in CLOSED_STATUSES:
            continue
        who = r["assigned_to"] or "–"
        c = load.setdefault(who, Counter())
        c["open"] += 1
        if status_age(r["status"], r["status_since"], r["received_at"])["overdue"]:
            c["overdue"] += 1
    return [
        {"analyst": who, "open": c["open"], "overdue": c["overdue"]}
        for who, c in sorted(load.items(), key=lambda kv: (-kv[1]["open"], kv[0]))
    ]


def dashboard_rows(board: work.Dashboard) -> list[dict[str, Any]]:
    """The dashboard as rows of (section, item, value), for a spreadsheet."""
    rows: list[dict[str, Any]] = [{"section": "cases", "item": "total", "value": board.total}]
    for dimension, counts in board.counts.items():
        rows += [{"section": dimension, "item": k, "value": v} for k, v in counts.items()]
    rows += [{"section": "outcomes", "item": k, "value": v} for k, v in board.outcomes.items()]
    rows += [{"section": "plans", "item": k, "value": v} for k, v in board.plans.items()]
    rows += [
        {"section": "intake_to_decision_days", "item": k, "value": v}
        for k, v in board.intake_to_decision_days.items()
    ]
    for w in board.workload:
        rows += [
            {"section": "workload_open", "item": w["analyst"], "value": w["open"]},
            {"section": "workload_overdue", "item": w["analyst"], "value": w["overdue"]},
        ]
    return rows
