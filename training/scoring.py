"""`rescue score`: score every business of a portfolio, in bounded memory.

A portfolio larger than memory is first split into shards by a hash of business_id (each table
read in chunks), so every shard holds whole businesses with all their rows; shards are then
validated, featurised and scored one at a time and appended to the output (CSV, or Parquet one
row group per shard). Only the tables the features read are read and checked: a damaged
outcomes file does not stop a scoring. Problems name the original file and row. The output
appears only when every shard has been scored.
"""

from __future__ import annotations

import math
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from features import Portfolio, PortfolioError
from features.pipeline import SCORED_TABLES
from features.portfolio import find_table_files, read_folder, validate_frames
from features.problems import Source
from models.predict import feasibility_table, scores_table
from models.scorer import Scorer
from training.progress import Say, progress

READ_ROWS = 50_000
# Businesses per shard: about 200 MB of tables, features and explanations over the process's
# half a gigabyte of libraries. Twice as many cost 3% less time and 200 MB more.
SHARD_ROWS = 12_500
ROW = "_row"
# The output, declared once for both engines: column and kind.
SCORE_COLUMNS = {
    "business_id": "text",
    "distress_probability": "float",
    "risk_band": "text",
    "top_reasons": "text",
    "statement_age_days": "int",
    "stale_statements": "bool",
}
PLAN_COLUMNS = {
    "feasibility_probability": "float",
    "post_plan_dscr": "float",
    "feasibility_reasons": "text",
}


def output_columns(with_plans: bool) -> dict[str, str]:
    return {**SCORE_COLUMNS, **(PLAN_COLUMNS if with_plans else {})}


def _pieces(path: Path) -> Iterator[pa.Table]:
    """A table file in pieces, cells as text (CSV) or as stored (Parquet), with row labels."""
    if path.suffix == ".csv":
        first = 2
        reader: Iterator[pa.Table] = (
            pa.Table.from_pandas(chunk, preserve_index=False)
            for chunk in pd.read_csv(
                path, dtype=str, keep_default_na=False, na_values=[""], chunksize=READ_ROWS,
                encoding="utf-8-sig",
            )
        )  # fmt: skip
    else:
        first = 1
        # Not pre-buffered: the reader would keep every row group read so far, the whole file.
        parquet = pq.ParquetFile(path, pre_buffer=False)
        reader = (pa.Table.from_batches([batch]) for batch in parquet.iter_batches(READ_ROWS))
    start = first
    for piece in reader:
        labels = pa.array(np.arange(start, start + piece.num_rows, dtype=np.int64))
        start += piece.num_rows
        yield piece.replace_schema_metadata(None).append_column(ROW, labels)


def _count(path: Path) -> int:
    if path.suffix == ".parquet":
        return int(pq.ParquetFile(path).metadata.num_rows)
    return sum(piece.num_rows for piece in _pieces(path))


def _shard_of(ids: pa.ChunkedArray, shards: int) -> np.ndarray:
    """A business's shard: a hash of its id (stable across runs and machines)."""
    text = np.asarray(ids.to_pandas(), dtype=object)
    hashed: np.ndarray = pd.util.hash_array(text) % np.uint64(shards)
    return hashed.astype(np.int64)


def _shards(
    directory: Path, work: Path, shard_rows: int, say: Say
) -> Iterator[tuple[int, int, dict[str, Any], dict[str, Any]]]:
    """(shard, shards, tables as read, their sources) for each shard of whole businesses; a
    portfolio that fits in one shard is read as it is, without splitting."""
    files, problems = find_table_files(directory, SCORED_TABLES)
    if problems:
        raise PortfolioError(problems)
    if "businesses" not in files:
        raise PortfolioError([])
    n = _count(files["businesses"])
    if n <= shard_rows:
        say(f"one shard of {n:,} businesses")
        raw, sources, problems = read_folder(directory, SCORED_TABLES)
        if problems:
            raise PortfolioError(problems)
        yield 0, 1, raw, sources
        return
    shards, columns = shard_portfolio(files, n, work, shard_rows)
    say(f"{shards} shard(s) of about {shard_rows:,} businesses")
    for k in range(shards):
        folder = work / f"{k:05d}"
        if folder.exists():
            raw, sources = _read_shard(folder, files, columns)
            yield k, shards, raw, sources


def shard_portfolio(
    files: dict[str, Path], n: int, work: Path, shard_rows: int
) -> tuple[int, dict[str, list[str]]]:
    """Split every table into shards of whole businesses: shard count and each table's
    columns. Shards are Arrow files written piece by piece (LZ4), so memory holds one piece of
    one table at a time however many shards there are."""
    shards = max(1, math.ceil(n / shard_rows))
    applications: list[tuple[np.ndarray, np.ndarray]] = []  # application ids, their shards
    columns: dict[str, list[str]] = {}
    order = ["businesses", "loan_applications"] + [
        t for t in files if t not in ("businesses", "loan_applications")
    ]
    writers: dict[tuple[str, int], pa.ipc.RecordBatchFileWriter] = {}
    options = pa.ipc.IpcWriteOptions(compression="lz4")
    try:
        for table in order:
            if table not in files:
                continue
            known = _application_shards(applications) if table == _HISTORY else None
            for piece in _pieces(files[table]):
                columns.setdefault(table, [c for c in piece.column_names if c != ROW])
                if known is not None:  # an unknown application's rows go to shard 0, to be named
                    ids = np.asarray(piece.column("application_id").to_pandas(), dtype=object)
                    found = known.index.get_indexer(ids)
                    shard = np.where(found >= 0, known.to_numpy()[np.maximum(found, 0)], 0)
                else:
                    shard = _shard_of(piece.column("business_id"), shards)
                if table == "loan_applications":
                    ids = np.asarray(piece.column("application_id").to_pandas(), dtype=object)
                    applications.append((ids, shard))
                by_shard = np.argsort(shard, kind="stable")
                grouped = piece.take(pa.array(by_shard))
                present, starts = np.unique(shard[by_shard], return_index=True)
                ends = [*starts[1:].tolist(), len(by_shard)]
                for k, a, b in zip(present.tolist(), starts.tolist(), ends, strict=True):
                    if (table, k) not in writers:
                        target = work / f"{k:05d}" / f"{table}.arrow"
                        target.parent.mkdir(parents=True, exist_ok=True)
                        writers[table, k] = pa.ipc.new_file(target, grouped.schema, options=options)
                    writers[table, k].write_table(grouped.slice(a, b - a))
    finally:
        for writer in writers.values():
            writer.close()
    return shards, columns


_HISTORY = "application_status_history"


def _application_shards(applications: list[tuple[np.ndarray, np.ndarray]]) -> pd.Series:
    """Each application's shard by its id: a status change goes where its application went."""
    if not applications:
        return pd.Series([], dtype=np.int64)
    ids = np.concatenate([i for i, _ in applications])
    return pd.Series(np.concatenate([s for _, s in applications]), index=ids)


def _read_shard(
    folder: Path, files: dict[str, Path], columns: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    raw, sources = {}, {}
    for table, original in files.items():
        path = folder / f"{table}.arrow"
        first = 2 if original.suffix == ".csv" else 1
        if not path.exists():
            raw[table] = pd.DataFrame(columns=columns.get(table, []), dtype="string")
            sources[table] = Source(original.name, first, ())
            continue
        with pa.memory_map(str(path)) as source:
            frame = pa.ipc.open_file(source).read_all().to_pandas()
        rows = tuple(int(r) for r in frame.pop(ROW))
        raw[table] = frame
        sources[table] = Source(original.name, first, rows)
    return raw, sources


class _Output:
    """Rows appended shard by shard to a hidden file, moved into place only when complete:
    Parquet for a `.parquet` name (one row group per shard), CSV otherwise."""

    def __init__(self, out: Path, columns: dict[str, str]):
        self.out = out
        self.columns = columns
        self.partial = out.with_name(f".{out.name}.partial")
        self.parquet = out.suffix == ".parquet"
        self.writer: pq.ParquetWriter | None = None
        self.started = False

    def append(self, rows: pd.DataFrame) -> None:
        rows = rows.reindex(columns=list(self.columns))
        if self.parquet:
            table = pa.Table.from_pandas(rows, schema=self._schema(), preserve_index=False)
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.partial, table.schema)
            self.writer.write_table(table)
        else:
            rows.to_csv(self.partial, mode="a" if self.started else "w",
                        header=not self.started, index=False)  # fmt: skip
        self.started = True

    def _schema(self) -> pa.Schema:
        kinds = {"text": pa.string(), "float": pa.float64(), "int": pa.int64(),
                 "bool": pa.bool_()}  # fmt: skip
        return pa.schema([(c, kinds[k]) for c, k in self.columns.items()])

    def commit(self) -> None:
        if self.writer is not None:
            self.writer.close()
        if not self.started:
            self.append(pd.DataFrame(columns=list(self.columns)))
            if self.writer is not None:
                self.writer.close()
        self.partial.replace(self.out)

    def discard(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.partial.unlink(missing_ok=True)


def score_portfolio(
    directory: str | Path,
    out: str | Path,
    distress: Scorer,
    *,
    feasibility: Scorer | None = None,
    plans: pd.DataFrame | None = None,
    as_of: str | None = None,
    shard_rows: int = SHARD_ROWS,
    say: Say | None = None,
) -> int:
    """Write `out` (CSV, or Parquet for a `.parquet` name): business_id, distress_probability,
    risk_band, top_reasons, statement age, and the feasibility of the given plans. Returns the
    number of businesses scored."""
    say = say or progress()
    directory, out = Path(directory), Path(out)
    when = pd.Timestamp(as_of) if as_of else pd.Timestamp.today().normalize()
    work = Path(tempfile.mkdtemp(prefix="rescue-score-"))
    output = _Output(out, output_columns(feasibility is not None and plans is not None))
    scored = 0
    try:
        problems = []
        started = time.perf_counter()
        for k, shards, raw, sources in _shards(directory, work, shard_rows, say):
            portfolio, found = validate_frames(raw, sources)
            if found:
                problems += found
                continue
            rows = score_shard(portfolio, when, distress, feasibility, plans)
            if not problems:
                output.append(rows)
            scored += len(rows)
            rate = scored / max(time.perf_counter() - started, 1e-9)
            left = (shards - k - 1) * scored / (k + 1) / rate
            say(f"shard {k + 1}/{shards}: {scored:,} businesses scored,"
                f" {rate:,.0f}/s, about {left:,.0f} s left")  # fmt: skip
        if problems:
            raise PortfolioError(problems)
        output.commit()
    finally:
        shutil.rmtree(work, ignore_errors=True)
        output.discard()
    return scored


def score_shard(
    portfolio: Portfolio,
    when: pd.Timestamp,
    distress: Scorer,
    feasibility: Scorer | None,
    plans: pd.DataFrame | None,
) -> pd.DataFrame:
    """One shard's output rows; the one scoring step of both engines."""
    out = scores_table(distress, portfolio, when)
    if feasibility is None or plans is None:
        return out
    mine = plans[plans["business_id"].isin(set(out["business_id"]))]
    if mine.empty:
        return out
    extra = feasibility_table(feasibility, portfolio, when, mine)
    return out.merge(extra, on="business_id", how="left")
