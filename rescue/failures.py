"""What the command line prints when a command fails: one line saying what was wrong and what
would be right, never a traceback. An unexpected failure's traceback goes to a file."""

from __future__ import annotations

import traceback
from pathlib import Path

# Typer carries its own copy of Click; its exceptions are the ones a Typer app raises.
from typer._click import exceptions as cli_errors

TRACEBACK_FILE = Path("var/last-error.txt")
NO_MODELS = "train and promote models first: rescue train --data DIR, then rescue promote all"


def usage_line(error: cli_errors.UsageError) -> str:
    command = error.ctx.command_path if error.ctx else "rescue"
    return f"{command}: {error.format_message()} (see {command} --help)"


def failure_line(command: str, error: BaseException) -> str:
    """One line for a command's failure; known causes say what would be right."""
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    if isinstance(error, OSError) and error.filename is not None:
        return f"{command}: {error.filename}: {error.strerror or message}"
    if _is_missing_model(error):
        return f"{command}: {message}; {NO_MODELS}"
    if type(error).__name__ == "OperationalError":  # the database: unreachable or unwritable
        cause = getattr(error, "orig", None) or message
        return (
            f"{command}: the database cannot be used ({cause}); check DATABASE_URL "
            "and that its folder is writable"
        )
    return f"{command}: {type(error).__name__}: {message} ({_keep_traceback(error)})"


def _is_missing_model(error: BaseException) -> bool:
    text = str(error)
    return ("no champion" in text) or (
        "Registered Model with name=" in text and "not found" in text
    )


def _keep_traceback(error: BaseException) -> str:
    try:
        TRACEBACK_FILE.parent.mkdir(parents=True, exist_ok=True)
        TRACEBACK_FILE.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    except OSError:
        return "an unexpected error"
    return f"an unexpected error; its traceback is in {TRACEBACK_FILE}"
