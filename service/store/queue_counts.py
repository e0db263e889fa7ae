"""The queue's counts (in all, by triage class, by risk band) for filters `case_counts` cannot
answer (search, channel, problem type, assignment, overdue), kept a moment per user and filters.

Counting reads an index entry for every selected case: some 15 ms of a queue page on 100,000
cases, where the page's own rows take 3. The rows are always read fresh. The counts above them
may lag the writes of other processes by up to `seconds`, never this process's own: a committed
write to the cases table through this engine drops every count kept."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.sql.dml import UpdateBase

from service.store.tables import cases

Counts = tuple[int, dict[str, int], dict[str, int]]
KEPT = 512  # users times filter combinations; the oldest goes first
_WRITES_CASES = "writes_cases"


class CountCache:
    def __init__(self, engine: Engine, seconds: float, kept: int = KEPT):
        self.seconds, self.kept = seconds, kept
        self._generation = 0  # committed writes to the cases table through `engine`
        self._entries: OrderedDict[Hashable, tuple[float, int, Counts]] = OrderedDict()
        self._lock = threading.Lock()
        if seconds > 0:
            event.listen(engine, "after_execute", self._executed)
            event.listen(engine, "commit", self._committed)
            event.listen(engine, "rollback", self._rolled_back)

    def get(self, key: Hashable, count: Callable[[], Counts]) -> Counts:
        """The counts kept under `key` if they are fresh, else `count()` (kept)."""
        if self.seconds <= 0:
            return count()
        now = time.monotonic()
        with self._lock:
            generation = self._generation
            kept = self._entries.get(key)
        if kept is not None and kept[0] > now and kept[1] == generation:
            return kept[2]
        counts = count()  # a write committed meanwhile moves the generation on: not reused
        with self._lock:
            self._entries[key] = (now + self.seconds, generation, counts)
            self._entries.move_to_end(key)
            while len(self._entries) > self.kept:
                self._entries.popitem(last=False)
        return counts

    def _executed(self, connection: Connection, statement: Any, *_: Any) -> None:
        if isinstance(statement, UpdateBase) and getattr(statement, "table", None) is cases:
            connection.info[_WRITES_CASES] = True

    def _committed(self, connection: Connection) -> None:
        if connection.info.pop(_WRITES_CASES, False):
            with self._lock:
                self._generation += 1

    def _rolled_back(self, connection: Connection) -> None:
        connection.info.pop(_WRITES_CASES, None)
