"""Outcomes: distress labels and restructuring plans with whether they performed."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.plan import plan_features
from training.synthetic.state import GeneratorState, round_money
from training.synthetic.truth import (
    feasibility_logit,
    sigmoid,
)


class Outcomes(GeneratorState):
    def _restructure(
        self,
        tables: dict[str, pd.DataFrame],
        features: pd.DataFrame,
        p: np.ndarray,
        population: np.ndarray,
        date: str,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Restructure a share of troubled firms after `date`; plans perform per the truth."""
        rng, n = self.rng, self.n
        has_debt = features["total_outstanding"].fillna(0).to_numpy() > 0
        eligible = population & has_debt & ~self.restructured_flag
        weight = np.sqrt(p) * eligible
        target = 0.085 * n
        chosen = rng.random(n) < np.clip(weight * target / max(weight.sum(), 1e-9), 0, 1)
        idx = np.flatnonzero(chosen)
        k = len(idx)
        self.restructured_flag[idx] = True
        at = pd.Timestamp(date) + pd.to_timedelta(rng.integers(20, 180, k), unit="D")
        ids = self.ids[idx]
        as_of = pd.Series(at, index=ids)
        plan_at = self.features_at(tables, as_of.reindex(self.ids).fillna(pd.Timestamp(date)))
        plan_at = plan_at.loc[ids]
        plan_type = np.array(
            ["term_extension", "grace_period", "rate_reduction", "haircut", "combined"]
        )[rng.choice(5, k, p=[0.35, 0.15, 0.15, 0.1, 0.25])]
        extend = np.isin(plan_type, ["term_extension", "grace_period", "combined"])
        base_rate = plan_at["weighted_rate"].fillna(0.07).clip(upper=0.2).to_numpy()
        tenor = np.where(extend, rng.choice([60, 84, 96, 120], k), rng.choice([36, 48, 60], k))
        grace = np.where(
            np.isin(plan_type, ["grace_period", "combined"]), rng.integers(3, 13, k), 0
        )
        cut = np.isin(plan_type, ["rate_reduction", "combined"])
        rate = np.round(
            np.where(cut, np.maximum(base_rate - rng.uniform(0.01, 0.03, k), 0.02), base_rate), 4
        )
        haircut = np.where(
            np.isin(plan_type, ["haircut", "combined"]) & (rng.random(k) < 0.8),
            np.round(rng.uniform(0.05, 0.35, k), 3),
            0.0,
        )
        principal = round_money(plan_at["total_outstanding"].to_numpy() * (1 - haircut))
        terms = pd.DataFrame(
            {
                "plan_outstanding": principal,
                "plan_rate": rate,
                "plan_tenor_months": tenor,
                "plan_grace_months": grace,
                "plan_haircut": haircut,
            },
            index=ids,
        )
        planned = plan_features(plan_at, terms)
        logit, parts = feasibility_logit(planned)
        p_perf = sigmoid(logit.to_numpy())
        performing = rng.random(k) < p_perf
        rid = [f"R{self.seed % 1000:03d}-{date[:4]}-{i + 1:05d}" for i in range(k)]
        outcome = pd.DataFrame(
            {
                "business_id": ids,
                "as_of": at.strftime("%Y-%m-%d"),
                "distress_12m": "",
                "restructuring_id": rid,
                "restructured_at": at.strftime("%Y-%m-%d"),
                "plan_type": plan_type,
                "plan_outstanding": principal,
                "plan_rate": rate,
                "plan_tenor_months": tenor,
                "plan_grace_months": grace,
                "plan_haircut": haircut,
                "plan_installment": round_money(planned["plan_installment"].to_numpy()),
                "performing_12m": np.where(performing, "true", "false"),
            }
        )
        truth = pd.DataFrame(
            {
                "business_id": ids,
                "as_of": outcome["as_of"],
                "model": "feasibility",
                "restructuring_id": rid,
                "p_true": np.round(p_perf, 6),
            }
        )
        previous = getattr(self, "_feasibility_parts", None)
        self._feasibility_parts = parts if previous is None else pd.concat([previous, parts])
        return outcome, truth
