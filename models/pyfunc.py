"""The MLflow pyfunc wrapper: a thin adapter from MLflow's predict to `models.predict`.

Input is either a dict of portfolio tables (table name -> DataFrame or list of records), which
goes through validation and the one feature code path, or a DataFrame of feature rows already
built. The dict may carry `as_of` (default: today) and, for the feasibility model, a `plans`
table of plan terms keyed by business_id.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from mlflow.pyfunc.model import PythonModel

from features import Portfolio, frames_to_portfolio
from models.explain import reason_sentences
from models.predict import features_for
from models.registry import SCORER_ARTIFACT, TABLES_ARTIFACT
from models.scorer import Scorer


def flatten(scored: pd.DataFrame, scorer: Scorer) -> pd.DataFrame:
    """One flat row per business: probability, band, raw score, base and contributions."""
    out = scored.drop(columns=["contributions", "reasons"], errors="ignore").copy()
    if "contributions" in scored:
        contrib = pd.DataFrame(list(scored["contributions"]), index=scored.index)
        out = out.join(contrib.add_prefix("contrib_"))
    if "reasons" in scored:
        out["top_reasons"] = [reason_sentences(reasons) for reasons in scored["reasons"]]
    out.insert(0, "model", scorer.name)
    return out.reset_index()


def portfolio_from_tables(tables: dict[str, Any]) -> Portfolio:
    """Validate tables given as DataFrames or lists of records (raises PortfolioError)."""
    frames = {
        name: value if isinstance(value, pd.DataFrame) else pd.DataFrame(value)
        for name, value in tables.items()
        if name not in ("plans", "as_of")
    }
    return frames_to_portfolio(frames)


# The input is a dict of tables or a frame of features, so predict() carries no type hints on
# purpose: MLflow would read them as a fixed input schema (it warns about their absence; the
# log configuration of the service and the command line drops that one warning).
class RescueModel(PythonModel):
    """Loads the scorer JSON artifact; scores tables or feature rows."""

    def load_context(self, context: Any) -> None:
        tables = context.artifacts.get(TABLES_ARTIFACT)
        self.scorer = Scorer.load(context.artifacts[SCORER_ARTIFACT], tables and Path(tables))

    def predict(self, context, model_input, params=None):
        """Score a dict of portfolio tables (`as_of` may be one of its keys) or feature rows."""
        params = dict(params or {})
        if isinstance(model_input, dict):
            tables = dict(model_input)
            as_of = tables.pop("as_of", None) or params.get("as_of")
            plans = tables.pop("plans", None)
            portfolio = portfolio_from_tables(tables)
            frame = features_for(self.scorer, portfolio, as_of, plans)
        else:
            frame = model_input
            if "business_id" in frame.columns:
                frame = frame.set_index("business_id")
        explain = bool(params.get("explain", True))
        return flatten(self.scorer.score(frame, explain=explain), self.scorer)
