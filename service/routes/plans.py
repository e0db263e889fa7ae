"""Recommended paths for a case, and the analyst's what-if on plan terms."""

from __future__ import annotations

import datetime as dt
import math
from typing import Annotated

import pandas as pd
from fastapi import APIRouter, Depends, Request

from features.portfolio import typed_frames_to_portfolio
from models.plans import Plan
from models.pyfunc import features_for
from models.recommend import (
    Position,
    feasibility_function,
    load_config,
    plan_numbers,
    recommend,
    search_plans,
)
from models.specs import DISTRESS, FEASIBILITY
from service import schemas
from service.auth import Role, User, require
from service.repository import business_tables
from service.routes.cases import Conn, get_case_row
from service.scoring import model_unavailable

router = APIRouter(prefix="/cases", tags=["recommendations"])
Analyst = Annotated[User, Depends(require(Role.analyst))]


def _features(connection, request: Request, business_id: str, as_of: dt.date) -> pd.Series:
    snapshot = request.app.state.models.snapshot
    loaded = snapshot.get(DISTRESS)
    if loaded is None:
        raise model_unavailable(snapshot, DISTRESS)
    portfolio = typed_frames_to_portfolio(business_tables(connection, [business_id]))
    return features_for(loaded.scorer, portfolio, pd.Timestamp(as_of)).loc[business_id]


def _clean(numbers: dict) -> dict:
    return {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in numbers.items()}


def advise(
    connection, request: Request, row, as_of: dt.date
) -> tuple[schemas.Recommendations, dict]:
    """A case's recommendations, and the distress score (with contributions) behind them."""
    features = _features(connection, request, row.business_id, as_of)
    snapshot = request.app.state.models.snapshot
    distress = snapshot.get(DISTRESS)
    scored = distress.scorer.score(features.to_frame().T).iloc[0]
    feasibility = snapshot.get(FEASIBILITY)
    score_plans = feasibility_function(feasibility.scorer, features) if feasibility else None
    search = search_plans(Position.from_features(features), score_plans)
    options = recommend(
        features,
        distress_probability=float(scored["probability"]),
        reasons=scored["reasons"],
        problem_types=[p for p in (row.problem_types or "").split(";") if p],
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


@router.get("/{case_id}/recommendations", response_model=schemas.Recommendations)
def recommendations(
    case_id: str, request: Request, connection: Conn, user: Analyst, as_of: dt.date | None = None
) -> schemas.Recommendations:
    """Ranked options (restructure, refinance, bank follow-up, ...), each with its numbers."""
    row = get_case_row(connection, case_id, user)
    return advise(connection, request, row, as_of or dt.date.today())[0]


@router.post("/{case_id}/simulate", response_model=schemas.Simulation)
def simulate(
    case_id: str, terms: schemas.PlanTerms, request: Request, connection: Conn, user: Analyst
) -> schemas.Simulation:
    """Re-compute installment, DSCR, lender NPV and feasibility for the given plan terms."""
    row = get_case_row(connection, case_id, user)
    features = _features(connection, request, row.business_id, terms.as_of or dt.date.today())
    position = Position.from_features(features, load_config())
    plan = Plan(
        position.outstanding * (1 - terms.haircut), terms.annual_rate, terms.tenor_months,
        terms.grace_months, terms.haircut,
    )  # fmt: skip
    feasibility = request.app.state.models.snapshot.get(FEASIBILITY)
    probability = (
        feasibility_function(feasibility.scorer, features)([plan])[0] if feasibility else None
    )
    return schemas.Simulation(
        case_id=case_id,
        numbers=_clean(plan_numbers(position, plan)),
        feasibility=probability,
        feasibility_model_version=feasibility.version if feasibility else None,
    )
