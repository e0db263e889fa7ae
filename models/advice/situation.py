"""A business's situation at an as-of date, as the advice reads it: its feature row, its
facilities, its applications as they stand, the age of its statements and its problem types.

Built from the same portfolio tables and the same feature pipeline as the models, so the advice
sees the numbers the scores were computed on.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from features import Portfolio, build_features
from features.applications import application_states
from features.columns import frame_columns, positions
from features.pipeline import INPUTS
from features.schema import LEGAL_STAGES, LOAN_APPLICATIONS


@dataclass(frozen=True)
class Situation:
    business_id: str
    as_of: dt.date
    features: Mapping[str, Any]
    debts: pd.DataFrame  # rows of the latest facility snapshot on or before the as-of date
    applications: list[dict[str, Any]]  # visible ones, with their status as of the date
    latest_statement: Mapping[str, Any] | None
    statement_age_days: int | None
    sector: str | None
    legal_form: str | None
    employees: float
    problem_types: list[str]

    def number(self, name: str) -> float:
        return _float(self.features.get(name))

    @property
    def legal_action(self) -> tuple[str, str] | None:
        """The furthest a lender has gone to collect, with that lender; None when no facility
        records it."""
        if "legal_stage" not in self.debts.columns:
            return None
        furthest: tuple[int, str, str] | None = None
        for stage, lender in zip(self.debts["legal_stage"], self.debts["lender"], strict=True):
            if isinstance(stage, str) and stage in LEGAL_STAGES:
                rank = LEGAL_STAGES.index(stage)
                if furthest is None or rank > furthest[0]:
                    furthest = (rank, stage, str(lender))
        return None if furthest is None else (furthest[1], furthest[2])


def situations(
    portfolio: Portfolio,
    as_of: dt.date,
    problem_types: Mapping[str, Sequence[str]] | None = None,
    features: pd.DataFrame | None = None,
) -> dict[str, Situation]:
    """Every business's situation at `as_of`; `features` when the caller built them already."""
    when = pd.Timestamp(as_of)
    ids = [str(b) for b in portfolio.businesses["business_id"]]
    frame = features if features is not None else build_features(portfolio, when, context=True)
    businesses = portfolio.businesses.set_index("business_id")

    debts = portfolio.debts
    debts = debts[debts["as_of"] <= when]
    latest = debts.groupby("business_id")["as_of"].transform("max")
    debts = debts[debts["as_of"] == latest]
    debts_by = dict(tuple(debts.groupby("business_id")))

    statements = portfolio.financial_statements
    statements = statements[statements["period_end"] <= when].sort_values("period_end")
    last = statements.groupby("business_id").last()

    applications = _applications(portfolio, ids, when)
    out = {}
    empty = debts.iloc[0:0]
    for bid in ids:
        info = businesses.loc[bid]
        statement = last.loc[bid].to_dict() if bid in last.index else None
        age = (when - statement["period_end"]).days if statement else None
        out[bid] = Situation(
            business_id=bid,
            as_of=as_of,
            features=frame.loc[bid].to_dict(),
            debts=debts_by.get(bid, empty),
            applications=applications.get(bid, []),
            latest_statement=statement,
            statement_age_days=age,
            sector=_text(info.get("sector")),
            legal_form=_text(info.get("legal_form")),
            employees=_float(info.get("employees")),
            problem_types=list((problem_types or {}).get(bid, [])),
        )
    return out


def _text(value: Any) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _float(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _applications(
    portfolio: Portfolio, ids: list[str], when: pd.Timestamp
) -> dict[str, list[dict[str, Any]]]:
    """Each business's visible applications with their status, days pending and SLA as of
    the date: `features.applications.application_states`, the one definition of stalled."""
    apps = portfolio.loan_applications
    history = portfolio.application_status_history
    columns = frame_columns(apps, [c.name for c in LOAN_APPLICATIONS.columns])
    codes = positions(ids, apps["business_id"])
    cutoff = np.full(len(ids), when.to_datetime64(), dtype="datetime64[ns]")
    states = application_states(
        columns, frame_columns(history, INPUTS["application_status_history"]), codes, cutoff
    )
    out: dict[str, list[dict[str, Any]]] = {}
    records = apps.to_dict("records")
    for i, row in enumerate(states.rows):
        record = records[row]
        out.setdefault(str(record["business_id"]), []).append(
            {
                "application_id": record["application_id"],
                "lender": record["lender"],
                "product": _text(record.get("product")),
                "amount": _float(record.get("amount")),
                "status": str(states.status[i]),
                "days_pending": int(states.days_pending[i]),
                "sla_days": int(states.sla_days[i]),
                "pending": bool(states.pending[i]),
                "stalled": bool(states.stalled[i]),
                "rejection_reason": _text(record.get("rejection_reason")) or None,
            }
        )
    return out
