"""The one table of case statuses is coherent, and what derives from it agrees with it."""

from __future__ import annotations

from features.catalogues.case_statuses import (
    CASE_STATUSES,
    CLOSED,
    CLOSED_STATUSES,
    OPEN_BEFORE_DECISION,
    STATUS_SLA_DAYS,
    STATUSES,
    WORKFLOW,
)
from features.schema import TABLES


def _reachable(start: str) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for after in WORKFLOW[todo.pop()] - seen:
            seen.add(after)
            todo.append(after)
    return seen


def test_every_open_status_can_close_and_a_closed_case_goes_nowhere():
    for status in STATUSES:
        assert set(status.then) <= set(CASE_STATUSES), status.name
        if status.open:
            assert CLOSED in status.then and status.sla_days, status.name
        else:
            assert status.sla_days is None and not status.before_decision, status.name
    assert WORKFLOW[CLOSED] == set() and CASE_STATUSES[-1] == CLOSED
    assert _reachable(CASE_STATUSES[0]) == set(CASE_STATUSES)


def test_what_derives_from_the_table_follows_its_order():
    n = len(OPEN_BEFORE_DECISION)
    assert CASE_STATUSES[:n] == OPEN_BEFORE_DECISION  # decisions come after the first stages
    assert set(STATUS_SLA_DAYS) | set(CLOSED_STATUSES) == set(CASE_STATUSES)
    assert all(s.label_en and s.label_th for s in STATUSES)
    status = next(c for c in TABLES["cases"].columns if c.name == "status")
    assert tuple(status.allowed) == CASE_STATUSES
