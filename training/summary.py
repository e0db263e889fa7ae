"""A one-screen summary of a portfolio: what a user checks before training on it."""

from __future__ import annotations

from typing import Any

import pandas as pd

from features import Portfolio
from features.applications import sla_for
from features.schema import PENDING_STATUSES


def reference_date(portfolio: Portfolio) -> pd.Timestamp:
    """The latest date the portfolio speaks of: its data cut-off."""
    dates = [
        portfolio.debts["as_of"].max(),
        portfolio.loan_applications["status_changed_at"].max(),
        portfolio.loan_applications["submitted_at"].max(),
        portfolio.cases["received_at"].max(),
        portfolio.financial_statements["period_end"].max(),
    ]
    known = [d for d in dates if pd.notna(d)]
    return max(known) if known else pd.Timestamp.today().normalize()


def summarize(portfolio: Portfolio, sla_days: dict[str, int] | int | None = None) -> dict[str, Any]:
    """Counts per table, distress base rate, restructured share, share of stalled applications."""
    counts = {name: len(frame) for name, frame in portfolio.tables.items()}
    outcomes = portfolio.outcomes
    distress = outcomes["distress_12m"].dropna()
    restructured = outcomes.loc[outcomes["restructuring_id"].notna(), "business_id"].nunique()
    performing = outcomes["performing_12m"].dropna()
    apps = portfolio.loan_applications
    today = reference_date(portfolio)
    pending = apps["status"].isin(PENDING_STATUSES)
    age = (today - apps["submitted_at"]).dt.days
    stalled = pending & (age > sla_for(apps["lender"], sla_days))
    n_businesses = max(len(portfolio.businesses), 1)
    return {
        "reference_date": today.date().isoformat(),
        "rows": counts,
        "distress_base_rate": float(distress.mean()) if len(distress) else None,
        "distress_as_of_dates": sorted(
            outcomes.loc[distress.index, "as_of"].dt.date.astype(str).unique()
        ),
        "restructured_share": restructured / n_businesses,
        "plan_performing_rate": float(performing.mean()) if len(performing) else None,
        "stalled_application_share": float(stalled.mean()) if len(apps) else None,
        "stalled_share_of_pending": float(stalled[pending].mean()) if pending.any() else None,
        "businesses_with_statements": portfolio.financial_statements["business_id"].nunique()
        / n_businesses,
    }


def format_summary(summary: dict[str, Any]) -> str:
    def pct(x: float | None) -> str:
        return "n/a" if x is None else f"{100 * x:.1f}%"

    lines = [f"Portfolio as of {summary['reference_date']}", "", "Rows per table:"]
    lines += [f"  {name:<28}{count:>10,}" for name, count in summary["rows"].items()]
    lines += [
        "",
        f"Distress base rate (12 months):   {pct(summary['distress_base_rate'])}"
        f"  over as-of dates {', '.join(summary['distress_as_of_dates']) or 'none'}",
        f"Restructured businesses:          {pct(summary['restructured_share'])}",
        f"Restructuring plans performing:   {pct(summary['plan_performing_rate'])}",
        f"Stalled loan applications:        {pct(summary['stalled_application_share'])}"
        f" of all applications; {pct(summary['stalled_share_of_pending'])} of those pending"
        " (pending beyond the lender's SLA)",
        f"Businesses with statements:       {pct(summary['businesses_with_statements'])}",
    ]
    return "\n".join(lines)
