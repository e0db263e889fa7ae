"""The credit facility book and its snapshots at each date."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.loans import annuity_payment
from features.schema import AMORTISING_FACILITIES, COLLATERAL_TYPES, LEGAL_STAGES
from training.synthetic import catalogues as cat
from training.synthetic.state import FIRST_YEAR, LAST_YEAR, GeneratorState, round_money
from training.synthetic.truth import (
    sigmoid,
)


class Facilities(GeneratorState):
    def _facility_book(self) -> None:
        rng, n = self.rng, self.n
        count = np.select(
            [self.size == 0, self.size == 1],
            [rng.integers(1, 3, n), rng.integers(1, 4, n)],
            rng.integers(2, 5, n),
        )
        firm = np.repeat(np.arange(n), count)
        slot = np.concatenate([np.arange(c) for c in count])
        m = len(firm)
        types = np.array(["term_loan", "overdraft", "trade_finance", "leasing", "informal"])
        trade_ok = np.isin(self.sector[firm], ["C", "G"])
        p = np.where(trade_ok[:, None], [0.45, 0.2, 0.15, 0.12, 0.08], [0.5, 0.25, 0.0, 0.15, 0.10])
        draw = (rng.random(m)[:, None] < np.cumsum(p, axis=1)).argmax(axis=1)
        kind = types[draw]
        kind = np.where(slot == 0, np.where(rng.random(m) < 0.75, "term_loan", "overdraft"), kind)
        informal_micro = (self.size[firm] == 0) & (slot == 1) & (rng.random(m) < 0.35)
        kind = np.where(informal_micro, "informal", kind)
        share = rng.gamma(2.0, 1.0, m)
        share = share / np.bincount(firm, share)[firm]
        rate = self.rate[firm] + np.select(
            [kind == "overdraft", kind == "leasing", kind == "informal"],
            [0.015, 0.02, rng.uniform(0.18, 0.54, m)],
            rng.normal(0, 0.005, m),
        )
        tenor = np.select(
            [kind == "term_loan", kind == "leasing", kind == "informal"],
            [
                rng.choice([36, 60, 84, 120], m),
                rng.choice([36, 48, 60], m),
                rng.choice([12, 24], m),
            ],
            12,
        )
        lenders = np.array(list(cat.LENDERS))
        lender = lenders[rng.integers(0, len(lenders), m)]
        lender = np.where(
            kind == "informal",
            np.array(cat.INFORMAL_LENDERS)[rng.integers(0, len(cat.INFORMAL_LENDERS), m)],
            lender,
        )
        collateral_ratio = np.select(
            [kind == "term_loan", kind == "leasing", kind == "overdraft"],
            [
                np.where(rng.random(m) < 0.7, rng.uniform(0.5, 1.5, m), 0.0),
                rng.uniform(0.9, 1.3, m),
                np.where(rng.random(m) < 0.5, rng.uniform(0.3, 1.0, m), 0.0),
            ],
            0.0,
        )
        guarantee = np.where(
            (kind == "term_loan") & (self.size[firm] < 2) & (rng.random(m) < 0.3),
            "credit guarantee scheme",
            np.where((kind != "informal") & (rng.random(m) < 0.15), "personal guarantee", "none"),
        )
        self.book = pd.DataFrame(
            {
                "firm": firm,
                "facility_id": [f"F{i + 1:06d}-{s + 1}" for i, s in zip(firm, slot, strict=True)],
                "business_id": self.ids[firm],
                "lender": lender,
                "facility_type": kind,
                "share": share,
                "annual_rate": np.round(rate, 4),
                "tenor": tenor,
                "start_year": rng.integers(FIRST_YEAR - 3, 2023, m),
                "collateral_ratio": collateral_ratio,
                "collateral_type": self._collateral_type(kind, collateral_ratio),
                "guarantee": guarantee,
                "late_bias": rng.normal(0, 0.5, m) + np.where(kind == "informal", 0.6, 0.0),
            }
        )
        self.past_restructured = rng.random(n) < 0.06

    def _collateral_type(self, kind: np.ndarray, ratio: np.ndarray) -> np.ndarray:
        """What secures each facility: mostly real estate behind term loans, the asset itself
        behind a lease, deposits, property or stock behind an overdraft. Drawn from a stream of
        its own, so the rest of the portfolio is the same with or without this column."""
        rng = np.random.default_rng([self.seed, 91])
        by_kind = {
            "term_loan": {"land_and_buildings": 0.55, "land": 0.2, "condominium": 0.1,
                          "machinery": 0.15},
            "leasing": {"vehicles": 0.6, "machinery": 0.4},
            "overdraft": {"deposits": 0.4, "land_and_buildings": 0.4,
                          "inventory_receivables": 0.2},
            "trade_finance": {"inventory_receivables": 1.0},
        }  # fmt: skip
        out = np.full(len(kind), "none", dtype=object)
        u = rng.random(len(kind))
        for name, shares in by_kind.items():
            edges = np.cumsum(list(shares.values()))
            drawn = np.array(list(shares))[np.minimum(np.searchsorted(edges, u), len(edges) - 1)]
            out = np.where(kind == name, drawn, out)
        out = np.where(ratio > 0, out, "none")
        assert set(out) <= set(COLLATERAL_TYPES)
        return out

    def _legal_stage(self, date: str, dpd: np.ndarray, kind: np.ndarray) -> np.ndarray:
        """How far each lender has gone to collect: nothing before the 90-day line, then a
        demand notice, a lawsuit, a judgment and enforcement, each likelier the longer the
        arrears. Informal lenders do not go to court. Drawn from a stream of its own, so the
        rest of the portfolio is the same with or without this column."""
        rng = np.random.default_rng([self.seed, 90, pd.Timestamp(date).toordinal()])
        u = rng.random(len(dpd))
        months = np.maximum(dpd - 90, 0) / 30.4
        furthest = np.where(
            dpd < 90, 0, 1 + (u < 1 - np.exp(-months / 6)) + (u < 1 - np.exp(-months / 12))
        )
        furthest = furthest + ((furthest == 3) & (rng.random(len(dpd)) < 0.4))
        furthest = np.where(kind == "informal", 0, furthest)
        return np.array(LEGAL_STAGES)[furthest]

    def _snapshot(self, date: str, distressed_before: np.ndarray) -> pd.DataFrame:
        rng = self.rng
        year = min(pd.Timestamp(date).year, LAST_YEAR)
        t = int(year - FIRST_YEAR)
        book = self.book
        firm = book["firm"].to_numpy()
        alive = self.founded[firm] <= year
        outstanding = round_money(self.debt[firm, t] * book["share"].to_numpy())
        keep = alive & (outstanding > 0)
        book, firm, outstanding = book[keep], firm[keep], outstanding[keep]
        m = len(book)
        kind = book["facility_type"].to_numpy()
        tenor = book["tenor"].to_numpy()
        elapsed = 12 * (year - book["start_year"].to_numpy())
        remaining = np.where(tenor > 12, tenor - np.mod(elapsed, tenor), 12)
        rate = book["annual_rate"].to_numpy()
        amortising = np.isin(kind, AMORTISING_FACILITIES)
        installment = np.where(
            amortising, annuity_payment(outstanding, rate, remaining), outstanding * rate / 12
        )
        installment = round_money(installment)
        service = np.bincount(firm, 12 * installment, minlength=self.n)
        dscr = self.ebitda[:, t] / np.where(service > 0, service, np.nan)
        h = self.health[firm, t]
        weak = np.nan_to_num(dscr[firm] < 1.0).astype(float)
        p_late = sigmoid(-3.2 - 1.0 * h + 0.8 * weak + book["late_bias"].to_numpy())
        late = rng.random(m) < p_late
        bucket = rng.choice(3, m, p=[0.55, 0.3, 0.15])
        low, high = np.array([1, 30, 60])[bucket], np.array([30, 60, 90])[bucket]
        dpd = np.where(late, rng.integers(low, high), 0)
        defaulted = distressed_before[firm]
        dpd = np.where(defaulted, rng.integers(90, 400, m), dpd)
        return pd.DataFrame(
            {
                "facility_id": book["facility_id"].to_numpy(),
                "business_id": book["business_id"].to_numpy(),
                "lender": book["lender"].to_numpy(),
                "facility_type": kind,
                "outstanding": outstanding,
                "annual_rate": rate,
                "remaining_months": remaining,
                "monthly_installment": installment,
                "days_past_due": dpd,
                "collateral_value": round_money(outstanding * book["collateral_ratio"].to_numpy()),
                "collateral_type": book["collateral_type"].to_numpy(),
                "guarantee": book["guarantee"].to_numpy(),
                "restructured_before": np.where(
                    self.past_restructured[firm] | self.restructured_flag[firm], "true", "false"
                ),
                "legal_stage": self._legal_stage(date, dpd, kind),
                "as_of": date,
            }
        )
