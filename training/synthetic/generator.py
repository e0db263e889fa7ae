"""Synthetic Thai SME portfolio: the project's embedded default data.

The process is documented in training/GENERATOR.md. In short: each firm has a latent health that
follows an AR(1) process driven by sector shocks; statements, facilities, applications and cases
are derived from it; outcomes are drawn from the true models in `truth.py`, computed on what was
observable at each as-of date. Everything is vectorised over firms and driven by one seed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from training.synthetic.applications import Applications
from training.synthetic.cases import Cases
from training.synthetic.facilities import Facilities
from training.synthetic.firms import Firms
from training.synthetic.outcomes import Outcomes
from training.synthetic.state import CUTOFF, LABEL_DATES, LAST_YEAR, RESTRUCTURING_DATES, Progress
from training.synthetic.statements import Statements
from training.synthetic.truth import (
    FEASIBILITY_DRIVERS,
    VARIANTS,
    distress_logit,
    driver_table,
    sigmoid,
)


class Generator(Firms, Statements, Facilities, Applications, Outcomes, Cases):
    """Draws one synthetic portfolio; `run()` returns the tables, truth included."""

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
            features = self.features_at(tables, date)
            population = (self.founded < year) & ~distressed
            logit, parts = distress_logit(features, self.distress_drivers)
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
                driver_table("distress", pd.concat(distress_parts), self.distress_drivers),
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


def generate(
    businesses: int = 12_000,
    seed: int = 7,
    progress: Progress | None = None,
    variant: str | None = None,
) -> dict[str, pd.DataFrame]:
    """All tables of a synthetic portfolio, plus `truth` and `truth_drivers`; `variant` names
    another true distress model (`truth.VARIANTS`)."""
    chosen = None if variant is None else VARIANTS[variant]
    return Generator(businesses, seed, progress, chosen).run()
