"""Refinancing sources applied to a business's debt: which facilities a source would pay off,
whether the business is eligible, and what the new facility costs the borrower.

A source pays off the informal facilities and the formal ones whose rate exceeds its own by the
configured gap, but only where the borrower's all-in cost (the new rate plus any guarantee fee)
is below the paid-off facility's rate: refinancing never raises what a debt costs. The guarantee
fee is the borrower's cost, paid to the guarantor: it weighs on the DSCR, never on a lender's NPV.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from models.plans.arithmetic import annuity_payment
from models.plans.creditors import Facility
from models.plans.lending import Lending, Standing, lending
from models.plans.programmes import Check, Rules, programme_of, size_check


@dataclass(frozen=True)
class NewFacility:
    """A formal facility from a refinancing source that pays off some of the debt."""

    source: dict[str, Any]
    guarantee: dict[str, Any] | None
    amount: float
    paid_off: tuple[str, ...]
    tenor_months: int
    after_steps: tuple[str, ...] = ()  # the borrower qualifies only after one of these

    @property
    def rate(self) -> float:
        return float(self.source["annual_rate"])

    @property
    def intro_rate(self) -> float | None:
        value = self.source.get("intro_rate")
        return None if value is None else float(value)

    @property
    def intro_months(self) -> int:
        return int(self.source.get("intro_months", 0)) if self.intro_rate is not None else 0

    @property
    def fee_rate(self) -> float:
        return float(self.guarantee["annual_fee"]) if self.guarantee else 0.0

    @property
    def fee_waived_months(self) -> int:
        return int(self.guarantee.get("fee_waived_months", 0)) if self.guarantee else 0

    @property
    def all_in_rate(self) -> float:
        """The most the borrower pays a year per baht: the higher rate plus the guarantee fee."""
        return max(self.rate, self.intro_rate or 0.0) + self.fee_rate

    def installments(self) -> tuple[float, float]:
        """Monthly installment during the introductory period and after it."""
        if self.intro_rate is None or self.intro_months <= 0:
            level = float(annuity_payment(self.amount, self.rate, self.tenor_months))
            return level, level
        first = float(annuity_payment(self.amount, self.intro_rate, self.tenor_months))
        i = self.intro_rate / 12.0
        k = self.intro_months
        growth = (1 + i) ** k
        balance = self.amount * growth - (first * (growth - 1) / i if i else first * k)
        later = float(annuity_payment(balance, self.rate, self.tenor_months - k))
        return first, later

    @property
    def monthly_fee(self) -> float:
        return self.amount * self.fee_rate / 12.0

    @property
    def highest_monthly_cost(self) -> float:
        """What the plan's DSCR is measured on: the highest installment plus the full fee."""
        return max(self.installments()) + self.monthly_fee

    def describe(self) -> dict[str, Any]:
        first, later = self.installments()
        return {
            "programme": programme_of(self.source),
            "guarantee": programme_of(self.guarantee) if self.guarantee else None,
            "amount": self.amount,
            "annual_rate": self.rate,
            "intro_rate": self.intro_rate,
            "intro_months": self.intro_months,
            "tenor_months": self.tenor_months,
            "installment_intro": first,
            "installment": later,
            "guarantee_fee_rate": self.fee_rate,
            "guarantee_fee_monthly": self.monthly_fee,
            "fee_waived_months": self.fee_waived_months,
            "paid_off": list(self.paid_off),
            "after_steps": list(self.after_steps),
        }


@dataclass(frozen=True)
class SourceCheck:
    """A source considered for the business: the checks it passed or failed, and the new
    facility when every check passed."""

    source: dict[str, Any]
    checks: list[Check]
    facility: NewFacility | None

    def describe(self) -> dict[str, Any]:
        return {
            "programme": programme_of(self.source),
            "eligible": self.facility is not None,
            "checks": [c.as_dict() for c in self.checks],
        }


def consider_sources(
    facilities: Sequence[Facility],
    rules: Rules,
    size_class: str | None,
    troubled: bool,
    min_rate_gap: float,
    standing: Standing,
) -> list[SourceCheck]:
    """Every refinancing source in force, with its eligibility checks for this business.

    A source (or its guarantee) that lends to this borrower only after a restructuring
    agreement or a court-approved plan is kept, with those steps on its new facility."""
    out = []
    for source in rules.refinance_sources:
        guarantee = rules.guarantees.get(source.get("guarantee", ""))
        fee = float(guarantee["annual_fee"]) if guarantee else 0.0
        cost = max(float(source["annual_rate"]), float(source.get("intro_rate") or 0.0)) + fee

        def pays_off(f: Facility, cost: float = cost) -> bool:
            gap = 0.0 if not f.formal else min_rate_gap
            return f.annual_rate > cost + gap

        paid = [f for f in facilities if pays_off(f)]
        amount = sum(f.outstanding for f in paid)
        sid = source["id"]
        uses = list(source.get("uses", []))
        checks = [
            Check(sid, bool(paid), len(paid), 1, "facilities_costlier_than_source"),
            size_check(source, size_class),
            Check(sid, "refinance" in uses, "refinance", "/".join(uses), "use_of_funds"),
        ]
        lenders = [lending(source, standing)]
        if guarantee:
            lenders.append(lending(guarantee, standing))
        cap = source.get("cap_per_borrower")
        if cap is not None:
            checks.append(Check(sid, amount <= cap, amount, float(cap), "amount_within_cap"))
        tenor = int(source["max_tenor_months"])
        if guarantee:
            gid = guarantee["id"]
            checks += [
                size_check(guarantee, size_class),
                Check(
                    gid,
                    amount <= guarantee["cap_per_borrower"],
                    amount,
                    float(guarantee["cap_per_borrower"]),
                    "amount_within_cap",
                ),
                Check(
                    gid,
                    amount >= guarantee["min_amount"],
                    amount,
                    float(guarantee["min_amount"]),
                    "amount_above_minimum",
                ),
            ]
            tenor = min(tenor, int(guarantee["max_tenor_months"]))
        cover = source.get("min_collateral_cover")
        if cover is not None:
            collateral = sum(f.collateral_value for f in paid)
            needed = float(cover) * amount
            checks.append(
                Check(
                    sid, paid != [] and collateral >= needed, collateral, needed, "collateral_cover"
                )
            )
        if source.get("needs_distress"):
            checks.append(Check(sid, troubled, "yes" if troubled else "no", "yes", "in_difficulty"))
        steps = _steps(lenders)
        for each in lenders:
            checks += each.checks
        if steps:
            checks.append(Check(sid, True, "/".join(steps), "/".join(steps), "after_step"))
        standing_ok = all(each.direct for each in lenders) or bool(steps)
        eligible = standing_ok and all(
            c.passed for c in checks if steps == () or c.name not in ("loan_class", "litigation")
        )
        facility = (
            NewFacility(source, guarantee, amount, tuple(f.facility_id for f in paid), tenor, steps)
            if eligible
            else None
        )
        out.append(SourceCheck(source, checks, facility))
    return out


def _steps(lenders: list[Lending]) -> tuple[str, ...]:
    """The steps after which every lender of the leg lends: () when all lend now, or when
    one of them never lends to this borrower."""
    if all(each.direct for each in lenders):
        return ()
    waiting = [each for each in lenders if not each.direct]
    if any(not each.after_steps for each in waiting):
        return ()
    common = set.intersection(*(set(each.after_steps) for each in waiting))
    return tuple(s for s in waiting[0].after_steps if s in common)
