"""Restructuring and refinancing arithmetic, in THB. Pure functions, no I/O.

Conventions: monthly compounding at annual_rate / 12; payments at the end of each month; a grace
period is interest-only and the remaining months amortise with a level (annuity) installment;
cash flows are discounted monthly at the lender's annual discount rate / 12.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.loans import annuity_payment

__all__ = [
    "Plan",
    "amortisation_schedule",
    "annuity_payment",
    "dscr",
    "implied_tenor",
    "liquidation_value",
    "npv",
    "plan_cash_flows",
]


def amortisation_schedule(
    principal: float, annual_rate: float, tenor_months: int, grace_months: int = 0
) -> pd.DataFrame:
    """Month-by-month schedule: interest-only grace months, then level installments."""
    if tenor_months < 1 or not 0 <= grace_months < tenor_months:
        raise ValueError("need tenor_months >= 1 and 0 <= grace_months < tenor_months")
    rate = annual_rate / 12.0
    level = float(annuity_payment(principal, annual_rate, tenor_months - grace_months))
    rows, balance = [], float(principal)
    for month in range(1, tenor_months + 1):
        interest = balance * rate
        payment = interest if month <= grace_months else min(level, balance + interest)
        repaid = payment - interest
        rows.append((month, balance, interest, repaid, payment, balance - repaid))
        balance -= repaid
    return pd.DataFrame(
        rows, columns=["month", "opening", "interest", "principal", "payment", "closing"]
    )


def plan_cash_flows(
    principal: float, annual_rate: float, tenor_months: int, grace_months: int = 0
) -> np.ndarray:
    schedule = amortisation_schedule(principal, annual_rate, tenor_months, grace_months)
    payments: np.ndarray = schedule["payment"].to_numpy()
    return payments


def npv(cash_flows: np.ndarray, annual_discount_rate: float, delay_months: int = 0) -> float:
    """Present value of monthly cash flows (the first at the end of month 1 + delay)."""
    months = np.arange(1, len(cash_flows) + 1) + delay_months
    return float(np.sum(np.asarray(cash_flows) / (1 + annual_discount_rate / 12.0) ** months))


def liquidation_value(
    collateral_value: float,
    *,
    haircut: float,
    costs_share: float,
    delay_months: int,
    annual_discount_rate: float,
    cap: float | None = None,
) -> float:
    """Present value of enforcing on collateral: forced-sale haircut, costs, a recovery delay."""
    recovered = max(collateral_value * (1 - haircut) * (1 - costs_share), 0.0)
    if cap is not None:
        recovered = min(recovered, cap)
    return recovered / (1 + annual_discount_rate / 12.0) ** delay_months


def dscr(ebitda: float, annual_debt_service: float) -> float:
    """EBITDA over annual debt service; NaN where there is no debt service or no EBITDA."""
    if not annual_debt_service or annual_debt_service <= 0 or ebitda is None or math.isnan(ebitda):
        return math.nan
    return ebitda / annual_debt_service


def implied_tenor(principal: float, annual_rate: float, monthly_installment: float) -> int | None:
    """Months an annuity of `monthly_installment` takes to repay `principal`; None if never."""
    rate = annual_rate / 12.0
    if principal <= 0 or monthly_installment <= 0:
        return None
    if rate == 0:
        return math.ceil(principal / monthly_installment)
    if monthly_installment <= principal * rate:
        return None
    months = -math.log(1 - rate * principal / monthly_installment) / math.log(1 + rate)
    return math.ceil(months - 1e-9)  # a whole number of months, despite rounding


@dataclass(frozen=True)
class Plan:
    """Terms of one restructuring plan applied to a business's current debt."""

    principal: float  # after the haircut
    annual_rate: float
    tenor_months: int
    grace_months: int = 0
    haircut: float = 0.0

    @property
    def installment(self) -> float:
        """The level installment after the grace period."""
        return float(
            annuity_payment(self.principal, self.annual_rate, self.tenor_months - self.grace_months)
        )

    def cash_flows(self) -> np.ndarray:
        return plan_cash_flows(
            self.principal, self.annual_rate, self.tenor_months, self.grace_months
        )

    def lender_npv(self, annual_discount_rate: float) -> float:
        """Closed form of `npv(self.cash_flows(), rate)`: interest-only grace months, then an
        annuity, both as annuity factors (the plan search prices hundreds of plans)."""
        d = annual_discount_rate / 12.0
        v = 1.0 / (1.0 + d)

        def factor(months: int) -> float:
            return months if d == 0 else (1.0 - v**months) / d

        interest_only = self.principal * self.annual_rate / 12.0
        amortising = self.tenor_months - self.grace_months
        return (
            interest_only * factor(self.grace_months)
            + self.installment * factor(amortising) * v**self.grace_months
        )

    def terms(self) -> dict[str, float]:
        """The plan as the feasibility model's plan columns."""
        return {
            "plan_outstanding": self.principal,
            "plan_rate": self.annual_rate,
            "plan_tenor_months": self.tenor_months,
            "plan_grace_months": self.grace_months,
            "plan_haircut": self.haircut,
        }
