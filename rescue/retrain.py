"""`rescue retrain`: the base portfolio plus the outcomes recorded in the service, trained,
compared with the champions on the challengers' holdouts, promoted through the gate (better
than the champion, and not beaten by its brute-force reference), and the running service told
to load the new champions."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer

from features.portfolio import find_table_files, read_raw, write_tables
from features.schema import TABLES


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells as a CSV file holds them, so base and recorded rows compare and concatenate."""
    buffer = io.StringIO(frame.to_csv(index=False))
    return pd.read_csv(buffer, dtype=str, keep_default_na=False, na_values=[""])


def merged_tables(base: Path, recorded: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Every table of the base portfolio with the recorded rows added; where both hold a row
    with the same key, the recorded one."""
    files, problems = find_table_files(base)
    if problems:
        raise typer.BadParameter("; ".join(str(p) for p in problems), param_hint="--data")
    out: dict[str, pd.DataFrame] = {}
    for name, table in TABLES.items():
        parts = [_as_text(read_raw(files[name]))] if name in files else []
        if name in recorded and len(recorded[name]):
            parts.append(_as_text(recorded[name]))
        if not parts:
            continue
        frame = pd.concat(parts, ignore_index=True)
        key = [k for k in table.key if k in frame.columns]
        out[name] = frame.drop_duplicates(key, keep="last") if key else frame
    return out


def retrain(
    data: Annotated[Path, typer.Option(help="the base portfolio folder")],
    out: Annotated[
        Path | None, typer.Option(help="where to write the merged portfolio (default: a temp dir)")
    ] = None,
    tracking_uri: Annotated[str | None, typer.Option(help="MLflow tracking URI")] = None,
) -> None:
    """Retrain on the base portfolio and the recorded outcomes; promote what beats the champion
    and its reference; have the service load it."""
    from models.specs import SPECS
    from service.kit.runtime import request_reload
    from service.kit.settings import get_settings
    from service.store.db import Database, upgrade
    from service.views.export import training_tables
    from training.pipeline import train_all
    from training.tracking import configure, promote

    settings = get_settings()
    upgrade(settings.database_url)
    db = Database(settings.database_url)
    recorded = training_tables(db, dt.date.today())
    folder = out or Path(tempfile.mkdtemp(prefix="rescue-retrain-")) / "portfolio"
    write_tables(merged_tables(data, recorded), folder)
    typer.echo(f"{folder}: base {data} with {len(recorded['outcomes']):,} recorded outcome rows")
    results = train_all(folder, tracking_uri=tracking_uri, say=typer.echo)
    if all(r.version is None for r in results):
        raise typer.Exit(1)
    configure(tracking_uri)
    promoted = False
    for name in SPECS:
        promotion = promote(name)
        typer.echo(promotion.message)
        promoted |= promotion.promoted
    if promoted:
        reload_id = request_reload(db, "rescue retrain")
        typer.echo(f"reload {reload_id} requested: the service loads the new champions")
