"""A business's creditors as they stand: each facility's lawful claim, what it is worth to its
lender under the contract, and what each lender would recover in a liquidation.

Conventions (see `models.plans.arithmetic`): THB, monthly compounding, payments at month end.

- A lender that is not a financial institution may not charge above the legal ceiling: its
  claim runs at the lawful rate, and no plan keeps the excess. An interest clause above the
  ceiling is void, so its balance on record is not what is owed: the claim is reckoned at the
  principal that balance implies plus interest at the ceiling over the same months (the
  accrual assumed in `recommendation.toml`, shown in the advice until the loan agreement and
  the payment record replace it).
- Each facility's cash flows are discounted at its lawful contract rate, and never below the
  floor in `recommendation.toml`. This is the rate a bank measures a modification loss at, so
  a plan that keeps a facility's rate and extends it costs the lender nothing only when the rate
  is at least the floor, and a plan can never look like a gain to a lender it concedes from.
- A revolving line (overdraft, trade finance) is interest-only until its next review, when it is
  repayable at par; an amortising facility pays level installments over its remaining months.
- Liquidation: each facility's collateral is sold at a forced-sale haircut less costs, after a
  delay; the proceeds go first to the secured facility, up to its claim, and any surplus is
  shared pro rata among the claims still unpaid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from features.schema import AMORTISING_FACILITIES, COLLATERAL_TYPES, LEGAL_STAGES
from models.plans.arithmetic import Plan, implied_tenor


def _num(value: Any, default: float = math.nan) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return default if math.isnan(out) else out


@dataclass(frozen=True)
class Facility:
    """One credit facility of the business's latest snapshot, with its legal ceiling."""

    facility_id: str
    lender: str
    facility_type: str
    outstanding: float
    annual_rate: float  # the contract rate
    rate_on_record: bool
    remaining_months: int
    monthly_installment: float
    days_past_due: float
    collateral_value: float
    guarantee: str
    ceiling: float | None
    legal_stage: str = "none"
    collateral_type: str = "none"
    balance_on_record: float | None = None  # when the claim is reckoned below it (usury)
    assumed_accrued_months: float | None = None  # the accrual the reckoning assumed

    @property
    def revolving(self) -> bool:
        return self.facility_type not in AMORTISING_FACILITIES

    @property
    def formal(self) -> bool:
        return self.ceiling is None

    @property
    def lawful_rate(self) -> float:
        return self.annual_rate if self.ceiling is None else min(self.annual_rate, self.ceiling)

    @property
    def above_ceiling(self) -> bool:
        return self.ceiling is not None and self.annual_rate > self.ceiling + 1e-12

    def discount_rate(self, floor: float) -> float:
        return max(self.lawful_rate, floor)

    def contract_npv(self, floor: float, review_months: int) -> float:
        """The lender's value of the lawful claim on the contract's own terms."""
        return facility_npv(
            self.outstanding,
            self.lawful_rate,
            self.remaining_months,
            0,
            self.revolving,
            self.discount_rate(floor),
            review_months,
        )


def facility_npv(
    principal: float,
    rate: float,
    tenor_months: int,
    grace_months: int,
    revolving: bool,
    discount: float,
    review_months: int,
) -> float:
    if principal <= 0:
        return 0.0
    if revolving:
        d = discount / 12.0
        v = 1.0 / (1.0 + d)
        factor = review_months if d == 0 else (1.0 - v**review_months) / d
        return principal * rate / 12.0 * factor + principal * v**review_months
    return Plan(principal, rate, max(tenor_months, grace_months + 1), grace_months).lender_npv(
        discount
    )


def reckoned_claim(balance: float, rate: float, ceiling: float, accrued_months: float) -> float:
    """What an informal lender charging above the ceiling may claim: the principal a balance
    implies after `accrued_months` of simple interest at `rate`, plus interest at the ceiling
    over those months; never more than the balance."""
    years = accrued_months / 12.0
    principal = balance / (1.0 + rate * years)
    return min(balance, principal * (1.0 + ceiling * years))


def facilities_from(
    rows: pd.DataFrame,
    ceilings: dict[str, float | None],
    assumed_rate: float,
    default_tenor: int,
    accrued_months: float = 0.0,
) -> list[Facility]:
    """Facilities from debts rows of one snapshot, largest first (ties by id)."""
    out = []
    for r in rows.to_dict("records"):
        rate = _num(r.get("annual_rate"))
        balance = _num(r.get("outstanding"), 0.0)
        ceiling = ceilings.get(str(r["facility_type"]))
        usurious = ceiling is not None and not math.isnan(rate) and rate > ceiling + 1e-12
        outstanding = (
            reckoned_claim(balance, rate, ceiling, accrued_months)
            if usurious and ceiling is not None
            else balance
        )
        installment = _num(r.get("monthly_installment"), 0.0)
        known = not math.isnan(rate)
        rate = rate if known else assumed_rate
        months = int(_num(r.get("remaining_months"), 0.0))
        if months <= 0:
            months = implied_tenor(balance, rate, installment) or default_tenor
        out.append(
            Facility(
                facility_id=str(r["facility_id"]),
                lender=str(r["lender"]),
                facility_type=str(r["facility_type"]),
                outstanding=outstanding,
                annual_rate=rate,
                rate_on_record=known,
                remaining_months=months,
                monthly_installment=installment,
                days_past_due=_num(r.get("days_past_due"), 0.0),
                collateral_value=_num(r.get("collateral_value"), 0.0),
                guarantee=str(r.get("guarantee") or ""),
                ceiling=ceiling,
                legal_stage=_known(r.get("legal_stage"), LEGAL_STAGES),
                collateral_type=_known(r.get("collateral_type"), COLLATERAL_TYPES),
                balance_on_record=balance if outstanding < balance else None,
                assumed_accrued_months=accrued_months if outstanding < balance else None,
            )
        )
    return sorted(out, key=lambda f: (-f.outstanding, f.facility_id))


def _known(value: Any, allowed: tuple[str, ...]) -> str:
    """A category on record, or "none" where it is missing."""
    return value if isinstance(value, str) and value in allowed else "none"


@dataclass(frozen=True)
class Liquidation:
    """Each facility's recovery in a liquidation: undiscounted, then at its discount rate."""

    proceeds: float  # collateral after the forced-sale haircut and costs
    recovered: np.ndarray  # per facility, undiscounted
    present_value: np.ndarray  # per facility, discounted over the recovery delay

    @property
    def total(self) -> float:
        return float(self.present_value.sum())


def liquidation(
    facilities: Sequence[Facility], config: dict[str, Any], floor: float
) -> Liquidation:
    """Collateral first to its own facility, the surplus pro rata to the claims still unpaid."""
    haircut, costs = config["haircut"], config["costs_share"]
    claims = np.array([f.outstanding for f in facilities], dtype=float)
    collateral = np.array([f.collateral_value for f in facilities], dtype=float)
    sold = np.maximum(collateral * (1 - haircut) * (1 - costs), 0.0)
    secured = np.minimum(sold, claims)
    surplus = float((sold - secured).sum())
    unpaid = claims - secured
    owed = float(unpaid.sum())
    shared = unpaid * min(surplus / owed, 1.0) if owed > 0 else np.zeros_like(unpaid)
    recovered = secured + shared
    delay = config["delay_months"]
    rates = np.array([f.discount_rate(floor) for f in facilities], dtype=float)
    present = recovered / (1 + rates / 12.0) ** delay
    return Liquidation(float(sold.sum()), recovered, present)


def lenders_of(facilities: Sequence[Facility]) -> list[str]:
    """The lenders, each once, in the order of their largest facility."""
    return list(dict.fromkeys(f.lender for f in facilities))
