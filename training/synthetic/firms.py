"""Firms and the economy they live in: identities, sizes, sector shocks and latent health."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.cells import tax_id_check_digit
from training.synthetic import catalogues as cat
from training.synthetic.state import COVID, LAST_YEAR, MACRO, GeneratorState


class Firms(GeneratorState):
    def _businesses(self) -> pd.DataFrame:
        rng, n = self.rng, self.n
        sectors = list(cat.SECTOR_PROFILES)
        shares = np.array([p[0] for p in cat.SECTOR_PROFILES.values()])
        self.sector = rng.choice(sectors, n, p=shares / shares.sum())
        provinces = list(cat.PROVINCES)
        weights = np.array([w for _, w in cat.PROVINCES.values()], dtype=float)
        self.province = rng.choice(provinces, n, p=weights / weights.sum())
        region = np.array([cat.PROVINCES[p][0] for p in self.province])
        self.size = rng.choice(np.arange(3), n, p=[0.55, 0.33, 0.12])
        low = np.array([1, 6, 51])[self.size]
        high = np.array([5, 50, 200])[self.size]
        employees = np.floor(np.exp(rng.uniform(np.log(low), np.log(high + 1)))).astype(int)
        scale = np.array([1.1e6, 14e6, 140e6])[self.size]
        spread = np.array([0.5, 0.7, 0.6])[self.size]
        self.revenue0 = scale * np.exp(rng.normal(0, spread))
        age = np.clip(np.round(rng.gamma(2.0, 6.5, n)), 1, 60).astype(int)
        self.founded = LAST_YEAR - age
        forms = np.array(
            [
                ["sole_proprietorship"] * 6
                + ["ordinary_partnership", "limited_partnership"]
                + ["company_limited"] * 2,
                ["sole_proprietorship", "limited_partnership", "limited_partnership"]
                + ["company_limited"] * 7,
                ["company_limited"] * 9 + ["public_company_limited"],
            ]
        )
        legal = forms[self.size, rng.integers(0, 10, n)]
        community = (self.sector == "A") & (self.size == 0) & (rng.random(n) < 0.25)
        legal = np.where(community, "community_enterprise", legal)
        prefix = np.array(cat.NAME_PREFIXES)[rng.integers(0, len(cat.NAME_PREFIXES), n)]
        word = np.array(
            [
                cat.SECTOR_WORDS[s][k]
                for s, k in zip(self.sector, rng.integers(0, 4, n), strict=True)
            ]
        )
        suffix = np.array([cat.LEGAL_SUFFIX[f] for f in legal])
        names = np.char.add(np.char.add(np.char.add(prefix, " "), word), suffix)
        self.ids = np.array([f"B{i:06d}" for i in range(1, n + 1)])
        individual = legal == "sole_proprietorship"
        first = np.where(individual, rng.integers(1, 9, n), 0)
        digits = np.column_stack([first, rng.integers(0, 10, (n, 11))])
        check = tax_id_check_digit(digits)
        tax_id = ["".join(map(str, row)) + str(c) for row, c in zip(digits, check, strict=True)]
        frame = pd.DataFrame(
            {
                "business_id": self.ids,
                "name": names,
                "tax_id": tax_id,
                "sector": self.sector,
                "province": self.province,
                "region": region,
                "founded_year": pd.array(self.founded, dtype="Int64"),
                "employees": pd.array(employees, dtype="Int64"),
                "legal_form": legal,
            }
        )
        frame.loc[rng.random(n) < 0.03, "employees"] = pd.NA
        frame.loc[rng.random(n) < 0.02, "founded_year"] = pd.NA
        return frame

    def _shocks(self) -> None:
        sectors = list(cat.SECTOR_PROFILES)
        exposure = np.array([p[4] for p in cat.SECTOR_PROFILES.values()])
        noise = self.rng.normal(0, 0.03, (len(sectors), len(self.years)))
        macro = np.array([MACRO[int(y)] for y in self.years])
        covid = np.array([COVID.get(int(y), 0.0) for y in self.years])
        shock = macro + exposure[:, None] * covid + noise
        self.sector_shock = pd.DataFrame(shock, index=sectors, columns=self.years)
        self.firm_shock = shock[[sectors.index(s) for s in self.sector]]

    def _health(self) -> None:
        rng, n = self.rng, self.n
        h = np.empty((n, len(self.years)))
        h[:, 0] = rng.normal(0, 0.7, n) + np.array([-0.2, 0.0, 0.2])[self.size]
        for t in range(1, len(self.years)):
            h[:, t] = 0.8 * h[:, t - 1] + 2.0 * self.firm_shock[:, t] + rng.normal(0, 0.35, n)
        self.health = h
