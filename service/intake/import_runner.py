"""Uploaded files read in a process of their own, with a deadline.

Reading a workbook is openpyxl's pure Python: a large one holds the interpreter for many
seconds, and with it every other request of the worker. Here each upload is read in a process
forked from a server that has the readers loaded already (a few milliseconds to start), the
worker's thread only waits for the answer, and a reading past the deadline is ended and answered
413: the worker stays free, and nothing is left running.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

from service.intake.imports import ImportPreview, preview_import
from service.kit.errors import PayloadTooLargeError, ServiceError

_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(["service.intake.imports"])


def _read(sender: Connection, files: Sequence[tuple[str, bytes]], deadline_seconds: float) -> None:
    # The reader ends itself just after the deadline, whatever became of the worker waiting
    # for it (a worker killed or stopped mid-request cannot end it).
    watchdog = threading.Timer(deadline_seconds + 1, os._exit, args=(1,))
    watchdog.daemon = True
    watchdog.start()
    answer: tuple[str, Any, Any]
    try:
        answer = ("ok", preview_import(files), None)
    except ServiceError as exc:  # the same errors a reading in the worker would raise
        answer = ("error", type(exc), exc.detail)
    sender.send(answer)
    sender.close()


def preview_apart(files: Sequence[tuple[str, bytes]], deadline_seconds: float) -> ImportPreview:
    """`service.intake.imports.preview_import` in a process of its own, ended at the deadline."""
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_read, args=(sender, files, deadline_seconds), daemon=True)
    process.start()
    sender.close()
    names = ", ".join(name for name, _ in files)[:200]
    try:
        if not receiver.poll(deadline_seconds):
            raise PayloadTooLargeError(
                f"{names}: not read within {deadline_seconds:g} s; send fewer or smaller files"
            )
        kind, value, detail = receiver.recv()
    except EOFError:  # the reader died (out of memory, killed)
        raise PayloadTooLargeError(f"{names}: the reader stopped before the end") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if kind == "error":
        raise value(detail)
    preview: ImportPreview = value
    return preview
