"""Creditors' votes counted by hand (M = million THB), with the consent share of the rules file.

- fails_by_one (Chapter 3/2): Bank A 4M and Bank B 2M for, Lender C 3.1M against, D 0.1M absent:
  6.0 / 9.2 = 65.2% of all the debt < 66.7%; had Lender C voted for, 9.1 / 9.2 = 98.9%.
- exactly_two_thirds (Chapter 3/2): 6M for of 9M = 66.67%, at least two-thirds: carried.
- count_not_debt (Chapter 3/1): A 5M and B 1M for, C 2M and D 1M against: 6 / 9 = 66.7% of
  the debt voting, but 2 of 4 creditors is no majority in number: not carried.
"""

from __future__ import annotations

import datetime as dt

import pytest

from models.plans.creditor_vote import Vote, consents, tally
from models.plans.programmes import Rules

SHARE = Rules.on_date(dt.date(2026, 6, 30)).court_rehabilitation[0]["consent_share"]


def test_a_two_thirds_vote_that_fails_by_one_creditor():
    votes = [Vote("Bank A", 4e6, "for"), Vote("Bank B", 2e6, "for"),
             Vote("Lender C", 3.1e6, "against"), Vote("Supplier D", 1e5, "absent")]  # fmt: skip
    result = tally(votes, "court_chapter_3_2", SHARE)
    assert result["share_of_all_debt"] == pytest.approx(6.0 / 9.2)
    assert result["total_claims"] == 9.2e6 and result["claims_against"] == 3.1e6
    assert not result["carried"]
    assert result["short_by"] == ["Lender C"]
    changed = [Vote(v.lender, v.claim, "for") if v.lender == "Lender C" else v for v in votes]
    assert tally(changed, "court_chapter_3_2", SHARE)["carried"]


def test_exactly_two_thirds_carries():
    votes = [Vote("A", 6e6, "for"), Vote("B", 3e6, "against")]
    assert tally(votes, "court_chapter_3_2", SHARE)["carried"]
    assert consents(6 / 9, SHARE) and not consents(0.6666, SHARE)


def test_chapter_3_1_needs_a_majority_in_number_as_well():
    votes = [Vote("A", 5e6, "for"), Vote("B", 1e6, "for"), Vote("C", 2e6, "against"),
             Vote("D", 1e6, "against")]  # fmt: skip
    result = tally(votes, "court_chapter_3_1", SHARE)
    assert result["share_of_debt_voting"] == pytest.approx(6 / 9)
    assert result["majority_in_number"] is False and not result["carried"]
    assert result["short_by"] == ["C"]


def test_out_of_court_every_creditor_signs():
    votes = [Vote("A", 5e6, "for"), Vote("B", 1e5, "against")]
    result = tally(votes, "restructuring_agreement", SHARE)
    assert not result["carried"] and result["required_share"] == 1.0
    assert result["short_by"] == ["B"]
    assert tally([Vote("A", 5e6, "for")], "restructuring_agreement", SHARE)["carried"]


def test_bad_votes_are_refused_with_the_creditor_named():
    with pytest.raises(ValueError, match="vote of Bank A"):
        Vote("Bank A", 1.0, "maybe")
    with pytest.raises(ValueError, match="claim of Bank A"):
        Vote("Bank A", -1.0, "for")
    with pytest.raises(ValueError, match="each creditor votes once"):
        tally([Vote("A", 1.0, "for"), Vote("A", 2.0, "against")], "court_chapter_3_2", SHARE)
