"""Commands over models: train, evaluate, drift, promote, score.

The `rescue` command line (`rescue.cli`) composes these with the portfolio commands
(`training.commands`) and the service's."""

from __future__ import annotations

import datetime as dt
import time
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from features.asof import DATE_FORMATS as DATE
from training.progress import progress

app = typer.Typer()


class Engine(StrEnum):
    local = "local"
    spark = "spark"


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


@app.command()
def evaluate(
    data: Annotated[Path, typer.Option(help="labelled portfolio folder the model has not seen")],
    model: Annotated[str, typer.Option(help="registered model name")] = "sme-distress",
    model_uri: Annotated[
        str | None, typer.Option(help="model URI (default: models:/MODEL@champion)")
    ] = None,
    training_data: Annotated[
        Path | None,
        typer.Option(help="the model's training folder (default: as its run recorded it)"),
    ] = None,
    seed: Annotated[int, typer.Option(help="bootstrap and reference seed")] = 7,
    tracking_uri: Annotated[str | None, typer.Option(help="MLflow tracking URI")] = None,
) -> None:
    """Score a labelled portfolio the model has never seen: ROC AUC, PR AUC, Brier score and ECE
    with bootstrap intervals, beside the brute-force reference fitted on the model's training
    data; logged to MLflow next to the model."""
    from features import PortfolioError, load_portfolio
    from models.registry import CHAMPION, alias_version, configure, load_scorer
    from models.specs import SPECS
    from training.evaluation import (
        NoOutcomesError,
        evaluate_portfolio,
        labelled_rows,
        log_evaluation,
        training_folder,
    )

    if model not in SPECS:
        typer.echo(f"unknown model {model!r}: one of {', '.join(SPECS)}", err=True)
        raise typer.Exit(2)
    try:
        rows = labelled_rows(model, load_portfolio(data), data)
    except (PortfolioError, NoOutcomesError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    configure(tracking_uri)
    uri = model_uri or f"models:/{model}@{CHAMPION}"
    version = alias_version(model, CHAMPION) if model_uri is None else _version_in(uri)
    if model_uri is None and version is None:
        typer.echo(f"no champion registered for {model}: run rescue train, then promote", err=True)
        raise typer.Exit(1)
    scorer = load_scorer(uri)
    if scorer.name != model:
        typer.echo(f"{uri} is a {scorer.name} model: add --model {scorer.name}", err=True)
        raise typer.Exit(2)
    trained_on = training_data or training_folder(scorer.name, version)
    try:
        result = evaluate_portfolio(
            data, rows, scorer, version=version, training_dir=trained_on, seed=seed
        )
    except (PortfolioError, NoOutcomesError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    for line in result.lines():
        typer.echo(line)
    typer.echo(f"logged to MLflow run {log_evaluation(result)}")


def _version_in(uri: str) -> str | None:
    """The version number of a `models:/name/N` URI."""
    tail = uri.rstrip("/").rsplit("/", 1)[-1]
    return tail if uri.startswith("models:/") and tail.isdigit() else None
