"""A creditors' vote on a plan, counted as the law counts it.

- Out of court (a restructuring agreement): it binds only those who sign, so every creditor
  must vote for it.
- Bankruptcy Act Chapter 3/2 (SMEs): the petition comes with a plan approved by creditors holding
  at least the consent share (two-thirds) of the total debt.
- Chapter 3/1: a special resolution of the creditors' meeting: a majority in number of the
  creditors present and voting, holding at least the consent share of their debt.

Each vote names its creditor, its claim and how it voted (for, against, abstained or absent);
the tally shows every share it compared, so a vote that fails says by how much.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

VOTES = ("for", "against", "abstained", "absent")
TOLERANCE = 1e-9  # a share equal to the consent share carries, whatever the float rounding
PROCEDURES = ("restructuring_agreement", "court_chapter_3_2", "court_chapter_3_1")


def consents(share: Any, required: float) -> Any:
    """Whether creditors holding `share` of the debt carry a plan needing `required` (at least
    that share); `share` may be an array. The one test the advice and the tally both use."""
    return share >= required - TOLERANCE


@dataclass(frozen=True)
class Vote:
    lender: str
    claim: float
    vote: str
    proxy: str | None = None

    def __post_init__(self) -> None:
        if self.vote not in VOTES:
            raise ValueError(f"vote of {self.lender}: {self.vote!r} is not one of {VOTES}")
        if not self.claim >= 0:
            raise ValueError(f"claim of {self.lender}: {self.claim} must be 0 or more")


def tally(votes: Sequence[Vote], procedure: str, consent_share: float) -> dict[str, Any]:
    """Whether the plan carries under `procedure`, with the shares and counts compared."""
    if procedure not in PROCEDURES:
        raise ValueError(f"procedure {procedure!r} is not one of {PROCEDURES}")
    lenders = [v.lender for v in votes]
    if len(set(lenders)) != len(lenders):
        raise ValueError("each creditor votes once")
    total = sum(v.claim for v in votes)
    voting = [v for v in votes if v.vote in ("for", "against")]
    in_favour = [v for v in votes if v.vote == "for"]
    for_claims = sum(v.claim for v in in_favour)
    voting_claims = sum(v.claim for v in voting)
    out: dict[str, Any] = {
        "procedure": procedure,
        "creditors": len(votes),
        "total_claims": total,
        "claims_for": for_claims,
        "claims_against": sum(v.claim for v in voting if v.vote == "against"),
        "share_of_all_debt": for_claims / total if total > 0 else 0.0,
        "share_of_debt_voting": for_claims / voting_claims if voting_claims > 0 else 0.0,
        "creditors_voting": len(voting),
        "creditors_for": len(in_favour),
        "required_share": 1.0 if procedure == "restructuring_agreement" else consent_share,
    }
    if procedure == "restructuring_agreement":
        carried = bool(votes) and len(in_favour) == len(votes)
    elif procedure == "court_chapter_3_2":
        carried = bool(consents(out["share_of_all_debt"], consent_share))
    else:
        majority = 2 * len(in_favour) > len(voting)
        carried = majority and bool(consents(out["share_of_debt_voting"], consent_share))
        out["majority_in_number"] = majority
    out["carried"] = carried
    out["short_by"] = _short_by(votes, procedure, consent_share, carried)
    return out


def _short_by(
    votes: Sequence[Vote], procedure: str, consent_share: float, carried: bool
) -> list[str]:
    """The fewest creditors voting otherwise (largest claims first) whose votes for would have
    carried the plan: empty when it carried, or when no change of votes could carry it."""
    if carried:
        return []
    others = sorted((v for v in votes if v.vote != "for"), key=lambda v: (-v.claim, v.lender))
    changed: list[str] = []
    current = list(votes)
    for v in others:
        current = [Vote(c.lender, c.claim, "for", c.proxy) if c is v else c for c in current]
        changed.append(v.lender)
        if tally(current, procedure, consent_share)["carried"]:
            return changed
    return []
