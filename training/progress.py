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


class Steps:
    """A job of known steps, each with its usual share of the time: each message says which
    step it starts and, from the pace so far, about how long the rest will take (the estimate
    stretches in proportion under load)."""

    def __init__(self, weights: list[float], say: Say):
        self.weights, self.say, self.done = list(weights), say, 0
        self.began = time.perf_counter()

    def skip(self, count: int) -> None:
        """The next `count` steps will not run (a model without enough labels)."""
        del self.weights[self.done : self.done + count]

    def step(self, message: str) -> None:
        elapsed = time.perf_counter() - self.began
        finished = sum(self.weights[: self.done])
        left = ""
        if finished > 0 and elapsed > 0:
            remaining = elapsed / finished * sum(self.weights[self.done :])
            left = f", about {_duration(remaining)} left"
        self.done = min(self.done + 1, len(self.weights))
        self.say(f"{message} (step {self.done} of {len(self.weights)}{left})")


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"
