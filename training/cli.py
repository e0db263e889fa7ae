"""The `rescue` command line: generate, validate and summarise portfolios (more as it grows)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="SME rescue decision support: portfolios, models and the scoring service.",
    no_args_is_help=True,
    add_completion=False,
)

MAX_PROBLEMS_SHOWN = 200


def _progress(start: float):
    def say(message: str) -> None:
        typer.echo(f"[{time.perf_counter() - start:6.1f}s] {message}", err=True)

    return say


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="folder to write the portfolio into")],
    businesses: Annotated[int, typer.Option(min=1, help="number of businesses")] = 12_000,
    seed: Annotated[int, typer.Option(help="random seed; the same seed gives identical files")] = 7,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
) -> None:
    """Write a synthetic Thai SME portfolio (the embedded default data)."""
    from training.synthetic.generator import generate as draw
    from training.synthetic.writer import write_tables

    start = time.perf_counter()
    tables = draw(businesses, seed, progress=_progress(start))
    write_tables(tables, out, fmt)
    typer.echo(f"wrote {len(tables)} tables to {out} in {time.perf_counter() - start:.1f}s")


@app.command()
def validate(directory: Annotated[Path, typer.Argument(help="portfolio folder")]) -> None:
    """Check a portfolio; print every problem as file:row: column: message."""
    from features import validate_portfolio

    portfolio, problems = validate_portfolio(directory)
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        typer.echo(str(problem))
    if len(problems) > MAX_PROBLEMS_SHOWN:
        typer.echo(f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
    if problems:
        typer.echo(
            f"{directory}: {len(problems)} problem(s); the portfolio was not loaded", err=True
        )
        raise typer.Exit(1)
    rows = ", ".join(
        f"{n}={len(f):,}" for n, f in portfolio.tables.items() if n in portfolio.supplied
    )
    typer.echo(f"{directory}: valid ({rows})")


@app.command()
def summary(directory: Annotated[Path, typer.Argument(help="portfolio folder")]) -> None:
    """Print counts per table, distress base rate, restructured and stalled shares."""
    from features import PortfolioError, load_portfolio
    from training.summary import format_summary, summarize

    try:
        portfolio = load_portfolio(directory)
    except PortfolioError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(format_summary(summarize(portfolio)))


def main() -> None:  # pragma: no cover - console entry point
    sys.exit(app())
