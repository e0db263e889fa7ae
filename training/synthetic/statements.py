"""Financial statements drawn from each firm's health, with the lines real filers leave blank."""

from __future__ import annotations

import numpy as np
import pandas as pd

from training.synthetic import catalogues as cat
from training.synthetic.state import LAST_YEAR, GeneratorState, round_money


class Statements(GeneratorState):
    def _statements(self) -> pd.DataFrame:
        rng, n, h = self.rng, self.n, self.health
        T = len(self.years)
        profile = np.array([cat.SECTOR_PROFILES[s] for s in self.sector])
        gm_base, turnover_base, dio_base = profile[:, 1], profile[:, 2], profile[:, 3]

        growth = (
            0.03
            + self.firm_shock
            + 0.12 * np.diff(h, axis=1, prepend=h[:, :1])
            + rng.normal(0, 0.07, (n, T))
        )
        growth[:, 0] = 0.0
        revenue = self.revenue0[:, None] * np.exp(np.cumsum(growth, axis=1))
        gm = np.clip(
            gm_base[:, None]
            + 0.04 * h
            + rng.normal(0, 0.03, (n, 1))
            + rng.normal(0, 0.015, (n, T)),
            0.04,
            0.85,
        )
        margin = np.minimum(0.07 + 0.06 * h + rng.normal(0, 0.02, (n, T)), gm - 0.02)
        turnover = turnover_base[:, None] * np.exp(rng.normal(0, 0.25, (n, 1)))
        ta_pre = revenue / turnover
        cos = revenue * (1 - gm)
        dso = np.clip(35 * np.exp(-0.15 * h + rng.normal(0, 0.3, (n, T))), 0, 365)
        dio = np.clip(dio_base[:, None] * np.exp(rng.normal(0, 0.3, (n, T)) - 0.1 * h), 0, 720)
        dpo = np.clip(40 * np.exp(-0.25 * h + rng.normal(0, 0.25, (n, T))), 0, 365)
        receivables = round_money(revenue * dso / 365)
        inventory = round_money(cos * dio / 365)
        payables = round_money(cos * dpo / 365)
        cash = round_money(
            ta_pre * np.clip(0.07 + 0.035 * h + rng.normal(0, 0.02, (n, T)), 0.003, 0.4)
        )
        other_ca = round_money(0.03 * ta_pre)
        ca = round_money(cash + receivables + inventory + other_ca)
        ta_pre = np.maximum(ta_pre, ca / 0.85)
        fa = round_money(ta_pre - ca)
        ta = round_money(ca + fa)
        depreciation = round_money(0.08 * fa)
        ebitda = revenue * margin
        opex = round_money(revenue - cos - ebitda + depreciation)
        revenue, cos = round_money(revenue), round_money(cos)
        ebit = revenue - cos - opex

        leverage = np.clip(
            rng.normal(0.55, 0.12, (n, 1)) - 0.12 * h + rng.normal(0, 0.04, (n, T)), 0.08, 1.8
        )
        accrued = round_money(0.02 * ta)
        debt = np.maximum(leverage * ta - payables - accrued, 0.0)
        st_share = np.clip(0.3 - 0.1 * h + rng.normal(0, 0.05, (n, T)), 0.05, 0.9)
        std = round_money(debt * st_share)
        ltd = round_money(debt * (1 - st_share))
        cl = round_money(payables + accrued + std)
        tl = round_money(cl + ltd)
        equity = round_money(ta - tl)
        self.rate = np.clip(0.06 - 0.01 * h[:, -1] + rng.normal(0, 0.01, n), 0.025, 0.18)
        interest = round_money((std + ltd) * self.rate[:, None])
        pretax = ebit - interest
        tax = round_money(0.2 * np.maximum(pretax, 0))
        net = round_money(pretax - tax)
        paid_in = round_money(0.25 * ta[:, :1])
        retained = round_money(equity - paid_in)
        working = receivables + inventory - payables
        ocf = round_money(net + depreciation - np.diff(working, axis=1, prepend=working[:, :1]))
        capex = round_money(np.maximum(np.diff(fa, axis=1, prepend=fa[:, :1]) + depreciation, 0))

        self.debt = std + ltd
        self.ebitda = ebit + depreciation
        columns = {
            "revenue": revenue,
            "cost_of_sales": cos,
            "operating_expenses": opex,
            "depreciation": depreciation,
            "interest_expense": interest,
            "tax_expense": tax,
            "net_income": net,
            "cash": cash,
            "receivables": receivables,
            "inventory": inventory,
            "current_assets": ca,
            "fixed_assets": fa,
            "total_assets": ta,
            "payables": payables,
            "short_term_debt": std,
            "current_liabilities": cl,
            "long_term_debt": ltd,
            "total_liabilities": tl,
            "equity": equity,
            "retained_earnings": retained,
            "operating_cash_flow": ocf,
            "capex": capex,
        }
        frame = pd.DataFrame({k: v.ravel() for k, v in columns.items()})
        frame.insert(0, "business_id", np.repeat(self.ids, T))
        frame.insert(1, "fiscal_year", np.tile(self.years, n))
        frame.insert(2, "period_end", [f"{y}-12-31" for y in np.tile(self.years, n)])
        return frame

    def _publication_mask(self) -> np.ndarray:
        """Which generated statements a firm actually filed: micro firms often file none."""
        rng, n = self.rng, self.n
        p_none = np.array([0.4, 0.05, 0.0])[self.size]
        files_any = rng.random(n) >= p_none
        existed = self.years[None, :] >= self.founded[:, None]
        late = (self.years[None, :] == LAST_YEAR) & (rng.random((n, 1)) < 0.08)
        filed: np.ndarray = (files_any[:, None] & existed & ~late).ravel()
        return filed

    def _blank_lines(self, statements: pd.DataFrame) -> pd.DataFrame:
        """Micro and small firms leave lines out of their statements, as real filings do."""
        rng = self.rng
        size = np.repeat(self.size, len(self.years))
        blanks = {
            "operating_cash_flow": (0.35, 0.10),
            "capex": (0.35, 0.10),
            "inventory": (0.15, 0.02),
            "retained_earnings": (0.10, 0.02),
            "cost_of_sales": (0.08, 0.0),
            "receivables": (0.10, 0.02),
        }
        out = statements.copy()
        for column, (micro, small) in blanks.items():
            p = np.select([size == 0, size == 1], [micro, small], 0.0)
            out.loc[rng.random(len(out)) < p, column] = np.nan
        return out
