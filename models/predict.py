"""The one predict path: portfolio tables -> features -> scores, explanations and reasons.

The API, the batch scorer (`rescue score`, `POST /score/batch`) and the MLflow pyfunc all call
these functions, so a business gets the same score and the same reasons wherever it is scored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from features import Portfolio, build_features
from features.asof import STALE_AFTER_DAYS
from features.columns import Columns
from features.pipeline import FEATURE_TABLES, feature_columns
from features.plan import plan_features
from models.scorer import Scorer, feature_matrix


def features_for(
    scorer: Scorer,
    portfolio: Portfolio,
    as_of: str | dt.date | pd.Timestamp | None,
    plans: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The scorer's input rows: business features, joined with plan terms for feasibility."""
    when = pd.Timestamp(as_of) if as_of is not None else pd.Timestamp.today().normalize()
    features = build_features(portfolio, when, context=True)
    if scorer.spec.target_is_risk:
        return features
    if plans is None:
        raise ValueError("the feasibility model needs a 'plans' table of plan terms")
    terms = pd.DataFrame(plans).set_index("business_id")
    return plan_features(features.loc[terms.index], terms)


def json_value(value: object) -> object:
    """A feature value as JSON: NaN and None as null, numbers as float, categories as text."""
    if value is None or isinstance(value, str):
        return value
    number = float(np.asarray(value, dtype="float64"))
    return None if np.isnan(number) else number


def score_columns(
    scorer: Scorer,
    version: str,
    tables: Mapping[str, Columns],
    as_of: dt.date | Sequence[dt.date],
    supplied: frozenset[str] = FEATURE_TABLES,
    business_ids: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """The scored row of each business in `tables` (checked already), at one date or a date
    per business: probability, band, raw score, base value, contributions, reasons and the
    feature values. `business_ids` names the rows where the tables key them otherwise."""
    keys = tables["businesses"]["business_id"]
    days = [as_of] * len(keys) if isinstance(as_of, dt.date) else list(as_of)
    columns = feature_columns(tables, supplied, np.array(days, dtype="datetime64[ns]"))
    scores = scorer.evaluate(feature_matrix(columns, scorer.features))
    contrib = scores.contributions
    if contrib is None or scores.bands is None:
        raise ValueError(f"{scorer.name} does not give bands with explanations")
    results = []
    ages = columns["statement_age_days"]
    for i, business_id in enumerate(keys if business_ids is None else business_ids):
        values = {name: columns[name][i] for name in scorer.features}
        age = None if np.isnan(ages[i]) else int(ages[i])
        results.append(
            {
                "business_id": business_id,
                "as_of": days[i],
                "distress_probability": float(scores.probability[i]),
                "risk_band": scores.bands[i],
                "model_version": version,
                "base_value": float(contrib[i, -1]),
                "raw_score": float(scores.raw[i]),
                "reasons": scorer.reasons(contrib[i, :-1], values),
                "contributions": dict(zip(scorer.features, contrib[i, :-1].tolist(), strict=True)),
                "features": {name: json_value(v) for name, v in values.items()},
                "statement_age_days": age,
                "stale_statements": age is None or age > STALE_AFTER_DAYS,
            }
        )
    return results


def scores_table(
    distress: Scorer, portfolio: Portfolio, as_of: str | dt.date | pd.Timestamp | None
) -> pd.DataFrame:
    """The batch output, one row per business: business_id, distress_probability, risk_band,
    top_reasons, and how old its statements are (flagged past the stale limit)."""
    frame = features_for(distress, portfolio, as_of)
    scores = distress.evaluate(feature_matrix(frame, distress.features))
    age = frame["statement_age_days"]
    return pd.DataFrame(
        {
            "business_id": frame.index,
            "distress_probability": scores.probability.round(6),
            "risk_band": scores.bands,
            "top_reasons": distress.reason_lines(scores, frame),
            "statement_age_days": age.astype("Int64").to_numpy(),
            "stale_statements": (age.isna() | (age > STALE_AFTER_DAYS)).to_numpy(),
        }
    )


def feasibility_table(
    feasibility: Scorer,
    portfolio: Portfolio,
    as_of: str | dt.date | pd.Timestamp | None,
    plans: pd.DataFrame,
) -> pd.DataFrame:
    """Feasibility of the given plans by business: probability, post-plan DSCR and reasons."""
    planned = features_for(feasibility, portfolio, as_of, plans)
    scores = feasibility.evaluate(feature_matrix(planned, feasibility.features))
    return pd.DataFrame(
        {
            "business_id": planned.index,
            "feasibility_probability": scores.probability.round(6),
            "post_plan_dscr": planned["post_plan_dscr"].round(4).to_numpy(),
            "feasibility_reasons": feasibility.reason_lines(scores, planned),
        }
    )
