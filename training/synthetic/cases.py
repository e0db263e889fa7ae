"""Cases: the businesses that reach the rescue centre, and how far each has come."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.catalogues.case_statuses import CASE_STATUSES
from training.synthetic import catalogues as cat
from training.synthetic.state import CUTOFF, GeneratorState
from training.synthetic.truth import (
    distress_logit,
    sigmoid,
)


class Cases(GeneratorState):
    def _cases(self, tables: dict[str, pd.DataFrame], distressed: np.ndarray) -> pd.DataFrame:
        rng, n = self.rng, self.n
        cutoff = pd.Timestamp(CUTOFF)
        features = self.features_at(tables, CUTOFF)
        logit, _ = distress_logit(features, self.distress_drivers)
        stalled = features["has_stalled_application"].fillna(0).to_numpy()
        rejected = features["n_rejections_24m"].fillna(0).to_numpy() > 0
        score = -3.2 + 0.6 * logit.to_numpy() + 1.0 * stalled + 0.6 * rejected + 1.5 * distressed
        chosen = np.flatnonzero(rng.random(n) < sigmoid(score))
        k = len(chosen)
        received = cutoff - pd.to_timedelta(rng.integers(0, 365, k), unit="D")
        f = features.iloc[chosen]
        problems = {
            "debt_distress": (f["max_days_past_due"].fillna(0) > 0) | (f["dscr"] < 1.2),
            "near_collapse": (f["negative_equity"] == 1) | (f["max_days_past_due"] >= 180),
            "loan_stalled": f["has_stalled_application"] == 1,
            "loan_rejected": f["n_rejections_24m"] > 0,
            "outdated_business": (f["revenue_growth"] < -0.1) & (f["firm_age"] > 20),
            "technology_innovation": pd.Series(rng.random(k) < 0.1, index=f.index),
        }
        flags = pd.DataFrame({k_: v.fillna(False).astype(bool) for k_, v in problems.items()})
        types = flags.apply(lambda row: ";".join(row.index[row.to_numpy()]), axis=1)
        types = types.where(types != "", "other")
        channel = rng.choice(["oss_centre", "agency_referral", "direct"], k, p=[0.55, 0.2, 0.25])
        agency = np.array(cat.AGENCIES)[rng.integers(0, len(cat.AGENCIES), k)]
        centre = np.where(
            channel == "oss_centre",
            np.char.add("OSS ", self.province[chosen].astype(str)),
            np.where(channel == "agency_referral", agency, "SME Rescue Centre"),
        )
        age = (cutoff - received).days.to_numpy()
        stage = np.clip(age // 45 + rng.integers(-1, 2, k), 0, 6)
        statuses = np.array(CASE_STATUSES)
        return (
            pd.DataFrame(
                {
                    "case_id": [f"C{i + 1:06d}" for i in range(k)],
                    "business_id": self.ids[chosen],
                    "channel": channel,
                    "intake_centre": centre,
                    "received_at": received.strftime("%Y-%m-%d"),
                    "problem_types": types.to_numpy(),
                    "status": statuses[stage],
                }
            )
            .sort_values(["received_at", "case_id"], kind="stable")
            .reset_index(drop=True)
        )
