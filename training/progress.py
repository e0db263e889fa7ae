"""Progress of long jobs as log records: elapsed seconds, then the step.

Training and scoring report their steps through `say`; by default it logs them, so a job run
from the command line, a notebook or a scheduler leaves the same record."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

Say = Callable[[str], None]
log = logging.getLogger("training")


def progress(start: float | None = None) -> Say:
    began = time.perf_counter() if start is None else start

    def say(message: str) -> None:
        log.info("[%6.1fs] %s", time.perf_counter() - began, message)

    return say
