"""Advice on a case: ranked recommendations from the plan engine, and the analyst's what-if."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Row

from models.advice.recommend import Advice, advise, load_config, what_if
from models.advice.situation import Situation, situations
from models.plans.plan_search import feasibility_function
from models.predict import features_for
from models.specs import FEASIBILITY
from service.cases.cases import get_case_row, problem_list
from service.cases.reassess import assessed_on
from service.kit import schemas
from service.kit.roles import User
from service.kit.runtime import Snapshot
from service.scoring.scoring import champion, checked_portfolio
from service.store.repository import business_tables


def json_safe(value: Any) -> Any:
    """NaN as null, NumPy scalars as Python ones, tuples as lists, all the way down."""
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def case_situation(
    connection: Connection, snapshot: Snapshot, row: Row[Any], as_of: dt.date
) -> tuple[Situation, pd.Series]:
    """The case's business as the advice reads it, with its feature row."""
    scorer = champion(snapshot).scorer
    portfolio = checked_portfolio(business_tables(connection, [row.business_id]))
    features = features_for(scorer, portfolio, as_of)
    found = situations(
        portfolio, as_of, {row.business_id: problem_list(row.problem_types)}, features
    )
    return found[row.business_id], features.loc[row.business_id]


def advice_for(snapshot: Snapshot, situation: Situation, features: pd.Series) -> Advice:
    feasibility = snapshot.get(FEASIBILITY)
    score_plans = feasibility_function(feasibility.scorer, features) if feasibility else None
    return advise(situation, feasibility=score_plans)


def case_date(connection: Connection, row: Row[Any]) -> dt.date:
    """The date a case is advised as of: its latest assessment's (today before its first), so
    the queue's triage, the page, the memo, the API and a decision read one assessment."""
    return assessed_on(connection, row.case_id) or dt.date.today()


def advise_case(
    connection: Connection, snapshot: Snapshot, row: Row[Any], as_of: dt.date | None = None
) -> tuple[schemas.Recommendations, dict[str, Any]]:
    """A case's recommendations, and the distress score (with contributions) behind them, as
    of `as_of` or, by default, the date of the case's latest assessment."""
    as_of = as_of or case_date(connection, row)
    situation, features = case_situation(connection, snapshot, row, as_of)
    distress = champion(snapshot)
    scored = distress.scorer.score(features.to_frame().T).iloc[0]
    advice = advice_for(snapshot, situation, features)
    drivers = [r["feature"] for r in scored["reasons"][:3]]
    options = [json_safe({**o, "drivers": drivers}) for o in advice.options]
    out = schemas.Recommendations(
        case_id=row.case_id,
        as_of=as_of,
        distress_probability=float(scored["probability"]),
        risk_band=str(scored["risk_band"]),
        plan_search=advice.plan_search,
        size_class=advice.size_class,
        outside_sme=json_safe(advice.scope),
        programmes_considered=json_safe(advice.sources),
        options=options,
    )
    return out, {**scored.to_dict(), "model_version": distress.version}


def recommendations(
    connection: Connection, snapshot: Snapshot, user: User, case_id: str, as_of: dt.date | None
) -> schemas.Recommendations:
    row = get_case_row(connection, case_id, user)
    return advise_case(connection, snapshot, row, as_of)[0]


def simulate(
    connection: Connection,
    snapshot: Snapshot,
    user: User,
    case_id: str,
    terms: schemas.PlanTerms,
) -> schemas.Simulation:
    """The case's debt consolidated at the given terms: installment, DSCR, the creditors' NPV
    against liquidation, and feasibility."""
    row = get_case_row(connection, case_id, user)
    as_of = terms.as_of or case_date(connection, row)
    situation, features = case_situation(connection, snapshot, row, as_of)
    feasibility = snapshot.get(FEASIBILITY)
    score_plans = feasibility_function(feasibility.scorer, features) if feasibility else None
    numbers, probability = what_if(
        situation, terms.annual_rate, terms.tenor_months, terms.grace_months, terms.haircut,
        load_config(), score_plans,
    )  # fmt: skip
    return schemas.Simulation(
        case_id=case_id,
        numbers=json_safe(numbers),
        feasibility=probability,
        feasibility_model_version=feasibility.version if feasibility else None,
    )
