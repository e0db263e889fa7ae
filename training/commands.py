"""Commands over portfolios: generate, validate, import, summarise, the advice report, peers.

The `rescue` command line (`rescue.cli`) composes these with the model commands
(`training.model_commands`) and the service's."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from features.asof import DATE_FORMATS as DATE
from features.problems import MAX_PROBLEMS_SHOWN, Problem
from training.progress import progress

app = typer.Typer()


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="folder to write the portfolio into")],
    businesses: Annotated[int, typer.Option(min=1, help="number of businesses")] = 12_000,
    seed: Annotated[int, typer.Option(help="random seed; the same seed gives identical files")] = 7,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
    variant: Annotated[
        str | None,
        typer.Option(help="another true distress model, for testing models: unseen_lines"),
    ] = None,
    block: Annotated[
        int | None,
        typer.Option(min=100, help="draw and write this many businesses at a time (Parquet)"),
    ] = None,
) -> None:
    """Write a synthetic Thai SME portfolio (the embedded default data); with --block, any
    number of businesses in bounded memory."""
    from features.portfolio import write_tables
    from training.synthetic.generator import generate as draw
    from training.synthetic.truth import VARIANTS

    if variant is not None and variant not in VARIANTS:
        typer.echo(f"unknown variant {variant!r}: one of {', '.join(VARIANTS)}", err=True)
        raise typer.Exit(2)
    start = time.perf_counter()
    if block is not None:
        from training.synthetic.blocks import generated_blocks, write_blocks

        if fmt != "parquet":
            typer.echo("--block writes Parquet: add --format parquet", err=True)
            raise typer.Exit(2)
        write_blocks(generated_blocks(businesses, seed, block, variant), out, progress(start))
        typer.echo(
            f"wrote {businesses:,} businesses to {out} in {time.perf_counter() - start:.1f}s"
        )
        return
    tables = draw(businesses, seed, progress=progress(start), variant=variant)
    write_tables(tables, out, fmt)
    typer.echo(f"wrote {len(tables)} tables to {out} in {time.perf_counter() - start:.1f}s")


@app.command()
def validate(
    directory: Annotated[Path, typer.Argument(help="portfolio folder")],
    quarantine: Annotated[
        Path | None,
        typer.Option(help="load the valid rows; write the rows set aside, with reasons, here"),
    ] = None,
) -> None:
    """Check a portfolio; print every problem as file:row: column: message."""
    from features import validate_portfolio

    if quarantine is not None:
        from features.imports.quarantine import quarantine as set_aside

        result = set_aside(directory)
        for problem in result.fatal[:MAX_PROBLEMS_SHOWN]:
            typer.echo(str(problem))
        result.rejected.to_csv(quarantine, index=False)
        if result.portfolio is not None:
            _warn(result.portfolio.warnings)
        typer.echo(f"{directory}: {result.summary()}; set-aside rows in {quarantine}")
        if result.portfolio is None:
            raise typer.Exit(1)
        return
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
    _warn(portfolio.warnings)
    rows = ", ".join(
        f"{n}={len(f):,}" for n, f in portfolio.tables.items() if n in portfolio.supplied
    )
    noted = f"; {len(portfolio.warnings):,} warning(s), rows kept" if portfolio.warnings else ""
    typer.echo(f"{directory}: valid ({rows}){noted}")


def _warn(warnings: tuple[Problem, ...]) -> None:
    """Warnings by kind, then the first of them: what to check, without stopping the load."""
    kinds = Counter(f"{w.column}: {w.message.split(':')[0].split(' (')[0]}" for w in warnings)
    for kind, count in kinds.most_common():
        typer.echo(f"warning: {count:,} x {kind}")
    for warning in warnings[:MAX_PROBLEMS_SHOWN]:
        typer.echo(str(warning))
    if len(warnings) > MAX_PROBLEMS_SHOWN:
        typer.echo(f"... and {len(warnings) - MAX_PROBLEMS_SHOWN} more warnings")


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="CSV or XLSX files (tables or statements)")],
    out: Annotated[Path, typer.Option(help="portfolio folder to write")],
) -> None:
    """Read statements and tables as Thai users have them (B.E. years, Thai labels, commas)
    into a portfolio folder, with an import report in English and Thai."""
    from features import validate_portfolio
    from features.imports.import_limits import ImportTooLargeError
    from features.imports.importing import import_files, write_report
    from features.portfolio import write_tables

    unreadable = [f for f in files if not f.is_file()]
    if unreadable:
        typer.echo(f"{unreadable[0]}: not a file; give the CSV or XLSX files themselves", err=True)
        raise typer.Exit(1)
    try:
        result = import_files((f.name, f.read_bytes()) for f in files)
    except ImportTooLargeError as exc:
        typer.echo(f"{exc}: nothing written", err=True)
        raise typer.Exit(1) from None
    for entry in result.report.entries:
        typer.echo(entry.text("en"), err=entry.kind == "error")
    if result.report.errors or "businesses" not in result.tables:
        typer.echo(f"{len(result.report.errors)} error(s): nothing written", err=True)
        raise typer.Exit(1)
    write_tables(result.tables, out)
    write_report(result.report, out)
    _, problems = validate_portfolio(out)
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        typer.echo(str(problem), err=True)
    rows = ", ".join(f"{name}={len(frame):,}" for name, frame in result.tables.items())
    typer.echo(f"wrote {out} ({rows}); report in {out}/import_report.*")
    if problems:
        raise typer.Exit(1)


@app.command("advice-report")
def advice_report(
    data: Annotated[Path, typer.Option(help="portfolio folder")],
    as_of: Annotated[
        dt.datetime | None, typer.Option(formats=DATE, help="as-of date (default: today)")
    ] = None,
    limit: Annotated[int | None, typer.Option(min=1, help="at most so many businesses")] = None,
    tracking_uri: Annotated[str | None, typer.Option(help="MLflow tracking URI")] = None,
) -> None:
    """Advise every case's business: top paths, and the checks no option may fail."""

    from features import PortfolioError, load_portfolio
    from models.advice.report import failures, report_lines
    from training.advice_review import review_advice

    when = as_of.date() if as_of else dt.date.today()
    try:
        portfolio = load_portfolio(data)
    except PortfolioError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    report = review_advice(portfolio, when, tracking_uri=tracking_uri, limit=limit)
    scored = "with" if report["feasibility_model"] else "without"
    typer.echo(f"advice at {when}, {scored} the feasibility champion:")
    for line in report_lines(report):
        typer.echo(line)
    if failures(report):
        raise typer.Exit(1)


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


@app.command()
def peers(
    directory: Annotated[Path, typer.Argument(help="portfolio folder")],
    business: Annotated[str, typer.Option(help="business_id of the business to compare")],
    as_of: Annotated[
        dt.datetime | None, typer.Option(formats=DATE, help="date compared at (default: today)")
    ] = None,
    lang: Annotated[str, typer.Option(help="language of the ratio names: en or th")] = "en",
) -> None:
    """Where a business stands against its peers: each ratio's percentile in its TSIC section
    and size class, and region where that group holds 30 or more."""
    from features import PortfolioError, load_portfolio
    from features.catalogues.languages import LANGUAGES
    from features.feature_labels import label, padded
    from features.pipeline import build_features
    from models.advice.peers import peer_book, standings
    from models.plans.programmes import Rules

    if lang not in LANGUAGES:
        raise typer.BadParameter(f"one of {', '.join(LANGUAGES)}", param_hint="'--lang'")
    when = as_of.date() if as_of else dt.date.today()
    try:
        portfolio = load_portfolio(directory)
    except PortfolioError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    book = peer_book(build_features(portfolio, when.isoformat(), lines=True), Rules.on_date(when))
    if business not in book.index:
        typer.echo(f"{business}: no such business_id in {directory}", err=True)
        raise typer.Exit(2)
    group, found = standings(book, business)
    where = ", ".join(f"{k} {v}" for k, v in group.keys.items()) or "the whole portfolio"
    typer.echo(f"{business} against {group.size:,} peers ({where}) with statements at {when}")
    for s in found:
        typer.echo(
            f"  {padded(label(s.feature, lang), 40)} {s.value:>10.3f}  percentile "
            f"{s.percentile:5.1f}  (peers {s.p25:.3f} / {s.median:.3f} / {s.p75:.3f})"
        )
