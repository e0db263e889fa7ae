"""Loan applications and their status histories."""

from __future__ import annotations

import numpy as np
import pandas as pd

from training.synthetic import catalogues as cat
from training.synthetic.state import CUTOFF, FIRST_YEAR, GeneratorState, round_money
from training.synthetic.truth import (
    sigmoid,
)


class Applications(GeneratorState):
    def _applications(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        rng, n = self.rng, self.n
        start, cutoff = pd.Timestamp("2021-01-01"), pd.Timestamp(CUTOFF)
        span = (cutoff - start).days
        weak = self.health[:, -1] < -0.5
        count = rng.poisson(0.55 + 0.45 * weak)
        firm = np.repeat(np.arange(n), count)
        m = len(firm)
        submitted = start + pd.to_timedelta(rng.integers(0, span, m), unit="D")
        year_index = np.clip(submitted.year - FIRST_YEAR, 0, len(self.years) - 1)
        lenders = list(cat.LENDERS)
        lender = np.array(lenders)[rng.integers(0, len(lenders), m)]
        median = np.array([cat.LENDERS[x][1] for x in lender], dtype=float)
        bias = np.array([cat.LENDERS[x][2] for x in lender])
        # Some files get stuck (slow), and some are never decided: those the business
        # eventually withdraws, unless they are still recent at the cut-off.
        stuck = rng.random(m) < 0.12
        never = rng.random(m) < 0.08
        processing = median * np.exp(rng.normal(0, 0.5, m)) * np.where(stuck, 5.0, 1.0)
        processing = np.where(never, 30_000.0, processing)
        abandoned = never & (submitted < cutoff - pd.Timedelta(days=720))
        processing = np.where(abandoned, 365.0, processing)
        decided = submitted + pd.to_timedelta(np.round(processing), unit="D")
        h = self.health[firm, year_index]
        approve = ~abandoned & (rng.random(m) < sigmoid(0.4 + 1.3 * h + bias))
        withdrawn = abandoned | (~approve & (rng.random(m) < 0.12))
        final = np.where(approve, "approved", np.where(withdrawn, "withdrawn", "rejected"))
        docs = submitted + pd.to_timedelta(np.round(rng.exponential(6, m)) + 1, unit="D")
        has_docs = rng.random(m) < 0.55
        review = submitted + pd.to_timedelta(
            np.round(processing * rng.uniform(0.3, 0.7, m)), unit="D"
        )
        disbursed = decided + pd.to_timedelta(rng.integers(5, 30, m), unit="D")
        has_disbursal = approve & (rng.random(m) < 0.9)
        ids = np.array([f"A{i + 1:07d}" for i in range(m)])

        events = [
            (np.ones(m, bool), "submitted", submitted),
            (has_docs & (docs < review), "documents_requested", docs),
            (review < decided, "under_review", review),
            (np.ones(m, bool), None, decided),
            (has_disbursal, "disbursed", disbursed),
        ]
        rows = []
        for mask, status, when in events:
            labels = final if status is None else np.full(m, status)
            keep = mask & (when <= cutoff)
            rows.append(
                pd.DataFrame(
                    {"application_id": ids[keep], "status": labels[keep], "changed_at": when[keep]}
                )
            )
        history = pd.concat(rows, ignore_index=True).sort_values(
            ["application_id", "changed_at"], kind="stable"
        )
        last = history.groupby("application_id").tail(1).set_index("application_id")
        status = last["status"].reindex(ids).to_numpy()
        changed = last["changed_at"].reindex(ids)
        decided_seen = decided <= cutoff
        apps = pd.DataFrame(
            {
                "application_id": ids,
                "business_id": self.ids[firm],
                "lender": lender,
                "product": np.array(cat.PRODUCTS)[rng.integers(0, len(cat.PRODUCTS), m)],
                "amount": round_money(self.revenue0[firm] * rng.uniform(0.05, 0.4, m) / 1000)
                * 1000,
                "submitted_at": submitted.strftime("%Y-%m-%d"),
                "status": status,
                "status_changed_at": changed.dt.strftime("%Y-%m-%d").to_numpy(),
                "decided_at": np.where(decided_seen, decided.strftime("%Y-%m-%d"), ""),
                "rejection_reason": np.where(
                    (status == "rejected"),
                    np.array(cat.REJECTION_REASONS)[rng.integers(0, 5, m)],
                    "",
                ),
            }
        )
        history["changed_at"] = history["changed_at"].dt.strftime("%Y-%m-%d")
        return apps, history.reset_index(drop=True)
