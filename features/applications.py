"""Loan-application history features, with each application's status as it stood at the as-of date.

Where a status history is supplied it is the record; otherwise the application's own dates are
used: a decision dated after the as-of date had not happened yet, so the application was pending.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from features.asof import visible
from features.columns import NAT, Columns, Groups, days_between, group_ends, positions
from features.schema import PENDING_STATUSES

DEFAULT_SLA_DAYS = 45
WINDOW_DAYS = 730  # "24 months"
COLUMNS = (
    "n_applications_24m",
    "n_rejections_24m",
    "days_since_last_rejection",
    "pending_days_max",
    "has_stalled_application",
)


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


def application_features(
    applications: Columns,
    history: Columns,
    codes: np.ndarray,
    cutoff: np.ndarray,
    sla_days: Mapping[str, int] | int | None = None,
) -> Columns:
    """One value per business (NaN where it has no visible application) for each feature."""
    rows, status_now, rejected_at = status_at(applications, history, codes, cutoff)
    business = codes[rows]
    when = cutoff[business]
    g = Groups(business, len(cutoff))
    applied = g.size() > 0
    age_days = days_between(when, applications["submitted_at"][rows])
    pending = _is_in(status_now, PENDING_STATUSES)
    since_rejection = days_between(when, rejected_at)
    stalled = pending & (age_days > sla_for(applications["lender"][rows], sla_days))
    f: Columns = {}
    f["n_applications_24m"] = np.where(applied, g.sum((age_days < WINDOW_DAYS) * 1.0), np.nan)
    f["n_rejections_24m"] = np.where(applied, g.sum((since_rejection < WINDOW_DAYS) * 1.0), np.nan)
    f["days_since_last_rejection"] = g.min(since_rejection)
    f["pending_days_max"] = g.max(np.where(pending, age_days, 0.0))
    f["has_stalled_application"] = g.max(stalled * 1.0)
    return f
