"""`rescue`: one command line composed of the commands `training` and `service` each define.

Neither package imports the other; this module is the only place where both meet (with the
benchmarks, which measure the whole path, and `rescue retrain`, which closes the loop).
"""

from __future__ import annotations

import atexit
import os
import sys
import threading

import typer

from rescue.output import setup_output
from rescue.retrain import retrain
from service.commands import app as service_commands
from training.commands import app as training_commands

app = typer.Typer(
    help="SME rescue decision support: portfolios, models and the scoring service.",
    no_args_is_help=True,
    add_completion=False,
    callback=setup_output,
)
app.add_typer(training_commands)
app.add_typer(service_commands)
app.command()(retrain)


def main() -> None:
    """The `rescue` command. It leaves without dismantling the libraries it imported: tearing
    down MLflow's and its store's modules takes about a second after the work is done and every
    file is closed. Exit handlers (log and MLflow flushes) still run first, and a command that
    leaves threads running exits the usual way."""
    try:
        app(prog_name="rescue")
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
