"""Commands over portfolios and models: generate, validate, summarise, train, promote, score.

The `rescue` command line (`rescue.cli`) composes these with the service's commands."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from features.asof import DATE_FORMATS as DATE
from features.problems import MAX_PROBLEMS_SHOWN, Problem
from training.progress import progress

app = typer.Typer()


class Engine(StrEnum):
    local = "local"
    spark = "spark"


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
    from features.feature_labels import label
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
            f"  {label(s.feature, lang):<36} {s.value:>10.3f}  percentile {s.percentile:5.1f}"
            f"  (peers {s.p25:.3f} / {s.median:.3f} / {s.p75:.3f})"
        )


@app.command()
def train(
    data: Annotated[Path, typer.Option(help="portfolio folder with outcomes")],
    seed: Annotated[int, typer.Option(help="training seed")] = 7,
    tracking_uri: Annotated[
        str | None, typer.Option(help="MLflow tracking URI (default: MLFLOW_TRACKING_URI or var/)")
    ] = None,
    quarantine: Annotated[
        Path | None,
        typer.Option(help="train on the valid rows; write the rows set aside, with reasons, here"),
    ] = None,
) -> None:
    """Train both models, log them to MLflow and register each as `challenger`."""
    from features import PortfolioError
    from training.pipeline import train_all

    start = time.perf_counter()
    try:
        results = train_all(
            data, seed=seed, tracking_uri=tracking_uri, say=progress(start), quarantine=quarantine
        )
    except PortfolioError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    for r in results:
        typer.echo(r.message if r.version is None else f"{r.name}: registered version {r.version}")
    if all(r.version is None for r in results):
        raise typer.Exit(1)


@app.command()
def drift(
    data: Annotated[Path, typer.Option(help="portfolio folder of recent intakes")],
    model: Annotated[str, typer.Option(help="registered model name")] = "sme-distress",
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(formats=DATE, help="date of the features (default: the portfolio's date)"),
    ] = None,
    since: Annotated[
        dt.datetime | None,
        typer.Option(formats=DATE, help="only cases received on or after this date"),
    ] = None,
    tracking_uri: Annotated[str | None, typer.Option(help="MLflow tracking URI")] = None,
) -> None:
    """Population stability of each feature and of the score, between the champion's holdout
    and recent intakes; logged to MLflow and shown on the models page."""

    from training.drift import run_drift
    from training.tracking import configure

    configure(tracking_uri)
    day = {"as_of": as_of.date() if as_of else None, "since": since.date() if since else None}
    result = run_drift(data, model=model, as_of=day["as_of"], since=day["since"])
    for line in result.lines():
        typer.echo(line)


@app.command()
def promote(
    model: Annotated[str, typer.Argument(help="registered model name, or 'all'")],
    force: Annotated[
        bool, typer.Option(help="promote even if it does not beat the champion")
    ] = False,
    reason: Annotated[str | None, typer.Option(help="why a promotion is forced")] = None,
    tracking_uri: Annotated[str | None, typer.Option(help="MLflow tracking URI")] = None,
) -> None:
    """Make the challenger the champion if it beats the champion on the same holdout."""
    from models.specs import SPECS
    from training.tracking import configure
    from training.tracking import promote as do_promote

    configure(tracking_uri)
    names = list(SPECS) if model == "all" else [model]
    if any(n not in SPECS for n in names):
        typer.echo(f"unknown model {model!r}: one of {', '.join(SPECS)} or 'all'", err=True)
        raise typer.Exit(2)
    if force and not reason:
        typer.echo("--force needs a --reason", err=True)
        raise typer.Exit(2)
    for name in names:
        typer.echo(do_promote(name, force=force, reason=reason).message)


@app.command()
def score(
    data: Annotated[str, typer.Option(help="portfolio folder (spark engine: or a URI)")],
    out: Annotated[
        str, typer.Option(help="file to write: .csv, or .parquet (spark engine: or a URI)")
    ],
    model_uri: Annotated[
        str | None, typer.Option(help="distress model URI (default: models:/sme-distress@champion)")
    ] = None,
    plans: Annotated[
        Path | None, typer.Option(help="CSV of plan terms by business_id, to score feasibility")
    ] = None,
    as_of: Annotated[
        dt.datetime | None, typer.Option(formats=DATE, help="as-of date (default: today)")
    ] = None,
    shard_rows: Annotated[
        int | None, typer.Option(min=100, help="businesses per shard (default 12,500)")
    ] = None,
    tracking_uri: Annotated[str | None, typer.Option(help="MLflow tracking URI")] = None,
    engine: Annotated[Engine, typer.Option(help="local: this process; spark: Apache Spark")] = (
        Engine.local
    ),
    master: Annotated[
        str, typer.Option(help="Spark master URL (spark engine): local[*], spark://host:7077, ...")
    ] = "local[*]",
) -> None:
    """Score every business with the champions, in shards of whole businesses: here, or on
    Spark with the same feature code and model."""
    import pandas as pd

    from features import PortfolioError
    from models.registry import configure, load_scorer
    from models.specs import DISTRESS, FEASIBILITY
    from training.scoring import score_portfolio

    if not out.endswith((".csv", ".parquet")):
        typer.echo(f"{out}: the output must end in .csv or .parquet", err=True)
        raise typer.Exit(2)
    if engine is Engine.local and "://" in data + out:
        typer.echo("URIs are read and written by the spark engine: add --engine spark", err=True)
        raise typer.Exit(2)
    configure(tracking_uri)
    start = time.perf_counter()
    distress = load_scorer(model_uri or f"models:/{DISTRESS}@champion")
    feasibility = None
    plan_terms = None
    if plans is not None:
        feasibility = load_scorer(f"models:/{FEASIBILITY}@champion")
        plan_terms = pd.read_csv(plans, dtype={"business_id": str})
    options: dict[str, Any] = {
        "feasibility": feasibility, "plans": plan_terms, "say": progress(start),
        "as_of": as_of.date().isoformat() if as_of else None,
    }  # fmt: skip
    if shard_rows is not None:
        options["shard_rows"] = shard_rows
    try:
        if engine is Engine.spark:
            from training.spark_scoring import score_with_spark

            n = score_with_spark(data, out, distress, master=master, **options)
        else:
            n = score_portfolio(Path(data), Path(out), distress, **options)
    except PortfolioError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"scored {n:,} businesses into {out}")
