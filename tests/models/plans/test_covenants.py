"""Plan covenants worked by hand: the debt-service cover of each statement filed after the plan
starts, and statements not delivered by the filing deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from models.plans.covenants import Statement, breaches

START = dt.date(2025, 1, 1)
DUES = [(dt.date(2025, m, 15), 10_000.0) for m in range(1, 13)]  # 120,000 THB in 2025


def check(statements, today, min_dscr=1.10, due_days=150):
    return breaches(START, DUES, statements, today, min_dscr=min_dscr,
                    statements_due_days=due_days)  # fmt: skip


@pytest.mark.parametrize(
    ("ebitda", "broken"), [(100_000.0, True), (132_000.0, False), (131_999.0, True), (None, False)]
)
def test_each_statement_after_the_start_is_held_to_the_dscr_covenant(ebitda, broken):
    filed = [
        Statement(2024, dt.date(2024, 12, 31), 1.0),
        Statement(2025, dt.date(2025, 12, 31), ebitda),
    ]
    found = [b for b in check(filed, dt.date(2026, 3, 1)) if b.alert == "covenant_dscr"]
    assert bool(found) == broken
    if broken:
        assert found[0].fiscal_year == 2025 and found[0].dscr == pytest.approx(ebitda / 120_000)
        assert found[0].detail == f"DSCR {ebitda / 120_000:.2f} < 1.10 on the 2025 statement"


def test_statements_not_delivered_by_the_deadline_are_overdue():
    filed = [Statement(2024, dt.date(2024, 12, 31), 500_000.0)]  # before the plan: not tested
    assert check(filed, dt.date(2026, 5, 30)) == []  # the 2025 deadline is 2026-05-30
    late = check(filed, dt.date(2026, 6, 30))
    assert [(b.alert, b.fiscal_year) for b in late] == [("statements_overdue", 2025)]
    assert late[0].detail == "2025 statements due by 2026-05-30 not received"
    delivered = [*filed, Statement(2025, dt.date(2025, 12, 31), 500_000.0)]
    assert check(delivered, dt.date(2026, 6, 30)) == []


def test_a_fiscal_year_ending_in_june_is_followed_on_its_own_calendar():
    filed = [Statement(2025, dt.date(2025, 6, 30), 500_000.0)]
    overdue = check(filed, dt.date(2026, 12, 1))
    assert [b.fiscal_year for b in overdue] == [2026]  # June 2026 statements due 2026-11-27
