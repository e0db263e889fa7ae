"""Scoring the POST /score requests that wait at the same moment in one pass.

Scoring one business is mostly fixed cost per call (NumPy and LightGBM overhead), nearly the same
for one business as for ten. While a worker computes, requests arriving meanwhile queue up; the
next pass scores all of them together, through the same feature code as one business alone.
Under light load a pass holds one request and nothing waits.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from features.columns import Columns
from service.kit.runtime import Snapshot
from service.scoring.scoring import score_columns

MAX_BATCH = 64
KEYS = frozenset(("business_id", "application_id"))


@dataclass
class _Request:
    snapshot: Snapshot
    tables: dict[str, Columns]
    as_of: dt.date
    future: asyncio.Future[Any] = field(repr=False)


def merge_tables(parts: list[dict[str, Columns]]) -> dict[str, Columns]:
    """Several payloads' tables as one, their keys prefixed by the payload's position in
    `parts`, so that two requests about the same business (or application) stay apart."""
    merged: dict[str, Columns] = {}
    for name, first in parts[0].items():
        table = {col: np.concatenate([p[name][col] for p in parts]) for col in first}
        for key in KEYS.intersection(first):
            table[key] = np.array(
                [f"{i}/{v}" for i, p in enumerate(parts) for v in p[name][key]], dtype=object
            )
        merged[name] = table
    return merged


class ScoreBatcher:
    """Collects the scoring requests of one event loop and scores them in passes."""

    def __init__(self, max_batch: int = MAX_BATCH):
        self.max_batch = max_batch
        self._pending: list[_Request] = []
        self.passes = 0
        self.scored = 0

    async def score(
        self, snapshot: Snapshot, tables: dict[str, Columns], as_of: dt.date
    ) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        request = _Request(snapshot, tables, as_of, loop.create_future())
        self._pending.append(request)
        if len(self._pending) == 1:
            # After the callbacks already due: requests read in the same turn of the loop join.
            loop.call_soon(self._flush)
        result: dict[str, Any] = await request.future
        return result

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        waiting = [r for r in pending if not r.future.done()]  # a client may have gone
        for start in range(0, len(waiting), self.max_batch):
            batch = waiting[start : start + self.max_batch]
            for snapshot in {id(r.snapshot): r.snapshot for r in batch}.values():
                self._score([r for r in batch if r.snapshot is snapshot])

    def _score(self, batch: list[_Request]) -> None:
        try:
            results = score_columns(
                batch[0].snapshot,
                merge_tables([r.tables for r in batch]),
                [r.as_of for r in batch],
                business_ids=[r.tables["businesses"]["business_id"][0] for r in batch],
            )
        except Exception as exc:
            for r in batch:
                if not r.future.done():
                    r.future.set_exception(exc)
            return
        self.passes += 1
        self.scored += len(batch)
        for r, result in zip(batch, results, strict=True):
            if not r.future.done():
                r.future.set_result(result)
