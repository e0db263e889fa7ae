"""The analyst queue: filters, search, order and pages over the cases a user's scope covers."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Column, ColumnElement, Connection, Select, Table, func, or_, select

from features.catalogues.case_statuses import CLOSED_STATUSES, STATUS_SLA_DAYS
from models.advice.triage import TRIAGE_CLASSES
from service.access.scope import scoped
from service.cases.cases import case_out, case_query
from service.cases.queue_cursor import after_condition, decode_cursor, encode_cursor
from service.kit import schemas
from service.kit.roles import User
from service.store.queue_counts import CountCache, Counts
from service.store.tables import businesses, case_counts, cases

# What the queue can be ordered by; "-name" orders descending. Ties fall back to the case id.
SORTS: dict[str, Column[Any]] = {
    "priority": cases.c.priority,
    "received_at": cases.c.received_at,
    "distress_probability": cases.c.distress_probability,
    "risk_band": cases.c.risk_band,
    "triage": cases.c.triage,
    "best_feasibility": cases.c.best_feasibility,
    "province": cases.c.province,
    "status": cases.c.status,
    "channel": cases.c.channel,
    "case_id": cases.c.case_id,
    "business_name": businesses.c.name,
    "assigned_to": cases.c.assigned_to,
    "status_since": cases.c.status_since,
}


def overdue_condition() -> ColumnElement[bool]:
    """The case has been in its status longer than the status's SLA (see STATUS_SLA_DAYS)."""
    now = dt.datetime.now(dt.UTC)
    return or_(
        *(
            (cases.c.status == status)
            & (func.coalesce(cases.c.status_since, cases.c.received_at) < _days_ago(now, days))
            for status, days in STATUS_SLA_DAYS.items()
        )
    )


def _days_ago(now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)


SORT_PATTERN = "^-?(" + "|".join(SORTS) + ")$"


@dataclass(frozen=True)
class QueueQuery:
    """Filters, search, order and page of the queue; None leaves a filter off."""

    status: str | None = None
    province: str | None = None
    channel: str | None = None
    problem_type: str | None = None
    risk_band: str | None = None
    triage: str | None = None
    search: str | None = None
    open_only: bool = True
    sort: str = "-priority"
    limit: int = 50
    offset: int = 0
    after: str | None = None  # the `next_cursor` of the page before
    assigned: str | None = None  # "me", "none" or an analyst's name
    overdue: bool | None = None
    closed_only: bool = False  # resolved and closed cases only


def _contains(column: Column[Any], term: str, dialect: str) -> ColumnElement[bool]:
    """A case-insensitive substring match each database runs without a function per row:
    SQLite's LIKE ignores ASCII case by itself (its lower() knows no other), PostgreSQL has
    ILIKE. Wildcards in the term are taken literally."""
    if dialect == "postgresql":
        return column.icontains(term, autoescape=True)
    return column.contains(term, autoescape=True)


def _search(term: str, user: User, dialect: str) -> ColumnElement[bool]:
    """Case id, business id or name (a sole proprietor's name only for roles that see it);
    a full tax id for roles that see tax ids. The businesses are matched once, not once per
    case."""
    term = term.strip()
    named: ColumnElement[bool] = _contains(businesses.c.name, term, dialect)
    if not user.sees_pii:
        named = named & (businesses.c.legal_form != "sole_proprietorship")
    if user.sees_pii and term.isdigit() and len(term) == 13:
        named = or_(named, businesses.c.tax_id == term)
    return or_(
        _contains(cases.c.case_id, term, dialect),
        _contains(cases.c.business_id, term, dialect),
        cases.c.business_id.in_(select(businesses.c.business_id).where(named)),
    )


def _counted_conditions(q: QueueQuery, table: Table) -> list[ColumnElement[bool]]:
    """The queue's filters on the columns `case_counts` keeps, over `table`: the cases or
    their counts (the caller's scope is added by `scoped`)."""
    filters = {"status": q.status, "risk_band": q.risk_band, "triage": q.triage}
    found = [table.c[name] == value for name, value in filters.items() if value is not None]
    if q.province:
        found.append(func.lower(table.c.province) == q.province.strip().lower())
    if q.closed_only and q.status is None:
        found.append(table.c.status.in_(CLOSED_STATUSES))
    elif q.open_only and q.status is None:
        found.append(table.c.status.not_in(CLOSED_STATUSES))
    return found


def _other_conditions(user: User, q: QueueQuery, dialect: str) -> list[ColumnElement[bool]]:
    """The rest of the queue's filters, which only the cases themselves can answer."""
    found: list[ColumnElement[bool]] = []
    if q.channel is not None:
        found.append(cases.c.channel == q.channel)
    if q.problem_type:
        found.append(cases.c.problem_types.contains(q.problem_type, autoescape=True))
    if q.search and q.search.strip():
        found.append(_search(q.search, user, dialect))
    if q.assigned == "none":
        found.append(cases.c.assigned_to.is_(None))
    elif q.assigned:
        found.append(cases.c.assigned_to == (user.name if q.assigned == "me" else q.assigned))
    if q.overdue is not None:
        found.append(overdue_condition() if q.overdue else ~overdue_condition())
    return found


def _counts(connection: Connection, query: Select[Any]) -> Counts:
    """In all, by triage class and by risk band, from rows of (triage, band, count)."""
    total, by_triage, by_band = 0, Counter[str](), Counter[str]()
    for triage_class, band, count in connection.execute(query):
        total += count
        if triage_class:  # None on the cases, '' in their counts
            by_triage[triage_class] += count
        if band:
            by_band[band] += count
    return total, dict(by_triage), dict(by_band)


def _scanned(user: User, where: list[ColumnElement[bool]]) -> Select[Any]:
    """Counts in one pass over an index that holds every column the filters and the search
    read: some 15 ms on 100,000 cases."""
    query = select(cases.c.triage, cases.c.risk_band, func.count()).where(*where)
    return scoped(query, user).group_by(cases.c.triage, cases.c.risk_band)


def _summed(user: User, q: QueueQuery) -> Select[Any]:
    """Counts as sums of `case_counts`, for filters it keeps: a few hundred rows at most."""
    kept = case_counts.c
    query = select(kept.triage, kept.risk_band, func.sum(kept.cases))
    query = query.where(*_counted_conditions(q, case_counts))
    return scoped(query, user, case_counts).group_by(kept.triage, kept.risk_band)


def list_cases(
    connection: Connection, user: User, q: QueueQuery, counts: CountCache | None = None
) -> schemas.CaseList:
    """A page of the queue (most urgent first by default) and the total it was cut from.

    Pages follow each other by `next_cursor` (keyset: as fast on the last page as the first)
    or by offset. The counts are sums of `case_counts` where its columns answer the filters;
    otherwise they are counted, or taken from `counts` when it holds fresh ones."""
    other = _other_conditions(user, q, connection.dialect.name)
    where = _counted_conditions(q, cases) + other

    def count() -> Counts:
        if not other:
            return _counts(connection, _summed(user, q))
        return _counts(connection, _scanned(user, list(where)))

    filters = replace(q, sort="", limit=0, offset=0, after=None)  # what selects the cases
    if counts is not None and other:  # sums are exact and cheap: never kept
        total, by_triage, by_band = counts.get((user, filters), count)
    else:
        total, by_triage, by_band = count()
    name, descending = q.sort.removeprefix("-"), q.sort.startswith("-")
    ordered = SORTS[name]
    if q.after is not None:
        value, case_id = decode_cursor(q.after, q.sort, ordered)
        where.append(after_condition(ordered, descending, value, case_id))
    order = ordered.desc() if descending else ordered.asc()
    if ordered.nullable:
        order = order.nulls_last()
    query = scoped(case_query(), user).where(*where).order_by(order, cases.c.case_id)
    rows = list(connection.execute(query.limit(q.limit + 1).offset(q.offset)))
    last = rows[q.limit - 1] if len(rows) > q.limit else None
    cursor = None
    if last is not None:
        cursor = encode_cursor(q.sort, last._mapping[ordered], last.case_id)
    return schemas.CaseList(
        total=total, limit=q.limit, offset=q.offset,
        items=[case_out(r, user) for r in rows[: q.limit]], next_cursor=cursor,
        triage_counts=by_triage, band_counts=by_band,
    )  # fmt: skip


def queue_filters(connection: Connection, user: User) -> schemas.QueueFilters:
    """The values the queue's filters can take in the user's scope, from the data."""
    base = scoped(select(cases), user).subquery()

    def values(column: str) -> list[str]:
        query = select(base.c[column]).where(base.c[column].is_not(None)).distinct()
        return sorted(str(v) for v in connection.execute(query).scalars())

    problems = {p for joined in values("problem_types") for p in joined.split(";") if p}
    present = set(values("triage"))
    return schemas.QueueFilters(
        triage=[c for c in TRIAGE_CLASSES if c in present], provinces=values("province"),
        statuses=values("status"), channels=values("channel"), risk_bands=values("risk_band"),
        problem_types=sorted(problems),
    )  # fmt: skip
