"""Commands of the service: its database, users and tokens, the server, the training export.

The `rescue` command line (`rescue.cli`) composes these with the training commands."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from features.asof import DATE_FORMATS as DATE
from features.problems import MAX_PROBLEMS_SHOWN
from service.kit.roles import role_names

if TYPE_CHECKING:  # the database layer imports SQLAlchemy and Alembic: only its commands pay
    from service.store.db import Database

app = typer.Typer()


db_app = typer.Typer(help="The service database.", no_args_is_help=True)
users_app = typer.Typer(help="Service users and their tokens.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply the database migrations (DATABASE_URL, default sqlite under var/)."""
    from service.kit.settings import get_settings
    from service.store.db import upgrade

    upgrade(get_settings().database_url)
    typer.echo("database is at the latest migration")


@db_app.command("load")
def db_load(
    directory: Annotated[Path, typer.Argument(help="portfolio folder")],
    as_of: Annotated[
        dt.datetime | None,
        typer.Option(formats=DATE, help="assessment date (default: the portfolio's own date)"),
    ] = None,
    quarantine: Annotated[
        Path | None,
        typer.Option(help="load the valid rows; write the rows set aside, with reasons, here"),
    ] = None,
) -> None:
    """Load a portfolio's businesses and cases into the database and assess the cases."""

    from features import PortfolioError, load_portfolio
    from service.intake.loading import load_into_db
    from service.kit.runtime import ModelStore
    from service.kit.settings import get_settings
    from service.store.db import Database, upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    if quarantine is not None:
        from features.imports.quarantine import quarantine as set_aside

        result = set_aside(directory)
        result.rejected.to_csv(quarantine, index=False)
        typer.echo(f"{directory}: {result.summary()}; set-aside rows in {quarantine}", err=True)
        if result.portfolio is None:
            raise typer.Exit(1)
        portfolio = result.portfolio
    else:
        try:
            portfolio = load_portfolio(directory)
        except PortfolioError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(1) from None
    store = ModelStore(settings.tracking_uri)
    snapshot = store.load()
    for name, error in snapshot.errors.items():
        typer.echo(f"warning: {name}: {error}; cases load unscored", err=True)
    when = as_of.date() if as_of else None
    counts = load_into_db(Database(settings.database_url), portfolio, snapshot, when)
    typer.echo(", ".join(f"{k}={v:,}" for k, v in counts.items()))


def _database() -> Database:
    """The configured database, migrated to the latest schema."""
    from service.kit.settings import get_settings
    from service.store.db import Database, upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    return Database(settings.database_url)


def _expiry(days: int | None) -> dt.datetime | None:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=days) if days else None


ExpiresDays = Annotated[
    int | None, typer.Option(min=1, max=3650, help="the key stops working after so many days")
]


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="unique user name")],
    role: Annotated[str, typer.Option(help=role_names())],
    lender: Annotated[str | None, typer.Option(help="bank liaison's lender")] = None,
    province: Annotated[str | None, typer.Option(help="intake officer's province")] = None,
    intake_centre: Annotated[str | None, typer.Option(help="intake officer's centre")] = None,
    expires_days: ExpiresDays = None,
) -> None:
    """Create a user and print their key (shown once)."""
    from service.access.users import create_user
    from service.kit.roles import Role

    try:
        role_ = Role(role)
    except ValueError:
        typer.echo(f"unknown role {role!r}: one of {role_names()}", err=True)
        raise typer.Exit(2) from None
    with _database().sessions() as session:
        try:
            token = create_user(
                session, name, role_, lender=lender, province=province,
                intake_centre=intake_centre, expires_at=_expiry(expires_days),
            )  # fmt: skip
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
    typer.echo(token)


@users_app.command("deactivate")
def users_deactivate(name: Annotated[str, typer.Argument(help="user name")]) -> None:
    """Stop a user's key and end their web sessions."""
    from service.access.users import deactivate_user

    with _database().sessions() as session:
        try:
            deactivate_user(session, name)
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
    typer.echo(
        f"{name}: deactivated (running servers stop accepting the key within the cache time)"
    )


@users_app.command("rotate")
def users_rotate(
    name: Annotated[str, typer.Argument(help="user name")], expires_days: ExpiresDays = None
) -> None:
    """Give a user a new key (printed once); the old key stops working."""
    from service.access.users import rotate_key

    with _database().sessions() as session:
        try:
            token = rotate_key(session, name, _expiry(expires_days))
        except ValueError as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
    typer.echo(token)


@users_app.command("list")
def users_list() -> None:
    """Every user: role, scope, whether active, when created and when their key expires."""
    from service.access.users import list_users

    with _database().sessions() as session:
        for u in list_users(session):
            scope = u["lender"] or u["province"] or u["intake_centre"] or "-"
            state = "active" if u["active"] else "deactivated"
            expires = u["expires_at"].date().isoformat() if u["expires_at"] else "never"
            typer.echo(f"{u['name']}\t{u['role']}\t{scope}\t{state}\texpires {expires}")


@app.command("audit")
def audit(
    user: Annotated[str | None, typer.Option(help="only this user's actions")] = None,
    case: Annotated[str | None, typer.Option(help="only this case")] = None,
    since: Annotated[
        dt.datetime | None, typer.Option(formats=DATE, help="from this date (YYYY-MM-DD)")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 100,
) -> None:
    """Print the audit log, newest first: when, who, role, what, status, case, from where."""
    from service.kit.audit import read_audit

    start = since.replace(tzinfo=dt.UTC) if since else None
    with _database().engine.connect() as connection:
        rows = read_audit(connection, user=user, case_id=case, since=start, limit=limit)
    for r in rows:
        typer.echo(
            f"{r['at']:%Y-%m-%d %H:%M:%S}\t{r['user_name']}\t{r['role']}\t{r['method']} "
            f"{r['route']}\t{r['status']}\t{r['case_id'] or '-'}\t{r['client'] or '-'}"
        )


@users_app.command("demo")
def users_demo(
    out: Annotated[Path, typer.Option(help="file to write the tokens to")] = Path(
        "var/demo-tokens.txt"
    ),
) -> None:
    """(Re)create one demo user per role and print their tokens."""
    from service.intake.loading import create_demo_users
    from service.kit.settings import get_settings
    from service.store.db import Database, upgrade

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
    assess_processes: Annotated[
        int,
        typer.Option(
            min=0,
            max=8,
            envvar="RESCUE_ASSESS_PROCESSES",
            help="helper processes per worker that assess new cases (0: in the worker)",
        ),
    ] = 1,
) -> None:
    """Start the API (migrations are applied and the champions loaded at start-up)."""
    import uvicorn

    from service.kit.settings import get_settings
    from service.store.db import upgrade

    os.environ["RESCUE_ASSESS_PROCESSES"] = str(assess_processes)  # read by each worker
    # Once here, before the workers start: workers that each migrate at once race on the
    # version row, and the one that loses stops the service.
    settings = get_settings()
    upgrade(settings.database_url)
    if settings.reassess_at_start:  # once, here, not in every worker
        # Everything the server and the reassessment import is imported, and the champions
        # loaded, before a second thread runs: two threads importing one package at once can
        # each see it half-initialised.
        import service.app  # noqa: F401
        from service.cases.reassess import reassess_in_background
        from service.kit.runtime import ModelStore
        from service.store.db import Database

        snapshot = ModelStore(settings.tracking_uri).load()
        reassess_in_background(Database(settings.database_url).engine, lambda: snapshot)

    for step in _next_steps(settings.database_url, settings.tracking_uri):
        typer.echo(step)
    typer.echo(f"serving on http://{host}:{port} (OpenAPI docs at /docs)")
    uvicorn.run(
        "service.app:create_app", factory=True, host=host, port=port, workers=workers,
        log_level="info", access_log=False,
        timeout_graceful_shutdown=settings.shutdown_seconds,
        timeout_worker_healthcheck=settings.worker_healthcheck_seconds,
    )  # fmt: skip


def _next_steps(database_url: str, tracking_uri: str | None) -> list[str]:
    """What a fresh checkout still lacks before the pages show anything: users, businesses,
    champions. Each line names the command that supplies it."""
    from sqlalchemy import func, select

    from models.registry import CHAMPION, alias_version, configure
    from models.specs import SPECS
    from service.store.db import Database
    from service.store.tables import businesses, users

    with Database(database_url).engine.connect() as connection:
        user_count = connection.scalar(select(func.count()).select_from(users))
        business_count = connection.scalar(select(func.count()).select_from(businesses))
    configure(tracking_uri)
    steps = []
    if not user_count:
        steps.append(
            "no users yet: run `rescue users demo` (one per role, tokens in var/demo-tokens.txt)"
        )
    if not business_count:
        steps.append("no businesses yet: run `rescue db load DIR` with a portfolio folder")
    if any(alias_version(name, CHAMPION) is None for name in SPECS):
        steps.append(
            "no champion models yet: run `rescue train --data DIR` and `rescue promote all`"
        )
    if steps:
        steps.append("or run `make demo`, which generates, trains, loads and serves in one go")
    return steps


@app.command()
def reassess(
    as_of: Annotated[
        dt.datetime | None, typer.Option(formats=DATE, help="assessment date (default: today)")
    ] = None,
    older_than_days: Annotated[
        int, typer.Option(min=0, help="reassess open cases last assessed before so many days")
    ] = 1,
) -> None:
    """Reassess open cases whose latest assessment has aged (run it nightly): one date per
    case, so that statements ageing past the stale limit move the triage and the advice."""
    import datetime as dt

    from service.cases.reassess import reassess as run
    from service.kit.runtime import ModelStore
    from service.kit.settings import get_settings

    database = _database()
    snapshot = ModelStore(get_settings().tracking_uri).load()
    for name, error in snapshot.errors.items():
        typer.echo(f"{name}: {error}", err=True)
    when = as_of.date() if as_of else dt.date.today()
    done = run(database.engine, snapshot, when, older_than_days, say=typer.echo)
    typer.echo(f"{done:,} cases reassessed as of {when}")


@app.command("export-training-data")
def export_training_data(
    out: Annotated[Path, typer.Option(help="portfolio folder to write")],
) -> None:
    """Write the recorded outcomes, with their businesses' rows, as a portfolio to train on."""
    from features import validate_portfolio
    from features.portfolio import write_tables
    from service.kit.settings import get_settings
    from service.store.db import Database, upgrade
    from service.views.export import training_tables

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
