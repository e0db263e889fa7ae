"""A plan's covenants, checked as statements come in (or do not): the debt-service cover of each
annual statement after the plan starts, measured against that year's scheduled plan payments,
and the delivery of each year's statements within the filing deadline after its year end.
Thresholds in `recommendation.toml` ([covenants])."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

COVENANT_ALERTS = ("covenant_dscr", "statements_overdue")


@dataclass(frozen=True)
class Statement:
    fiscal_year: int
    period_end: dt.date
    ebitda: float | None


@dataclass(frozen=True)
class Breach:
    alert: str
    fiscal_year: int
    detail: str  # numbers, in English, for the log and the worklist
    dscr: float | None = None


def _year_end(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def breaches(
    plan_start: dt.date,
    dues: Sequence[tuple[dt.date, float]],
    statements: Sequence[Statement],
    today: dt.date,
    *,
    min_dscr: float,
    statements_due_days: int,
) -> list[Breach]:
    """Every covenant breach of a plan at `today`: `dues` are the plan's installments (date,
    amount) over all creditors; `statements` the business's annual statements."""
    out: list[Breach] = []
    after = sorted(
        (s for s in statements if s.period_end >= plan_start), key=lambda s: s.period_end
    )
    for s in after:
        year_start = s.period_end - dt.timedelta(days=365)
        service = sum(a for d, a in dues if year_start < d <= s.period_end)
        if service <= 0 or s.ebitda is None:
            continue
        dscr = s.ebitda / service
        if dscr < min_dscr:
            out.append(
                Breach("covenant_dscr", s.fiscal_year,
                       f"DSCR {dscr:.2f} < {min_dscr:.2f} on the {s.fiscal_year} statement", dscr)
            )  # fmt: skip
    last = max(statements, key=lambda s: s.period_end, default=None)
    month, day = (last.period_end.month, last.period_end.day) if last else (12, 31)
    filed = {s.period_end for s in statements}
    year = plan_start.year
    while True:
        end = _year_end(year, month, day)
        deadline = end + dt.timedelta(days=statements_due_days)
        if deadline >= today:
            break
        if end >= plan_start and end not in filed:
            out.append(
                Breach("statements_overdue", year,
                       f"{year} statements due by {deadline.isoformat()} not received")
            )  # fmt: skip
        year += 1
    return out
