"""Request rates held to one limit per user across every worker process and every instance of
the service that shares its database.

Each worker counts a user's requests in memory and, at most every `sync_seconds`, adds its count
to the user's row for the current minute in `request_counts` and reads back the sum over all
workers. The rate is a sliding minute: the previous minute's sum, weighted by the part of it
still inside the window, plus this minute's. With `sync_seconds` 0 every request is counted in
the database before it is answered, and the limit is exact; above 0, workers may together admit
a few more requests than the limit between two syncs, never a multiple of it.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import SQLAlchemyError

from service.kit.errors import TooManyRequestsError
from service.store.bookkeeping_tables import request_counts

log = logging.getLogger(__name__)


@dataclass
class _Count:
    minute: int = 0
    current: int = 0  # this minute, all workers, as of the last sync
    previous: int = 0  # the minute before, all workers
    pending: int = 0  # admitted here since the last sync
    synced_at: float = -math.inf  # monotonic


class SharedRateLimiter:
    """`per_minute` requests a minute per user over all workers; 0 is off."""

    def __init__(
        self,
        per_minute: int,
        engine: Engine,
        sync_seconds: float = 0.25,
        clock: Callable[[], float] = time.time,
    ):
        self.per_minute, self.engine, self.sync_seconds = per_minute, engine, sync_seconds
        self.clock = clock
        self._counts: dict[str, _Count] = {}
        self._lock = threading.Lock()

    def reserve(self, who: str) -> None:
        """Admit one request by what this worker knows (memory only), or 429."""
        if self.per_minute <= 0:
            return
        with self._lock:
            count = self._current(who)
            self._refuse_over(count, 1)
            count.pending += 1

    def due(self, who: str) -> bool:
        """Whether this worker should add its count to the database and read the sum now."""
        if self.per_minute <= 0:
            return False
        with self._lock:
            count = self._current(who)
            return time.monotonic() - count.synced_at >= self.sync_seconds

    def sync(self, who: str) -> None:
        """Add this worker's requests to the shared count and read every worker's back; then
        429 if the sum, this request included, is over the limit (it stays counted)."""
        with self._lock:
            count = self._current(who)
            pending, count.pending = count.pending, 0
            minute = count.minute
        try:
            current, previous = self._add(who, minute, pending)
        except SQLAlchemyError:
            # The database is busy or away: this worker goes on by its own count rather than
            # refuse the request, and adds it at the next sync.
            log.warning("could not share the request count of %s", who, exc_info=True)
            with self._lock:
                count.pending += pending
            return
        with self._lock:
            if count.minute == minute:
                count.current, count.previous = current, previous
            count.synced_at = time.monotonic()
            self._refuse_over(count, 0)

    def _current(self, who: str) -> _Count:
        minute = int(self.clock() // 60)
        count = self._counts.setdefault(who, _Count(minute=minute))
        if count.minute != minute:
            count.previous = count.current if minute == count.minute + 1 else 0
            count.current, count.minute, count.synced_at = 0, minute, -math.inf
        return count

    def _refuse_over(self, count: _Count, extra: int) -> None:
        elapsed = (self.clock() % 60) / 60
        used = count.previous * (1 - elapsed) + count.current + count.pending
        if used + extra <= self.per_minute:
            return
        room = self.per_minute - extra - count.current - count.pending
        if room < 0 or count.previous == 0:
            wait = 60 * (1 - elapsed)  # until this minute's count leaves the window's head
        else:
            wait = 60 * max(1 - room / count.previous - elapsed, 0)
        raise TooManyRequestsError(
            f"more than {self.per_minute} requests a minute", max(1, math.ceil(wait))
        )

    def _add(self, who: str, minute: int, requests: int) -> tuple[int, int]:
        """Add `requests` to the user's row of `minute`; the sums of that minute and the one
        before; rows older than those are dropped."""
        table = request_counts
        with self.engine.begin() as connection:
            if requests:
                upsert = (
                    postgresql_insert(table)
                    if connection.dialect.name == "postgresql"
                    else sqlite_insert(table)
                ).values(user_name=who, minute=minute, requests=requests)
                connection.execute(
                    upsert.on_conflict_do_update(
                        index_elements=[table.c.user_name, table.c.minute],
                        set_={"requests": table.c.requests + upsert.excluded.requests},
                    )
                )
            rows = dict(
                connection.execute(
                    select(table.c.minute, table.c.requests)
                    .where(table.c.user_name == who)
                    .where(table.c.minute.in_((minute, minute - 1)))
                ).all()
            )
            if requests:
                connection.execute(
                    delete(table).where(table.c.user_name == who).where(table.c.minute < minute - 1)
                )
        return rows.get(minute, 0), rows.get(minute - 1, 0)
