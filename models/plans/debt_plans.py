"""Per-creditor plans: new terms for each facility, with each lender's NPV against its
liquidation recovery, searched over the grid in `recommendation.toml`.

A plan applies one point of the grid (extension, grace, rate reduction, haircut) to every
facility it restructures, facility by facility: a rate is cut, never raised, and never below the
floor unless it is lower already; a term is extended, never shortened, and a grace period adds
to it; a plan never raises the business's monthly installments; a haircut falls only on
the part of a claim its collateral does not cover, so secured creditors keep their priority;
and across legs no creditor writes off a larger share of its claim than one it ranks at least
level with (a refinancing that pays an unsecured lender at par takes no haircut from a secured
one).
Informal debt above the legal ceiling is capped at it in every plan. No plan leaves arrears as
they are: a facility past due is paid off with its arrears (cured), or its arrears are
capitalised into the principal it repays, over the new term or, where its terms are otherwise
kept, over its remaining months; they are part of the claim each creditor's value is reckoned on.
A refinancing source pays off the facilities it is cheaper than (see `refinancing`); the
plan restructures the rest or leaves them as they are. Plans are evaluated on the whole grid at
once, as arrays.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.plans.arithmetic import annuity_payment
from models.plans.creditors import Facility, Liquidation, lenders_of, liquidation
from models.plans.refinancing import NewFacility

TOLERANCE = 1.0  # THB: a creditor whose plan NPV falls short by less is counted as agreeing


@dataclass(frozen=True)
class Debt:
    """A business's facilities, their lenders, and each facility's contract and liquidation
    values."""

    facilities: tuple[Facility, ...]
    lenders: tuple[str, ...]
    lender_index: np.ndarray
    contract: np.ndarray
    liquidation: Liquidation
    floor: float
    review_months: int

    @classmethod
    def of(cls, facilities: Sequence[Facility], config: dict[str, Any]) -> Debt:
        floor = config["plan"]["discount_floor"]
        review = config["plan"]["revolving_review_months"]
        lenders = lenders_of(facilities)
        return cls(
            facilities=tuple(facilities),
            lenders=tuple(lenders),
            lender_index=np.array([lenders.index(f.lender) for f in facilities], dtype=int),
            contract=np.array([f.contract_npv(floor, review) for f in facilities], dtype=float),
            liquidation=liquidation(facilities, config["liquidation"], floor),
            floor=floor,
            review_months=review,
        )

    @property
    def outstanding(self) -> float:
        return float(sum(f.outstanding for f in self.facilities))

    @property
    def monthly_before(self) -> float:
        return float(sum(f.monthly_installment for f in self.facilities))

    def by_lender(self, values: np.ndarray) -> np.ndarray:
        """Sum the last axis (facilities) by lender."""
        out = np.zeros((*values.shape[:-1], len(self.lenders)))
        for j in range(len(self.facilities)):
            out[..., self.lender_index[j]] += values[..., j]
        return out


def grid(config: dict[str, Any]) -> np.ndarray:
    """Grid points (extension, grace, rate reduction, haircut); the first is no concession."""
    search = config["plan"]["search"]
    points = itertools.product(
        search["extension_months"],
        search["grace_months"],
        search["rate_reduction"],
        search["haircut"],
    )
    rows = sorted(points, key=lambda p: (p != (0, 0, 0.0, 0.0), p))
    return np.array(rows, dtype=float)


@dataclass(frozen=True)
class Evaluation:
    """Every grid point's terms and values for one refinancing choice (arrays: points x
    facilities, or points)."""

    new_facility: NewFacility | None
    points: np.ndarray
    kept: np.ndarray  # facilities not paid off
    principal: np.ndarray
    rate: np.ndarray
    tenor: np.ndarray
    grace: np.ndarray
    installment: np.ndarray
    npv: np.ndarray
    monthly: np.ndarray
    dscr: np.ndarray
    creditor_npv: np.ndarray  # points x lenders
    creditor_liquidation: np.ndarray  # lenders
    concession: np.ndarray
    consent_share: np.ndarray
    all_agree: np.ndarray
    in_priority: np.ndarray  # points: no creditor writes off more than one it ranks with


def written_off(claim: np.ndarray, principal: np.ndarray, kept: np.ndarray) -> np.ndarray:
    """The share of each claim written off (points x facilities); paid off means at par."""
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(claim > 0, (claim - principal) / np.where(claim > 0, claim, 1.0), 0.0)
    return np.where(kept, share, 0.0)


def in_priority(cover: np.ndarray, written: np.ndarray) -> np.ndarray:
    """Per point: no facility at least as well covered by collateral as another writes off a
    larger share of its claim than that other one (absolute priority, and equal treatment of
    equal ranks)."""
    ranks_with = cover[:, None] >= cover[None, :] - 1e-9  # a ranks at least level with b
    np.fill_diagonal(ranks_with, False)
    more = written[:, :, None] > written[:, None, :] + 1e-9  # point, a, b
    kept: np.ndarray = ~np.any(more & ranks_with[None, :, :], axis=(1, 2))
    return kept


def evaluate(
    debt: Debt, ebitda: float, config: dict[str, Any], new_facility: NewFacility | None
) -> Evaluation:
    """Apply every grid point to the facilities `new_facility` does not pay off.

    Row 0 is the plan without concessions: the kept facilities run on as they are (capped at
    the legal ceiling where their rate is above it, re-amortised over their remaining months
    where arrears are capitalised)."""
    plan = config["plan"]
    points = grid(config)
    ext, grace, cut, haircut = (points[:, i : i + 1] for i in range(4))
    paid = set(new_facility.paid_off) if new_facility else set()
    fs = debt.facilities
    kept = np.array([f.facility_id not in paid for f in fs])
    claim = np.array([f.outstanding for f in fs])
    lawful = np.array([f.lawful_rate for f in fs])
    months = np.array([f.remaining_months for f in fs], dtype=float)
    revolving = np.array([f.revolving for f in fs])
    unsecured = np.maximum(claim - debt.liquidation.recovered, 0.0)
    recorded = np.array([f.monthly_installment for f in fs])
    capped = np.array([f.above_ceiling or f.days_past_due > 0 for f in fs])  # re-amortised
    discount = np.array([f.discount_rate(debt.floor) for f in fs])

    principal = claim - haircut * unsecured
    floor_rate = np.minimum(plan["min_rate"], lawful)
    rate = np.where(cut > 0, np.maximum(lawful - cut, floor_rate), lawful)
    # A grace period lengthens the term rather than squeezing the amortisation after it.
    extended = np.maximum(months, np.minimum(months + ext + grace, plan["max_tenor_months"]))
    review = float(debt.review_months)
    tenor = np.where(revolving, review, extended)
    grace_m = np.where(revolving | (grace >= tenor), 0.0, grace)
    amortising = tenor - grace_m
    level = annuity_payment(principal, rate, amortising)
    installment = np.where(revolving, principal * rate / 12.0, level)
    # Row 0 keeps the recorded installments of facilities it does not change.
    installment[0] = np.where(capped, installment[0], recorded)

    d = discount / 12.0
    v = 1.0 / (1.0 + d)

    def factor(n: np.ndarray) -> np.ndarray:
        return np.where(d == 0, n, (1.0 - v**n) / np.where(d == 0, 1.0, d))

    interest_only = principal * rate / 12.0
    npv = np.where(
        revolving,
        interest_only * factor(np.full_like(tenor, review)) + principal * v**review,
        interest_only * factor(grace_m) + level * factor(amortising) * v**grace_m,
    )
    npv[0] = np.where(capped, npv[0], debt.contract)
    npv = np.where(kept, npv, claim)  # paid off at par
    installment = np.where(kept, installment, 0.0)

    monthly = installment.sum(axis=1)
    if new_facility is not None:
        monthly = monthly + new_facility.highest_monthly_cost
    annual = 12.0 * monthly
    with np.errstate(divide="ignore", invalid="ignore"):
        dscr = np.where(annual > 0, ebitda / annual, np.nan)
    creditor_npv = debt.by_lender(npv)
    creditor_liquidation = debt.by_lender(debt.liquidation.present_value[None, :])[0]
    claims = debt.by_lender(claim[None, :])[0]
    agree = creditor_npv >= creditor_liquidation - TOLERANCE
    consent = (agree * claims).sum(axis=1) / max(claims.sum(), 1e-9)
    concession = (debt.contract[None, :] - npv).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(
            claim > 0, debt.liquidation.recovered / np.where(claim > 0, claim, 1.0), 1.0
        )
    priority = in_priority(np.minimum(cover, 1.0), written_off(claim, principal, kept))
    return Evaluation(
        new_facility,
        points,
        kept,
        principal,
        rate,
        tenor,
        grace_m,
        installment,
        npv,
        monthly,
        dscr,
        creditor_npv,
        creditor_liquidation,
        concession,
        consent,
        agree.all(axis=1),
        priority,
    )


def treatment(f: Facility, kept: bool, point: np.ndarray, row: int) -> str:
    if not kept:
        return "refinanced"
    if row == 0 or not point.any():
        if f.above_ceiling:
            return "capped"
        return "capitalised" if f.days_past_due > 0 else "unchanged"
    return "restructured"


DAYS_A_MONTH = 30.4


def arrears_amount(f: Facility) -> float:
    """The installments past due, estimated from the days past due and the installment on
    record (never more than the balance)."""
    months = f.days_past_due / DAYS_A_MONTH
    return float(min(f.outstanding, months * f.monthly_installment)) if months > 0 else 0.0


def arrears_treatment(f: Facility, kept: bool) -> str | None:
    """Cured by the payoff, or capitalised into the principal the plan repays."""
    if f.days_past_due <= 0:
        return None
    return "capitalised" if kept else "cured"


def plan_terms(debt: Debt, ev: Evaluation, row: int) -> list[dict[str, Any]]:
    """Each facility's terms before and after the plan, with its values to its lender."""
    out = []
    point = ev.points[row]
    for j, f in enumerate(debt.facilities):
        kept = bool(ev.kept[j])
        after = {
            "treatment": treatment(f, kept, point, row),
            "rate_after": float(ev.rate[row, j]) if kept else None,
            "tenor_after": int(ev.tenor[row, j]) if kept else None,
            "grace_months": int(ev.grace[row, j]) if kept else None,
            "haircut_amount": float(f.outstanding - ev.principal[row, j]) if kept else 0.0,
            "installment_after": float(ev.installment[row, j]),
            "arrears_treatment": arrears_treatment(f, kept),
            "plan_npv": float(ev.npv[row, j]),
        }
        out.append(facility_term(debt, j, after))
    return out


def facility_term(debt: Debt, j: int, after: dict[str, Any]) -> dict[str, Any]:
    """One facility as it stands, its values to its lender, and its terms `after` a plan."""
    f = debt.facilities[j]
    return {
        "facility_id": f.facility_id,
        "lender": f.lender,
        "facility_type": f.facility_type,
        "outstanding": f.outstanding,
        "balance_on_record": f.balance_on_record,
        "assumed_accrued_months": f.assumed_accrued_months,
        "rate_before": f.annual_rate,
        "rate_on_record": f.rate_on_record,
        "lawful_rate": f.lawful_rate,
        "tenor_before": f.remaining_months,
        "installment_before": f.monthly_installment,
        "days_past_due": f.days_past_due,
        "arrears": arrears_amount(f),
        "collateral_value": f.collateral_value,
        "contract_npv": float(debt.contract[j]),
        "liquidation_value": float(debt.liquidation.present_value[j]),
        **after,
    }


def creditor_rows(debt: Debt, ev: Evaluation, row: int) -> list[dict[str, Any]]:
    """Each lender's claim, its NPV under the plan and in liquidation, and whether it agrees."""
    return lender_rows(debt, ev.creditor_npv[row])


def lender_rows(debt: Debt, values: np.ndarray) -> list[dict[str, Any]]:
    """Each lender's claim, its value under a plan (`values`, by lender) and in liquidation, and
    whether it agrees."""
    claims = debt.by_lender(np.array([[f.outstanding for f in debt.facilities]]))[0]
    contract = debt.by_lender(debt.contract[None, :])[0]
    recoveries = debt.by_lender(debt.liquidation.present_value[None, :])[0]
    out = []
    for c, lender in enumerate(debt.lenders):
        plan_npv = float(values[c])
        recovery = float(recoveries[c])
        agrees = plan_npv >= recovery - TOLERANCE
        out.append(
            {
                "lender": lender,
                "claim": float(claims[c]),
                "contract_npv": float(contract[c]),
                "plan_npv": plan_npv,
                "liquidation_value": recovery,
                "concession": float(contract[c]) - plan_npv,
                "agrees": agrees,
                "shortfall": 0.0 if agrees else recovery - plan_npv,
                "formal": all(f.formal for f in debt.facilities if f.lender == lender),
            }
        )
    return out


@dataclass(frozen=True)
class Candidate:
    """One plan: a grid row of one evaluation."""

    ev: Evaluation
    row: int

    @property
    def dscr(self) -> float:
        return float(self.ev.dscr[self.row])

    @property
    def concession(self) -> float:
        return float(self.ev.concession[self.row])

    @property
    def creditor_npv(self) -> float:
        return float(self.ev.creditor_npv[self.row].sum())

    @property
    def consent_share(self) -> float:
        return float(self.ev.consent_share[self.row])

    @property
    def all_agree(self) -> bool:
        return bool(self.ev.all_agree[self.row])

    @property
    def is_refinance(self) -> bool:
        return self.ev.new_facility is not None and self.row == 0

    @property
    def key(self) -> tuple[str, int]:
        """Names the plan: its programme and grid row."""
        nf = self.ev.new_facility
        return (nf.source["id"] if nf else "", self.row)

    def model_terms(self) -> dict[str, float]:
        """The plan as the feasibility model's plan columns (one blended facility)."""
        ev, r = self.ev, self.row
        kept = ev.kept
        principal = ev.principal[r][kept]
        rate = ev.rate[r][kept]
        nf = ev.new_facility
        amount = nf.amount if nf else 0.0
        total = float(principal.sum()) + amount
        weighted = float((principal * rate).sum()) + (amount * nf.all_in_rate if nf else 0.0)
        outstanding = float(ev.principal[0].sum()) if kept.all() else total
        haircut = float((ev.principal[0][kept] - principal).sum())
        tenors = [*ev.tenor[r][kept].tolist(), *([nf.tenor_months] if nf else [])]
        return {
            "plan_outstanding": total,
            "plan_rate": weighted / total if total > 0 else 0.0,
            "plan_tenor_months": float(max(tenors, default=0)),
            "plan_grace_months": float(ev.grace[r][kept].max(initial=0)),
            "plan_haircut": haircut / outstanding if outstanding > 0 else 0.0,
            "plan_installment": float(ev.monthly[r]),
        }

    def serviceable_value(self) -> float:
        """The creditors' NPV scaled down by the share of the installments the business can pay."""
        cover = 1.0 if math.isnan(self.dscr) else min(1.0, max(self.dscr, 0.0))
        return cover * self.creditor_npv
