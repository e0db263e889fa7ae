"""Progress lines for long commands: elapsed seconds, then the message, on standard error."""

from __future__ import annotations

import time
from collections.abc import Callable

import typer


def progress(start: float) -> Callable[[str], None]:
    def say(message: str) -> None:
        typer.echo(f"[{time.perf_counter() - start:6.1f}s] {message}", err=True)

    return say
