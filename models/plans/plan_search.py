"""The plan search: every refinancing choice crossed with the restructuring grid, a shortlist
re-scored by the feasibility model, and the plans the advice needs beside it (the one that comes
closest to the target, and the one worth most to the creditors)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from features.plan import plan_features
from models.plans.creditor_vote import consents
from models.plans.debt_plans import Candidate, Debt, Evaluation, evaluate
from models.plans.refinancing import SourceCheck
from models.scorer import Scorer

# Scores plans for one business (each as the model's plan columns): the probability each performs.
Feasibility = Callable[[list[dict[str, float]]], list[float]]


def feasibility_function(scorer: Scorer, features: pd.Series) -> Feasibility:
    """Score plans for one business with the feasibility model, through the plan features."""

    def score(terms: list[dict[str, float]]) -> list[float]:
        if not terms:
            return []
        base = pd.DataFrame([features] * len(terms)).reset_index(drop=True)
        frame = plan_features(base, pd.DataFrame(terms))
        return [float(p) for p in scorer.score(frame, explain=False)["probability"]]

    return score


@dataclass
class PlanSearch:
    debt: Debt
    target_dscr: float
    shortlist: list[Candidate] = field(default_factory=list)
    feasibility: dict[tuple[str, int], float | None] = field(default_factory=dict)
    closest: Candidate | None = None  # the highest DSCR within reach
    most_for_creditors: Candidate | None = None  # the highest value the business can service
    sources: list[SourceCheck] = field(default_factory=list)

    def feasibility_of(self, candidate: Candidate) -> float | None:
        return self.feasibility.get(candidate.key)


def _rows(ev: Evaluation, restructure: bool, debt: Debt) -> np.ndarray:
    """The grid rows that are plans: row 0 is one only when it changes something."""
    rows = np.arange(len(ev.points)) if restructure else np.array([0])
    first_changes = ev.new_facility is not None or any(
        f.above_ceiling or f.days_past_due > 0
        for f, kept in zip(debt.facilities, ev.kept, strict=True)
        if kept
    )
    rows = rows if first_changes else rows[rows > 0]
    rows = rows[ev.in_priority[rows]]
    if debt.monthly_before > 0:  # relief: no plan raises what the business pays a month
        rows = rows[ev.monthly[rows] <= debt.monthly_before * (1 + 1e-9)]
    out: np.ndarray = rows
    return out


def reachable(ev: Evaluation, steps: Sequence[str], court_share: float | None) -> np.ndarray:
    """Per point: whether one of `steps` can be taken with the creditors' agreement it has."""
    out = np.zeros(len(ev.points), dtype=bool)
    if "restructuring_agreement" in steps:
        out |= ev.all_agree
    if "court_rehabilitation" in steps and court_share is not None:
        out |= consents(ev.consent_share, court_share)
    return out


def search_plans(
    debt: Debt,
    ebitda: float,
    config: dict[str, Any],
    sources: Sequence[SourceCheck],
    *,
    restructure: bool,
    feasibility: Feasibility | None = None,
    court_share: float | None = None,
) -> PlanSearch:
    """Evaluate every plan; shortlist, per refinancing choice, the best plans reaching the
    target by participation and concession and by DSCR, and re-score them in one batch.

    A leg whose lender lends only after a step keeps the plans where the step can be taken:
    every creditor agrees (a restructuring agreement), or creditors holding `court_share` of
    the debt do where the business qualifies for court rehabilitation."""
    target = config["plan"]["target_dscr"]
    k = config["plan"]["shortlist"]
    result = PlanSearch(debt, target, sources=list(sources))
    if debt.outstanding <= 0:
        return result
    legs = [None, *(s.facility for s in sources if s.facility is not None)]
    every: list[Candidate] = []
    for leg in legs:
        ev = evaluate(debt, ebitda, config, leg)
        rows = _rows(ev, restructure, debt)
        if leg is not None and leg.after_steps:
            rows = rows[reachable(ev, leg.after_steps, court_share)[rows]]
        if not len(rows):
            continue
        every += [Candidate(ev, int(r)) for r in rows]
        meeting = rows[ev.dscr[rows] >= target]
        by_terms = sorted(
            meeting, key=lambda r: (not ev.all_agree[r], -ev.consent_share[r], ev.concession[r], r)
        )
        by_dscr = sorted(meeting, key=lambda r: (-ev.dscr[r], ev.concession[r], r))
        chosen = dict.fromkeys([*by_terms[:k], *by_dscr[:k]])
        result.shortlist += [Candidate(ev, int(r)) for r in chosen]
    if not every:
        return result
    result.closest = min(
        every, key=lambda c: (-np.nan_to_num(c.dscr, nan=-np.inf), c.concession, c.key)
    )
    result.most_for_creditors = min(every, key=lambda c: (-c.serviceable_value(), c.key))
    if feasibility is not None:
        scored = list({c.key: c for c in [*result.shortlist, result.closest]}.values())
        probabilities = feasibility([c.model_terms() for c in scored])
        result.feasibility = {c.key: p for c, p in zip(scored, probabilities, strict=True)}
    return result
