"""Assessments: a case scored with the champion, the snapshot kept, the queue fields updated.

One function assesses cases, whether one at intake or an analyst's request, or thousands when a
portfolio is loaded, so every stored assessment has the same shape and the queue the same order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Row, insert, update

from features import Portfolio
from features.asof import STALE_AFTER_DAYS
from models.advice.paths import SOLUTION_PATHS
from models.advice.recommend import Advice, advise, load_config
from models.advice.situation import situations
from models.advice.triage import Triage, triage
from models.plans.plan_search import feasibility_function
from models.predict import features_for
from models.specs import DISTRESS, FEASIBILITY
from service.cases.cases import (
    case_out,
    case_records,
    get_case_row,
    prepare_registration,
    priority,
    problem_list,
    write_registration,
)
from service.kit import schemas
from service.kit.roles import User
from service.kit.runtime import Snapshot
from service.scoring.scoring import checked_portfolio, score_portfolio
from service.store.repository import business_tables
from service.store.tables import assessments, cases


@dataclass(frozen=True)
class CaseRef:
    """What an assessment needs of a case: who it is and what orders it in the queue."""

    case_id: str
    business_id: str
    problem_types: str | None
    received_at: dt.date

    @classmethod
    def of(cls, row: Row[Any]) -> CaseRef:
        return cls(row.case_id, row.business_id, row.problem_types, row.received_at)


@dataclass(frozen=True)
class Assessed:
    """Assessments computed and not yet stored: one record per case, and each case's triage."""

    refs: Sequence[CaseRef]
    records: list[dict[str, Any]]
    triaged: dict[str, Triage]


def assessments_for(
    snapshot: Snapshot,
    portfolio: Portfolio,
    refs: Sequence[CaseRef],
    as_of: dt.date,
    by: str,
    stale_after_days: int = STALE_AFTER_DAYS,
) -> Assessed:
    """Score the cases' businesses in `portfolio` at `as_of` and triage them, without touching
    the database (the costly part, kept outside any write)."""
    if not refs:
        return Assessed(refs, [], {})
    subset = portfolio.subset(sorted({r.business_id for r in refs}))
    scored = {s["business_id"]: s for s in score_portfolio(snapshot, subset, as_of)}
    triaged = triage_cases(snapshot, subset, refs, as_of, stale_after_days)
    now = dt.datetime.now(dt.UTC)
    records = []
    for ref in refs:
        s = scored[ref.business_id]
        records.append(
            {
                "case_id": ref.case_id, "as_of": as_of, "created_at": now, "created_by": by,
                "distress_probability": s["distress_probability"], "risk_band": s["risk_band"],
                "distress_model_version": s["model_version"], "reasons": s["reasons"],
                "features": s["features"],
            }
        )  # fmt: skip
    return Assessed(refs, records, triaged)


# What computes assessments for a request: `assessments_for` itself, or the service's helper
# processes (service.cases.assess_pool), which take the same arguments.
Assess = Callable[[Snapshot, Portfolio, Sequence[CaseRef], dt.date, str], Assessed]


def case_scores(assessed: Assessed) -> dict[str, dict[str, Any]]:
    """The score, band, triage and priority each assessed case takes, by case id."""
    values = {}
    for ref, record in zip(assessed.refs, assessed.records, strict=True):
        probability = record["distress_probability"]
        found = assessed.triaged.get(ref.case_id)
        triage_class = found.triage_class if found else None
        values[ref.case_id] = {
            "distress_probability": probability, "risk_band": record["risk_band"],
            "triage": triage_class,
            "triage_reasons": {"en": found.reasons, "th": found.reasons_th} if found else None,
            "best_feasibility": found.feasibility if found else None,
            "priority": priority(probability, ref.problem_types, ref.received_at, triage_class),
            "updated_at": record["created_at"],
        }  # fmt: skip
    return values


def keep_assessments(connection: Connection, assessed: Assessed) -> list[dict[str, Any]]:
    """Insert the assessments of cases already written with their `case_scores`; returns
    them as stored."""
    if not assessed.refs:
        return []
    returning = insert(assessments).returning(assessments.c.id, sort_by_parameter_order=True)
    ids = list(connection.execute(returning, assessed.records).scalars())
    return [{"id": i, **record} for i, record in zip(ids, assessed.records, strict=True)]


def store_assessments(connection: Connection, assessed: Assessed) -> list[dict[str, Any]]:
    """Keep each assessment and update its case's score, band, triage and priority; returns
    the stored assessments."""
    records = keep_assessments(connection, assessed)
    for case_id, values in case_scores(assessed).items():
        connection.execute(update(cases).where(cases.c.case_id == case_id).values(**values))
    return records


def triage_cases(
    snapshot: Snapshot,
    portfolio: Portfolio,
    refs: Sequence[CaseRef],
    as_of: dt.date,
    stale_after_days: int,
) -> dict[str, Triage]:
    """Each case's triage: its business's situation, the advice on it (plans re-scored by the
    feasibility champion when one is loaded) and the age of its latest statement."""
    distress = snapshot.get(DISTRESS)
    if distress is None:
        return {}
    feasibility = snapshot.get(FEASIBILITY)
    features = features_for(distress.scorer, portfolio, as_of)
    found = situations(
        portfolio, as_of, {r.business_id: problem_list(r.problem_types) for r in refs}, features
    )
    target = load_config()["plan"]["target_dscr"]
    out = {}
    for ref in refs:
        situation = found[ref.business_id]
        series = features.loc[ref.business_id]
        score_plans = feasibility_function(feasibility.scorer, series) if feasibility else None
        advice = advise(situation, feasibility=score_plans)
        row = {**series.to_dict()}
        if situation.latest_statement is not None:
            row["cash"] = situation.latest_statement.get("cash")
        best, reaches = triage_plan(advice)
        out[ref.case_id] = triage(
            row, best, reaches, situation.problem_types, situation.statement_age_days,
            stale_after_days=stale_after_days, target_dscr=target,
            legal_action=situation.legal_action,
        )  # fmt: skip
    return out


def triage_plan(advice: Advice) -> tuple[dict[str, Any] | None, bool]:
    """What triage reads of the advice: the best plan (or the exit's numbers) and whether any
    plan makes the business viable."""
    for option in advice.options:
        n = option["numbers"]
        if option["path"] in SOLUTION_PATHS:
            plan = {
                "dscr_after": n["dscr_after"],
                "feasibility": n.get("feasibility"),
                "lender_npv": n["creditor_npv"],
                "liquidation_value": n["liquidation_value"],
            }
            return plan, bool(option["viable"])
        if option["path"] == "orderly_exit":
            return {
                "dscr_after": n["closest_dscr"],
                "lender_npv": n["best_plan_value"],
                "liquidation_value": n["liquidation_value"],
            }, False
    return None, False


def assess_case(
    connection: Connection,
    snapshot: Snapshot,
    user: User,
    case_id: str,
    as_of: dt.date,
    assess: Assess = assessments_for,
) -> schemas.Assessment:
    """Score a case now from its stored rows and keep the snapshot."""
    row = get_case_row(connection, case_id, user)
    portfolio = checked_portfolio(business_tables(connection, [row.business_id]))
    found = assess(snapshot, portfolio, [CaseRef.of(row)], as_of, user.name)
    stored = store_assessments(connection, found)
    return schemas.Assessment(**stored[0])


def list_assessments(connection: Connection, user: User, case_id: str) -> list[schemas.Assessment]:
    return [schemas.Assessment(**r) for r in case_records(connection, user, case_id, assessments)]


def register_and_assess(
    connection: Connection,
    snapshot: Snapshot,
    user: User,
    payload: schemas.CaseIn,
    idempotency_key: str | None,
    assess: Assess = assessments_for,
) -> schemas.CaseOut:
    """Register a case and, when a model is loaded, score it in the same request, so that an
    urgent new case takes its place in the queue at once. The business is scored from its
    rows as they will stand on record before anything is written, and the case, its rows and
    its assessment are then written together: the write is short, and the case never shows
    in the queue unscored."""
    prepared = prepare_registration(connection, user, payload, idempotency_key)
    if isinstance(prepared, schemas.CaseOut):
        return prepared
    assessed = None
    if snapshot.get(DISTRESS) is not None:
        case = prepared.case
        ref = CaseRef(case["case_id"], case["business_id"], case["problem_types"],
                      case["received_at"])  # fmt: skip
        assessed = assess(snapshot, prepared.rows.record, [ref], dt.date.today(), user.name)
        # Written with its scores in one insert: the queue's counts move once, not three times.
        prepared.case.update(case_scores(assessed)[case["case_id"]])
    write_registration(connection, prepared)
    if assessed is not None:
        keep_assessments(connection, assessed)
    return case_out(get_case_row(connection, prepared.case_id, user), user)
