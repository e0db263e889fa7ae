"""Loan-application history features, with each application's status as it stood at the as-of date.

Where a status history is supplied it is the record; otherwise the application's own dates are
used: a decision dated after the as-of date had not happened yet, so the application was pending.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.asof import visible
from features.columns import NAT, Columns, Groups, days_between, group_ends, positions
from features.schema import BANK_SIDE_STATUSES, PENDING_STATUSES

DEFAULT_SLA_DAYS = 45
WINDOW_DAYS = 730  # "24 months"


def sla_for(
    lenders: pd.Series | np.ndarray, sla_days: Mapping[str, int] | int | None
) -> np.ndarray:
    """Each application's SLA in days: per lender where configured, else the default."""
    if sla_days is None or isinstance(sla_days, int):
        return np.full(len(lenders), float(sla_days or DEFAULT_SLA_DAYS))
    default = float(sla_days.get("default", DEFAULT_SLA_DAYS))
    return np.array([float(sla_days.get(lender, default)) for lender in lenders], dtype="float64")


def _is_in(values: np.ndarray, allowed: tuple[str, ...]) -> np.ndarray:
    return np.array([v in allowed for v in values], dtype=bool)


def status_at(
    applications: Columns, history: Columns, codes: np.ndarray, cutoff: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Visible application rows, with their status and rejection date as of each business's
    as-of date: (rows, status_at, rejected_at)."""
    rows = np.flatnonzero(visible(applications["submitted_at"], codes, cutoff))
    when = cutoff[codes[rows]]
    status = applications["status"][rows]
    final = ~_is_in(status, PENDING_STATUSES)
    changed = applications["status_changed_at"][rows]
    decided = applications["decided_at"][rows]
    decided = np.where(np.isnat(decided), changed, decided)
    known_final = final & (decided <= when)
    known_pending = ~final & (np.isnat(changed) | (changed <= when))
    status_now = np.where(known_final | known_pending, status, "submitted").astype(object)
    rejected_at = np.where(known_final & (status == "rejected"), decided, NAT)

    if len(history["application_id"]) and len(rows):
        app = positions(applications["application_id"][rows], history["application_id"])
        stamp = history["changed_at"]
        keep = np.flatnonzero(visible(stamp, app, when))
        keep = keep[np.lexsort((stamp[keep], app[keep]))]  # stable: ties keep file order
        owner = app[keep]
        ends = group_ends(owner)
        status_now[owner[ends]] = history["status"][keep][ends]
        refused = keep[history["status"][keep] == "rejected"]
        latest = Groups(app[refused], len(rows)).latest(stamp[refused])
        recorded = np.zeros(len(rows), dtype=bool)
        recorded[owner] = True
        rejected_at = np.where(recorded, latest, rejected_at)
    return rows, status_now, rejected_at


@dataclass(frozen=True)
class ApplicationStates:
    """Each visible application as it stood at its business's as-of date.

    An application is stalled when it waits on the bank (submitted or under review, not
    documents requested of the borrower) and has waited longer than its lender's SLA since
    submission: the one definition, used by the model feature and the liaison views."""

    rows: np.ndarray
    status: np.ndarray
    rejected_at: np.ndarray
    days_pending: np.ndarray
    sla_days: np.ndarray
    pending: np.ndarray
    stalled: np.ndarray


def application_states(
    applications: Columns,
    history: Columns,
    codes: np.ndarray,
    cutoff: np.ndarray,
    sla_days: Mapping[str, int] | int | None = None,
) -> ApplicationStates:
    rows, status_now, rejected_at = status_at(applications, history, codes, cutoff)
    age_days = days_between(cutoff[codes[rows]], applications["submitted_at"][rows])
    pending = _is_in(status_now, PENDING_STATUSES)
    sla = sla_for(applications["lender"][rows], sla_days)
    stalled = _is_in(status_now, BANK_SIDE_STATUSES) & (age_days > sla)
    return ApplicationStates(rows, status_now, rejected_at, age_days, sla, pending, stalled)


def application_features(
    applications: Columns,
    history: Columns,
    codes: np.ndarray,
    cutoff: np.ndarray,
    sla_days: Mapping[str, int] | int | None = None,
) -> Columns:
    """One value per business (NaN where it has no visible application) for each feature."""
    states = application_states(applications, history, codes, cutoff, sla_days)
    business = codes[states.rows]
    when = cutoff[business]
    g = Groups(business, len(cutoff))
    applied = g.size() > 0
    age_days = states.days_pending
    since_rejection = days_between(when, states.rejected_at)
    f: Columns = {}
    f["n_applications_24m"] = np.where(applied, g.sum((age_days < WINDOW_DAYS) * 1.0), np.nan)
    f["n_rejections_24m"] = np.where(applied, g.sum((since_rejection < WINDOW_DAYS) * 1.0), np.nan)
    f["days_since_last_rejection"] = g.min(since_rejection)
    f["pending_days_max"] = g.max(np.where(states.pending, age_days, 0.0))
    f["has_stalled_application"] = g.max(states.stalled * 1.0)
    return f
