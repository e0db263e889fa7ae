"""A decided plan's repayment schedule per creditor, month by month, from the option's terms.

Each facility the plan keeps pays as its terms say: interest only through its grace months, then
its level installment to the end of its term (a revolving line pays its interest until its next
review). A facility paid off by a refinancing pays nothing more to its lender; the new facility
pays its lender, and the guarantee fee is due to the guarantor, each as a creditor of its own.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from typing import Any

from features.schema import AMORTISING_FACILITIES
from models.plans.arithmetic import annuity_payment


def _facility_months(term: dict[str, Any]) -> list[float]:
    treatment = term["treatment"]
    if treatment == "refinanced":
        return []
    if treatment == "unchanged":
        return [float(term["installment_before"])] * int(term["tenor_before"])
    principal = float(term["outstanding"]) - float(term["haircut_amount"] or 0.0)
    rate, tenor = float(term["rate_after"]), int(term["tenor_after"])
    grace = int(term["grace_months"] or 0)
    if term["facility_type"] not in AMORTISING_FACILITIES:
        return [principal * rate / 12.0] * tenor
    level = float(annuity_payment(principal, rate, tenor - grace))
    return [principal * rate / 12.0] * grace + [level] * (tenor - grace)


def schedule(option: dict[str, Any]) -> dict[str, list[float]]:
    """Amount due each month (month 1 first) to each creditor under the option's plan."""
    due: dict[str, list[float]] = defaultdict(list)

    def add(creditor: str, amounts: list[float]) -> None:
        line = due[creditor]
        line.extend([0.0] * (len(amounts) - len(line)))
        for month, amount in enumerate(amounts):
            line[month] += amount

    for term in option.get("terms", []):
        add(term["lender"], _facility_months(term))
    new = option.get("new_facility")
    if new:
        tenor, intro = int(new["tenor_months"]), int(new["intro_months"] or 0)
        lender = new["programme"]["name_en"]
        add(lender, [new["installment_intro"]] * intro + [new["installment"]] * (tenor - intro))
        if new["guarantee"] and new["guarantee_fee_monthly"]:
            waived = int(new["fee_waived_months"] or 0)
            fee = float(new["guarantee_fee_monthly"])
            add(new["guarantee"]["name_en"], [0.0] * waived + [fee] * max(tenor - waived, 0))
    return {
        creditor: [round(a, 2) for a in amounts]
        for creditor, amounts in due.items()
        if any(a > 0 for a in amounts)
    }


RE_DEFAULT_DAYS = 90  # a plan this far behind has failed
ALERTS = ((RE_DEFAULT_DAYS, "re_default"), (30, "special_mention"), (1, "arrears"))  # days past due
TOLERANCE = 1.0  # THB left unpaid that does not count as arrears


def standing(
    installments: list[tuple[str, dt.date, float]],
    repayments: list[tuple[str, dt.date, float]],
    today: dt.date,
) -> list[dict[str, Any]]:
    """Each creditor's position on a plan at `today`: due so far, paid, in arrears, and days
    past due of the oldest installment not covered (payments settle the oldest first)."""
    out = []
    for creditor in sorted({c for c, _, _ in installments}):
        dues = sorted((d, a) for c, d, a in installments if c == creditor)
        paid = sum(a for c, p, a in repayments if c == creditor and p <= today)
        due_so_far = sum(a for d, a in dues if d <= today)
        covered, oldest_unpaid = 0.0, None
        for date, amount in dues:
            if date > today:
                break
            covered += amount
            if covered - paid > TOLERANCE:
                oldest_unpaid = date
                break
        days = (today - oldest_unpaid).days if oldest_unpaid else 0
        upcoming = next(((d, a) for d, a in dues if d > today), None)
        out.append(
            {
                "creditor": creditor, "due_to_date": due_so_far, "paid": paid,
                "arrears": max(due_so_far - paid, 0.0), "days_past_due": days,
                "alert": next((name for limit, name in ALERTS if days >= limit), None),
                "next_due": upcoming[0] if upcoming else None,
                "next_amount": upcoming[1] if upcoming else None,
            }
        )  # fmt: skip
    return out


def due_dates(first_due: dt.date, months: int) -> list[dt.date]:
    """The same day of each month from `first_due` (the last day where a month is shorter)."""
    out = []
    for i in range(months):
        year, month = divmod(first_due.month - 1 + i, 12)
        year += first_due.year
        day = min(first_due.day, calendar.monthrange(year, month + 1)[1])
        out.append(dt.date(year, month + 1, day))
    return out
