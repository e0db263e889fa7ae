"""Loan-application history features, with each application's status as it stood at the as-of date.

Where a status history is supplied it is the record; otherwise the application's own dates are
used: a decision dated after the as-of date had not happened yet, so the application was pending.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from features.asof import visible
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


def sla_for(lenders: pd.Series, sla_days: Mapping[str, int] | int | None) -> pd.Series:
    """Each application's SLA in days: per lender where configured, else the default."""
    if sla_days is None or isinstance(sla_days, int):
        return pd.Series(float(sla_days or DEFAULT_SLA_DAYS), index=lenders.index)
    default = float(sla_days.get("default", DEFAULT_SLA_DAYS))
    return lenders.map(sla_days).astype("float64").fillna(default)


def status_at(applications: pd.DataFrame, history: pd.DataFrame, as_of: pd.Series) -> pd.DataFrame:
    """Visible applications with `status_at` and `rejected_at` as of each business's date."""
    apps = visible(applications, "submitted_at", as_of).copy()
    apps["cutoff"] = apps["business_id"].map(as_of)
    final = ~apps["status"].isin(PENDING_STATUSES)
    decided = apps["decided_at"].fillna(apps["status_changed_at"])
    changed = apps["status_changed_at"]
    known_final = final & (decided <= apps["cutoff"])
    known_pending = ~final & (changed.isna() | (changed <= apps["cutoff"]))
    apps["status_at"] = apps["status"].where(known_final | known_pending, "submitted")
    rejected = known_final & (apps["status"] == "rejected")
    apps["rejected_at"] = decided.where(rejected)

    if not history.empty:
        hist = history.merge(apps[["application_id", "cutoff"]], on="application_id")
        hist = hist[hist["changed_at"] <= hist["cutoff"]].sort_values(
            ["application_id", "changed_at"], kind="stable"
        )
        last = hist.groupby("application_id").tail(1).set_index("application_id")["status"]
        rejections = hist[hist["status"] == "rejected"].groupby("application_id")["changed_at"]
        apps = apps.join(last.rename("_last"), on="application_id")
        apps = apps.join(rejections.max().rename("_rejected"), on="application_id")
        has_history = apps["_last"].notna()
        apps["status_at"] = apps["_last"].where(has_history, apps["status_at"])
        apps["rejected_at"] = apps["_rejected"].where(has_history, apps["rejected_at"])
        apps = apps.drop(columns=["_last", "_rejected"])
    return apps


def application_features(
    applications: pd.DataFrame,
    history: pd.DataFrame,
    as_of: pd.Series,
    sla_days: Mapping[str, int] | int | None = None,
) -> pd.DataFrame:
    """One row per business with a visible application; index business_id."""
    apps = status_at(applications, history, as_of)
    if apps.empty:
        return pd.DataFrame(columns=list(COLUMNS), index=pd.Index([], name="business_id"))
    age_days = (apps["cutoff"] - apps["submitted_at"]).dt.days.astype("float64")
    pending = apps["status_at"].isin(PENDING_STATUSES)
    since_rejection = (apps["cutoff"] - apps["rejected_at"]).dt.days.astype("float64")
    frame = pd.DataFrame(
        {
            "business_id": apps["business_id"],
            "recent": (age_days < WINDOW_DAYS).astype("float64"),
            "recent_rejection": (since_rejection < WINDOW_DAYS).astype("float64"),
            "since_rejection": since_rejection,
            "pending_days": age_days.where(pending, 0.0),
            "stalled": (pending & (age_days > sla_for(apps["lender"], sla_days))).astype("float64"),
        }
    )
    g = frame.groupby("business_id", sort=False)
    f = pd.DataFrame(index=g.size().index)
    f["n_applications_24m"] = g["recent"].sum()
    f["n_rejections_24m"] = g["recent_rejection"].sum()
    f["days_since_last_rejection"] = g["since_rejection"].min()
    f["pending_days_max"] = g["pending_days"].max()
    f["has_stalled_application"] = g["stalled"].max()
    return f.astype(np.float64)
