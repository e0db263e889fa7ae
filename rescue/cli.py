"""`rescue`: one command line composed of the commands `training` and `service` each define.

Neither package imports the other; this module is the only place where both meet (with the
benchmarks, which measure the whole path, and `rescue retrain`, which closes the loop).
"""

from __future__ import annotations

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
