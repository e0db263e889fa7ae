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
from typer._click import exceptions as cli_errors

from rescue.failures import failure_line, usage_line
from rescue.output import setup_output
from rescue.retrain import retrain
from service.commands import app as service_commands
from training.commands import app as training_commands
from training.model_commands import app as model_commands

app = typer.Typer(
    help="SME rescue decision support: portfolios, models and the scoring service.",
    no_args_is_help=True,
    add_completion=False,
    callback=setup_output,
)
app.add_typer(training_commands)
app.add_typer(model_commands)
app.add_typer(service_commands)
app.command()(retrain)


def run(argv: list[str]) -> int:
    """Run one command; every failure is one line on stderr, and the exit code is returned."""
    try:
        returned = app(args=argv, prog_name="rescue", standalone_mode=False)
        return returned if isinstance(returned, int) else 0
    except cli_errors.NoArgsIsHelpError as exc:
        print(exc.ctx.get_help() if exc.ctx else exc.format_message())
        return 0
    except cli_errors.UsageError as exc:
        print(usage_line(exc), file=sys.stderr)
        return exc.exit_code
    except cli_errors.ClickException as exc:
        print(f"rescue: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        print("rescue: interrupted", file=sys.stderr)
        return 130
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except Exception as exc:  # a command's failure: one line, the traceback kept in a file
        print(failure_line(" ".join(["rescue", *argv[:1]]), exc), file=sys.stderr)
        return 1


def main() -> None:
    """The `rescue` command. It leaves without dismantling the libraries it imported: tearing
    down MLflow's and its store's modules takes about a second after the work is done and every
    file is closed. Exit handlers (log and MLflow flushes) still run first, and a command that
    leaves threads running exits the usual way."""
    code = run(sys.argv[1:])
    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
