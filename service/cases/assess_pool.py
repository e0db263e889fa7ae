"""Case assessments computed in a helper process beside each worker.

Scoring, triaging and searching plans for a new case is some 30 ms of Python. In the worker it
holds the interpreter, and every other request of that worker (a queue page is mostly the
database's time) waits for it by turns: under mixed load, queue pages' p99 was several times
their median. In a helper the worker only waits for the answer, and the operating system shares
the cores between them.

The helper loads the very model versions of the request's snapshot (by version, not by alias),
so a case is assessed with the models its request took, across a reload too. Whatever keeps the
helper from answering (it died, a version will not load) is logged and the case is assessed in
the worker instead; an error of the assessment itself is raised as it would be in the worker.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from features import Portfolio
from service.cases.assessments import Assessed, CaseRef, assessments_for
from service.kit.runtime import Loaded, Snapshot

log = logging.getLogger(__name__)

Versions = tuple[tuple[str, str], ...]
# Model versions a helper keeps loaded: both models of the current champions and of the ones
# before, so requests that took their snapshot before a reload do not make it load them again.
KEPT_VERSIONS = 4
PARENT_CHECK_SECONDS = 1.0


class HelperUnavailableError(RuntimeError):
    """The helper could not take the work (a model version would not load)."""


def versions_of(snapshot: Snapshot) -> Versions:
    return tuple(sorted((name, loaded.version) for name, loaded in snapshot.models.items()))


# The helper process's own state: the scorers it has loaded, by (model name, version).
_loaded: OrderedDict[tuple[str, str], Loaded] = OrderedDict()


def _snapshot(versions: Versions) -> Snapshot:
    from models.registry import load_scorer

    for key in versions:
        if key in _loaded:
            _loaded.move_to_end(key)
            continue
        name, version = key
        try:
            scorer = load_scorer(f"models:/{name}/{version}")
        except Exception as exc:
            raise HelperUnavailableError(f"{name} version {version}: {exc}") from None
        _loaded[key] = Loaded(scorer, version, dt.datetime.now(dt.UTC))
        while len(_loaded) > KEPT_VERSIONS:
            _loaded.popitem(last=False)
    return Snapshot({name: _loaded[(name, version)] for name, version in versions})


def _start(tracking_uri: str | None, versions: Versions, worker: int) -> None:
    from models.registry import configure

    threading.Thread(target=_leave_with, args=(worker,), daemon=True).start()
    configure(tracking_uri)
    try:
        _snapshot(versions)
    except HelperUnavailableError as exc:  # the first request will say so, and fall back
        log.warning("assessment helper could not preload the models: %s", exc)


def _leave_with(worker: int) -> None:
    """End the helper when its worker has gone, however it went (a killed worker cannot
    shut its helpers down)."""
    while os.getppid() == worker:
        threading.Event().wait(PARENT_CHECK_SECONDS)
    os._exit(0)


def _assess(
    versions: Versions, portfolio: Portfolio, refs: Sequence[CaseRef], as_of: dt.date, by: str
) -> tuple[Assessed, int]:
    return assessments_for(_snapshot(versions), portfolio, refs, as_of, by), os.getpid()


class Assessor:
    """Assesses cases in `processes` helper processes, or in the caller's thread when there
    are none (the default outside `rescue serve`) or the snapshot holds no model."""

    def __init__(self, tracking_uri: str | None, processes: int):
        self.tracking_uri, self.processes = tracking_uri, processes
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self.helped = 0  # assessments the helpers computed
        self.helper_pids: set[int] = set()

    def start(self, snapshot: Snapshot) -> None:
        """Start the helpers, which load the snapshot's models meanwhile (requests that come
        before they are ready wait for them)."""
        if self.processes < 1:
            return
        with self._lock:
            start = (self.tracking_uri, versions_of(snapshot), os.getpid())
            self._pool = ProcessPoolExecutor(
                self.processes, mp_context=multiprocessing.get_context("spawn"),
                initializer=_start, initargs=start,
            )  # fmt: skip
            self._pool.submit(os.getpid)  # spawn now, not at the first case

    def stop(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __call__(
        self, snapshot: Snapshot, portfolio: Portfolio, refs: Sequence[CaseRef], as_of: dt.date,
        by: str,
    ) -> Assessed:  # fmt: skip
        pool = self._pool
        if pool is None or not snapshot.models or not refs:
            return assessments_for(snapshot, portfolio, refs, as_of, by)
        try:
            assessed, pid = pool.submit(
                _assess, versions_of(snapshot), portfolio, refs, as_of, by
            ).result()
        except (BrokenProcessPool, HelperUnavailableError) as exc:
            log.warning("assessment helper unavailable, assessing in the worker: %s", exc)
            if isinstance(exc, BrokenProcessPool):
                self._restart(pool, snapshot)
            return assessments_for(snapshot, portfolio, refs, as_of, by)
        with self._lock:
            self.helped += 1
            self.helper_pids.add(pid)
        return assessed

    def _restart(self, broken: ProcessPoolExecutor, snapshot: Snapshot) -> None:
        with self._lock:
            if self._pool is not broken:  # another request restarted it already
                return
            self._pool = None
        broken.shutdown(wait=False, cancel_futures=True)
        self.start(snapshot)
