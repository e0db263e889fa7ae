"""Whom a source of new money lends to, as the rules file declares it, against where the
borrower stands: its Bank of Thailand loan class by days past due, and whether a lender is
suing it.

A source lends directly to the loan classes it lists, and to a borrower in litigation only if it
says so. A source may also declare steps after which it lends to a borrower it would otherwise
refuse: a restructuring agreement every creditor signs (the suit is withdrawn as part of it) or
a court-approved rehabilitation plan (the automatic stay holds the suit). A plan that draws on
such a source names the step, and is offered only where the step can be taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from models.plans.creditors import Facility
from models.plans.programmes import Check

# Bank of Thailand asset classes by days past due (upper bound of each class, inclusive).
LOAN_CLASSES = (
    ("pass", 30),
    ("special_mention", 90),
    ("substandard", 180),
    ("doubtful", 360),
    ("doubtful_of_loss", None),
)
NON_PERFORMING = ("substandard", "doubtful", "doubtful_of_loss")
LITIGATION_STAGES = ("lawsuit", "judgment", "enforcement")
STEPS = ("restructuring_agreement", "court_rehabilitation")


def loan_class(days_past_due: float) -> str:
    for name, limit in LOAN_CLASSES:
        if limit is None or days_past_due <= limit:
            return name
    raise AssertionError("the last class has no limit")


@dataclass(frozen=True)
class Standing:
    """Where the borrower stands with its lenders: the worst facility decides."""

    days_past_due: float
    loan_class: str
    litigation: str | None  # the furthest legal stage of a suit, None when no lender is suing

    @classmethod
    def of(cls, facilities: list[Facility] | tuple[Facility, ...]) -> Standing:
        dpd = max((f.days_past_due for f in facilities), default=0.0)
        stages = [f.legal_stage for f in facilities if f.legal_stage in LITIGATION_STAGES]
        furthest = max(stages, key=LITIGATION_STAGES.index) if stages else None
        return cls(dpd, loan_class(dpd), furthest)

    @property
    def non_performing(self) -> bool:
        return self.loan_class in NON_PERFORMING

    def describe(self) -> dict[str, Any]:
        return {
            "days_past_due": self.days_past_due,
            "loan_class": self.loan_class,
            "non_performing": self.non_performing,
            "litigation": self.litigation,
        }


@dataclass(frozen=True)
class Lending:
    """A rule's answer for this borrower: lends now, lends after one of `after_steps`, or not."""

    checks: list[Check]
    direct: bool
    after_steps: tuple[str, ...]

    @property
    def lends(self) -> bool:
        return self.direct or bool(self.after_steps)


def lending(rule: dict[str, Any], standing: Standing) -> Lending:
    """Whether `rule` (a refinancing source or a guarantee) lends to the borrower.

    A rule without a `lends_to` block lends to performing borrowers only: a source is never
    assumed to fund a borrower a bank would class as non-performing or that is being sued."""
    lends_to = rule.get("lends_to", {})
    classes = list(lends_to.get("loan_classes", ["pass", "special_mention"]))
    in_litigation = bool(lends_to.get("litigation", False))
    rid = rule["id"]
    class_ok = standing.loan_class in classes
    litigation_ok = standing.litigation is None or in_litigation
    checks = [
        Check(rid, class_ok, standing.loan_class, "/".join(classes), "loan_class"),
        Check(
            rid,
            litigation_ok,
            standing.litigation or "none",
            "any" if in_litigation else "none",
            "litigation",
        ),
    ]
    direct = class_ok and litigation_ok
    steps = () if direct else tuple(s for s in lends_to.get("after_steps", []) if s in STEPS)
    return Lending(checks, direct, steps)
