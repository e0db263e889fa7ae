"""Advice on a case: ranked recommendations from the plan engine, and the analyst's what-if."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Row

from models.plans import Plan
from models.predict import features_for
from models.recommend import (
    Position,
    feasibility_function,
    load_config,
    plan_numbers,
    recommend,
    search_plans,
)
from models.specs import FEASIBILITY
from service import schemas
from service.cases import get_case_row, problem_list
from service.repository import business_tables
from service.roles import User
from service.runtime import Snapshot
from service.scoring import champion, checked_portfolio


def case_features(
    connection: Connection, snapshot: Snapshot, business_id: str, as_of: dt.date
) -> pd.Series:
    """The business's feature row (with context columns) from its stored rows."""
    scorer = champion(snapshot).scorer
    portfolio = checked_portfolio(business_tables(connection, [business_id]))
    row: pd.Series = features_for(scorer, portfolio, as_of).loc[business_id]
    return row


def _clean(numbers: dict[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in numbers.items()}


def advise(
    connection: Connection, snapshot: Snapshot, row: Row[Any], as_of: dt.date
) -> tuple[schemas.Recommendations, dict[str, Any]]:
    """A case's recommendations, and the distress score (with contributions) behind them."""
    features = case_features(connection, snapshot, row.business_id, as_of)
    distress = champion(snapshot)
    scored = distress.scorer.score(features.to_frame().T).iloc[0]
    feasibility = snapshot.get(FEASIBILITY)
    score_plans = feasibility_function(feasibility.scorer, features) if feasibility else None
    search = search_plans(Position.from_features(features), score_plans)
    options = recommend(
        features,
        distress_probability=float(scored["probability"]),
        reasons=scored["reasons"],
        problem_types=problem_list(row.problem_types),
        feasibility=score_plans,
        search=search,
    )
    for option in options:
        option["numbers"] = _clean(option["numbers"])
        option["plans"] = [_clean(p) for p in option.get("plans", [])]
    advice = schemas.Recommendations(
        case_id=row.case_id,
        as_of=as_of,
        distress_probability=float(scored["probability"]),
        risk_band=str(scored["risk_band"]),
        plan_search=search.message,
        options=options,
    )
    return advice, {**scored.to_dict(), "model_version": distress.version}


def recommendations(
    connection: Connection, snapshot: Snapshot, user: User, case_id: str, as_of: dt.date
) -> schemas.Recommendations:
    row = get_case_row(connection, case_id, user)
    return advise(connection, snapshot, row, as_of)[0]


def simulate(
    connection: Connection,
    snapshot: Snapshot,
    user: User,
    case_id: str,
    terms: schemas.PlanTerms,
) -> schemas.Simulation:
    """Installment, DSCR, lender NPV and feasibility of the given plan terms for the case."""
    row = get_case_row(connection, case_id, user)
    as_of = terms.as_of or dt.date.today()
    features = case_features(connection, snapshot, row.business_id, as_of)
    position = Position.from_features(features, load_config())
    plan = Plan(
        position.outstanding * (1 - terms.haircut), terms.annual_rate, terms.tenor_months,
        terms.grace_months, terms.haircut,
    )  # fmt: skip
    feasibility = snapshot.get(FEASIBILITY)
    probability = (
        feasibility_function(feasibility.scorer, features)([plan])[0] if feasibility else None
    )
    return schemas.Simulation(
        case_id=case_id,
        numbers=_clean(plan_numbers(position, plan)),
        feasibility=probability,
        feasibility_model_version=feasibility.version if feasibility else None,
    )
