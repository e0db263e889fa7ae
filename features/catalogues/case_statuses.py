"""A case's statuses, declared once: their order, which may follow which, how long a case may
stay in each, whether the case is still open, and their labels in both languages. The schema,
the workflow, the queue's deadlines, the decision rules, the pages and the generator derive
from this table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    name: str
    then: tuple[str, ...]  # the statuses that may follow; closing is possible from any open one
    sla_days: int | None  # days a case may stay before it is overdue; None once it is over
    open: bool  # still being worked (resolved and closed cases are not)
    before_decision: bool  # no decision recorded yet can be acted on in this status
    label_en: str
    label_th: str


STATUSES: tuple[Status, ...] = (
    Status("received", ("screening", "closed"), 3, True, True, "received", "รับเรื่อง"),
    Status("screening", ("analysis", "referred", "closed"), 7, True, True, "screening", "คัดกรอง"),
    Status(
        "analysis", ("recommended", "referred", "closed"), 14, True, True, "analysis", "วิเคราะห์"
    ),
    Status(
        "recommended",
        ("referred", "resolved", "analysis", "closed"),
        30,
        True,
        False,
        "recommended",
        "เสนอแนวทางแล้ว",
    ),
    Status("referred", ("resolved", "closed"), 60, True, False, "referred", "ส่งต่อแล้ว"),
    Status("resolved", ("closed",), None, False, False, "resolved", "แก้ไขแล้ว"),
    Status("closed", (), None, False, False, "closed", "ปิดเรื่อง"),
)
CLOSED = "closed"  # the last status: nothing is recorded on a case after it

CASE_STATUSES = tuple(s.name for s in STATUSES)
WORKFLOW: dict[str, set[str]] = {s.name: set(s.then) for s in STATUSES}
CLOSED_STATUSES = tuple(s.name for s in STATUSES if not s.open)
STATUS_SLA_DAYS: dict[str, int] = {s.name: s.sla_days for s in STATUSES if s.sla_days}
OPEN_BEFORE_DECISION = tuple(s.name for s in STATUSES if s.before_decision)
STATUS_LABELS = {s.name: {"en": s.label_en, "th": s.label_th} for s in STATUSES}
