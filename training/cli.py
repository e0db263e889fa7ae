"""The `rescue` command line: generate, validate and summarise portfolios (more as it grows)."""

from __future__ import annotations

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


@app.command()
def train(
    data: Annotated[Path, typer.Option(help="portfolio folder with outcomes")],
    seed: Annotated[int, typer.Option(help="training seed")] = 7,
    tracking_uri: Annotated[
        str | None, typer.Option(help="MLflow tracking URI (default: MLFLOW_TRACKING_URI or var/)")
    ] = None,
) -> None:
    """Train both models, log them to MLflow and register each as `challenger`."""
    from features import PortfolioError
    from training.pipeline import train_all

    start = time.perf_counter()
    try:
        results = train_all(data, seed=seed, tracking_uri=tracking_uri, say=_progress(start))
    except PortfolioError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    for r in results:
        typer.echo(r.message if r.version is None else f"{r.name}: registered version {r.version}")
    if all(r.version is None for r in results):
        raise typer.Exit(1)


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
    data: Annotated[Path, typer.Option(help="portfolio folder")],
    out: Annotated[Path, typer.Option(help="CSV file to write")],
    model_uri: Annotated[
        str | None, typer.Option(help="distress model URI (default: models:/sme-distress@champion)")
    ] = None,
    plans: Annotated[
        Path | None, typer.Option(help="CSV of plan terms by business_id, to score feasibility")
    ] = None,
    as_of: Annotated[str | None, typer.Option(help="as-of date (default: today)")] = None,
    shard_rows: Annotated[int, typer.Option(min=100, help="businesses per shard")] = 5_000,
    tracking_uri: Annotated[str | None, typer.Option(help="MLflow tracking URI")] = None,
) -> None:
    """Score every business with the champions; streams in shards of whole businesses."""
    import pandas as pd

    from features import PortfolioError
    from models.specs import DISTRESS, FEASIBILITY
    from training.scoring import score_portfolio
    from training.tracking import configure, load_scorer

    configure(tracking_uri)
    start = time.perf_counter()
    distress = load_scorer(model_uri or f"models:/{DISTRESS}@champion")
    feasibility = None
    plan_terms = None
    if plans is not None:
        feasibility = load_scorer(f"models:/{FEASIBILITY}@champion")
        plan_terms = pd.read_csv(plans, dtype={"business_id": str})
    try:
        n = score_portfolio(
            data, out, distress, feasibility=feasibility, plans=plan_terms, as_of=as_of,
            shard_rows=shard_rows, say=_progress(start),
        )  # fmt: skip
    except PortfolioError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    typer.echo(f"scored {n:,} businesses into {out}")


db_app = typer.Typer(help="The service database.", no_args_is_help=True)
users_app = typer.Typer(help="Service users and their tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (DATABASE_URL, default sqlite under var/)."""
    from service.db import upgrade
    from service.settings import get_settings

    upgrade(get_settings().database_url)
    typer.echo("database is at the latest migration")


@db_app.command("load")
def db_load(
    directory: Annotated[Path, typer.Argument(help="portfolio folder")],
    as_of: Annotated[str | None, typer.Option(help="assessment date (default: today)")] = None,
) -> None:
    """Load a portfolio's businesses and cases into the database and assess the cases."""
    import datetime as dt

    from features import PortfolioError, load_portfolio
    from service.db import Database, upgrade
    from service.loading import load_into_db
    from service.runtime import ModelStore
    from service.settings import get_settings

    settings = get_settings()
    upgrade(settings.database_url)
    try:
        portfolio = load_portfolio(directory)
    except PortfolioError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    store = ModelStore(settings.tracking_uri)
    snapshot = store.load()
    for name, error in snapshot.errors.items():
        typer.echo(f"warning: {name}: {error}; cases load unscored", err=True)
    when = dt.date.fromisoformat(as_of) if as_of else None
    counts = load_into_db(Database(settings.database_url), portfolio, snapshot, when)
    typer.echo(", ".join(f"{k}={v:,}" for k, v in counts.items()))


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="unique user name")],
    role: Annotated[
        str, typer.Option(help="analyst, bank_liaison, intake_officer, data_scientist, admin")
    ],
    lender: Annotated[str | None, typer.Option(help="bank liaison's lender")] = None,
    province: Annotated[str | None, typer.Option(help="intake officer's province")] = None,
    intake_centre: Annotated[str | None, typer.Option(help="intake officer's centre")] = None,
) -> None:
    """Create a user and print their bearer token (shown once)."""
    from service.auth import Role, create_user
    from service.db import Database, upgrade
    from service.settings import get_settings

    try:
        role_ = Role(role)
    except ValueError:
        typer.echo(f"unknown role {role!r}: one of {', '.join(r.value for r in Role)}", err=True)
        raise typer.Exit(2) from None
    settings = get_settings()
    upgrade(settings.database_url)
    with Database(settings.database_url).sessions() as session:
        try:
            token = create_user(
                session, name, role_, lender=lender, province=province, intake_centre=intake_centre
            )
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
    typer.echo(token)


@users_app.command("demo")
def users_demo(
    out: Annotated[Path, typer.Option(help="file to write the tokens to")] = Path(
        "var/demo-tokens.txt"
    ),
) -> None:
    """(Re)create one demo user per role and print their tokens."""
    from service.db import Database, upgrade
    from service.loading import create_demo_users
    from service.settings import get_settings

    settings = get_settings()
    upgrade(settings.database_url)
    tokens = create_demo_users(Database(settings.database_url))
    lines = [f"{name}\t{token}" for name, token in tokens.items()]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    out.chmod(0o600)
    typer.echo("\n".join(lines))
    typer.echo(f"(also written to {out})")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, envvar="RESCUE_WORKERS", help="worker processes, one per core")
    ] = 1,
) -> None:
    """Start the API (migrations are applied and the champions loaded at start-up)."""
    import uvicorn

    typer.echo(f"serving on http://{host}:{port} (OpenAPI docs at /docs)")
    uvicorn.run(
        "service.app:create_app", factory=True, host=host, port=port, workers=workers,
        log_level="info",
    )  # fmt: skip


@app.command("export-training-data")
def export_training_data(
    out: Annotated[Path, typer.Option(help="portfolio folder to write")],
) -> None:
    """Write the recorded outcomes, with their businesses' rows, as a portfolio to train on."""
    from features import validate_portfolio
    from service.db import Database, upgrade
    from service.export import training_tables
    from service.settings import get_settings
    from training.synthetic.writer import write_tables

    settings = get_settings()
    upgrade(settings.database_url)
    tables = training_tables(Database(settings.database_url))
    if tables["outcomes"].empty:
        typer.echo("no recorded distress outcomes yet: nothing to export", err=True)
        raise typer.Exit(1)
    write_tables(tables, out)
    _, problems = validate_portfolio(out)
    for problem in problems[:MAX_PROBLEMS_SHOWN]:
        typer.echo(str(problem), err=True)
    rows = ", ".join(f"{name}={len(frame):,}" for name, frame in tables.items())
    typer.echo(f"wrote {out} ({rows})")
    if problems:
        raise typer.Exit(1)
