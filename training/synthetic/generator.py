"""Synthetic Thai SME portfolio: the project's embedded default data.

The process is documented in training/GENERATOR.md. In short: each firm has a latent health that
follows an AR(1) process driven by sector shocks; statements, facilities, applications and cases
are derived from it; outcomes are drawn from the true models in `truth.py`, computed on what was
observable at each as-of date. Everything is vectorised over firms and driven by one seed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from features import build_features, frames_to_portfolio
from features.loans import annuity_payment
from features.plan import plan_features
from features.schema import AMORTISING_FACILITIES
from features.validation import tax_id_check_digit
from training.synthetic import catalogues as cat
from training.synthetic.truth import (
    DISTRESS_DRIVERS,
    FEASIBILITY_DRIVERS,
    distress_logit,
    driver_table,
    feasibility_logit,
    sigmoid,
)

Progress = Callable[[str], None]

FIRST_YEAR = 2019
LAST_YEAR = 2025
LABEL_DATES = ("2022-12-31", "2023-12-31", "2024-12-31")
RESTRUCTURING_DATES = ("2022-12-31", "2023-12-31", "2024-12-31")
CUTOFF = "2026-06-30"  # the data cut-off: the latest snapshot; cases arrive in the year before
MACRO = {2019: 0.0, 2020: -0.07, 2021: -0.03, 2022: 0.03, 2023: 0.02, 2024: 0.0, 2025: -0.01}
COVID = {2020: -0.10, 2021: -0.05, 2022: 0.05, 2023: 0.02}
SIZE_CLASSES = ("micro", "small", "medium")


def _round(x: np.ndarray) -> np.ndarray:
    return np.round(x, 2)


class Generator:
    """Draws one synthetic portfolio; `run()` returns the tables, truth included."""

    def __init__(self, businesses: int = 12_000, seed: int = 7, progress: Progress | None = None):
        if businesses < 1:
            raise ValueError("businesses must be at least 1")
        self.n = businesses
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.progress = progress or (lambda _msg: None)
        self.years = np.arange(FIRST_YEAR, LAST_YEAR + 1)

    # -- firms ---------------------------------------------------------------------------------
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

    # -- economy and health --------------------------------------------------------------------
    def _shocks(self) -> None:
        sectors = list(cat.SECTOR_PROFILES)
        exposure = np.array([p[4] for p in cat.SECTOR_PROFILES.values()])
        noise = self.rng.normal(0, 0.03, (len(sectors), len(self.years)))
        macro = np.array([MACRO[y] for y in self.years])
        covid = np.array([COVID.get(y, 0.0) for y in self.years])
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

    # -- statements ----------------------------------------------------------------------------
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
        receivables = _round(revenue * dso / 365)
        inventory = _round(cos * dio / 365)
        payables = _round(cos * dpo / 365)
        cash = _round(ta_pre * np.clip(0.07 + 0.035 * h + rng.normal(0, 0.02, (n, T)), 0.003, 0.4))
        other_ca = _round(0.03 * ta_pre)
        ca = _round(cash + receivables + inventory + other_ca)
        ta_pre = np.maximum(ta_pre, ca / 0.85)
        fa = _round(ta_pre - ca)
        ta = _round(ca + fa)
        depreciation = _round(0.08 * fa)
        ebitda = revenue * margin
        opex = _round(revenue - cos - ebitda + depreciation)
        revenue, cos = _round(revenue), _round(cos)
        ebit = revenue - cos - opex

        leverage = np.clip(
            rng.normal(0.55, 0.12, (n, 1)) - 0.12 * h + rng.normal(0, 0.04, (n, T)), 0.08, 1.8
        )
        accrued = _round(0.02 * ta)
        debt = np.maximum(leverage * ta - payables - accrued, 0.0)
        st_share = np.clip(0.3 - 0.1 * h + rng.normal(0, 0.05, (n, T)), 0.05, 0.9)
        std = _round(debt * st_share)
        ltd = _round(debt * (1 - st_share))
        cl = _round(payables + accrued + std)
        tl = _round(cl + ltd)
        equity = _round(ta - tl)
        self.rate = np.clip(0.06 - 0.01 * h[:, -1] + rng.normal(0, 0.01, n), 0.025, 0.18)
        interest = _round((std + ltd) * self.rate[:, None])
        pretax = ebit - interest
        tax = _round(0.2 * np.maximum(pretax, 0))
        net = _round(pretax - tax)
        paid_in = _round(0.25 * ta[:, :1])
        retained = _round(equity - paid_in)
        working = receivables + inventory - payables
        ocf = _round(net + depreciation - np.diff(working, axis=1, prepend=working[:, :1]))
        capex = _round(np.maximum(np.diff(fa, axis=1, prepend=fa[:, :1]) + depreciation, 0))

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
        return (files_any[:, None] & existed & ~late).ravel()

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

    # -- facilities ----------------------------------------------------------------------------
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
                "guarantee": guarantee,
                "late_bias": rng.normal(0, 0.5, m) + np.where(kind == "informal", 0.6, 0.0),
            }
        )
        self.past_restructured = rng.random(n) < 0.06

    def _snapshot(self, date: str, distressed_before: np.ndarray) -> pd.DataFrame:
        rng = self.rng
        year = min(pd.Timestamp(date).year, LAST_YEAR)
        t = int(year - FIRST_YEAR)
        book = self.book
        firm = book["firm"].to_numpy()
        alive = self.founded[firm] <= year
        outstanding = _round(self.debt[firm, t] * book["share"].to_numpy())
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
        installment = _round(installment)
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
                "collateral_value": _round(outstanding * book["collateral_ratio"].to_numpy()),
                "guarantee": book["guarantee"].to_numpy(),
                "restructured_before": np.where(
                    self.past_restructured[firm] | self.restructured_flag[firm], "true", "false"
                ),
                "as_of": date,
            }
        )

    # -- applications --------------------------------------------------------------------------
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
                "amount": _round(self.revenue0[firm] * rng.uniform(0.05, 0.4, m) / 1000) * 1000,
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

    # -- outcomes ------------------------------------------------------------------------------
    def _features(self, tables: dict[str, pd.DataFrame], as_of) -> pd.DataFrame:
        portfolio = frames_to_portfolio(tables)
        features = build_features(portfolio, as_of, context=True)
        year = pd.Series(as_of, index=features.index) if not isinstance(as_of, pd.Series) else as_of
        year = pd.to_datetime(year).dt.year.clip(upper=LAST_YEAR)
        shock = self.sector_shock.stack()
        keys = pd.MultiIndex.from_arrays([features["sector"].astype(str), year.to_numpy()])
        features["sector_shock"] = shock.reindex(keys).to_numpy()
        return features

    def run(self) -> dict[str, pd.DataFrame]:
        say = self.progress
        say("businesses")
        businesses = self._businesses()
        self._shocks()
        self._health()
        say("financial statements")
        statements = self._blank_lines(self._statements())
        published = self._publication_mask()
        self._facility_book()
        say("loan applications")
        apps, history = self._applications()

        distressed = np.zeros(self.n, bool)
        exit_year = np.full(self.n, LAST_YEAR + 1)
        self.restructured_flag = np.zeros(self.n, bool)
        snapshots: list[pd.DataFrame] = []
        outcome_rows, truth_rows, distress_parts = [], [], []
        for date in LABEL_DATES:
            say(f"outcomes as of {date}")
            snapshots.append(self._snapshot(date, distressed))
            year = pd.Timestamp(date).year
            visible = published & (statements["fiscal_year"].to_numpy() <= year)
            tables = {
                "businesses": businesses,
                "financial_statements": statements[visible],
                "debts": pd.concat(snapshots, ignore_index=True),
                "loan_applications": apps,
                "application_status_history": history,
            }
            features = self._features(tables, date)
            population = (self.founded < year) & ~distressed
            logit, parts = distress_logit(features)
            p = sigmoid(logit.to_numpy())
            event = population & (self.rng.random(self.n) < p)
            ids = self.ids[population]
            outcome_rows.append(
                pd.DataFrame(
                    {
                        "business_id": ids,
                        "as_of": date,
                        "distress_12m": np.where(event[population], "true", "false"),
                    }
                )
            )
            truth_rows.append(
                pd.DataFrame(
                    {
                        "business_id": ids,
                        "as_of": date,
                        "model": "distress",
                        "restructuring_id": "",
                        "p_true": np.round(p[population], 6),
                    }
                )
            )
            distress_parts.append(parts[population])
            if date in RESTRUCTURING_DATES:
                restructured = self._restructure(tables, features, p, population, date)
                outcome_rows.append(restructured[0])
                truth_rows.append(restructured[1])
            distressed |= event
            exit_year = np.where(event & (exit_year > year), year + 1, exit_year)

        snapshots.append(self._snapshot(CUTOFF, distressed))
        filed = published & (
            statements["fiscal_year"].to_numpy() < np.repeat(exit_year, len(self.years))
        )
        fs = statements[filed]
        debts = pd.concat(snapshots, ignore_index=True)
        say("cases")
        final_tables = {
            "businesses": businesses,
            "financial_statements": fs,
            "debts": debts,
            "loan_applications": apps,
            "application_status_history": history,
        }
        cases = self._cases(final_tables, distressed)
        outcomes = pd.concat(outcome_rows, ignore_index=True)
        truth = pd.concat(truth_rows, ignore_index=True)
        feas_parts = self._feasibility_parts
        drivers = pd.concat(
            [
                driver_table("distress", pd.concat(distress_parts), DISTRESS_DRIVERS),
                driver_table("feasibility", feas_parts, FEASIBILITY_DRIVERS),
            ],
            ignore_index=True,
        )
        return {
            **final_tables,
            "cases": cases,
            "outcomes": outcomes,
            "truth": truth,
            "truth_drivers": drivers,
        }

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
        plan_at = self._features(tables, as_of.reindex(self.ids).fillna(pd.Timestamp(date)))
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
        principal = _round(plan_at["total_outstanding"].to_numpy() * (1 - haircut))
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
                "plan_installment": _round(planned["plan_installment"].to_numpy()),
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

    # -- cases ---------------------------------------------------------------------------------
    def _cases(self, tables: dict[str, pd.DataFrame], distressed: np.ndarray) -> pd.DataFrame:
        rng, n = self.rng, self.n
        cutoff = pd.Timestamp(CUTOFF)
        features = self._features(tables, CUTOFF)
        logit, _ = distress_logit(features)
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
        statuses = np.array(
            ["received", "screening", "analysis", "recommended", "referred", "resolved", "closed"]
        )
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


def generate(
    businesses: int = 12_000, seed: int = 7, progress: Progress | None = None
) -> dict[str, pd.DataFrame]:
    """All tables of a synthetic portfolio, plus `truth` and `truth_drivers`."""
    return Generator(businesses, seed, progress).run()
