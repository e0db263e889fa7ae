"""Portfolios larger than memory: tables written block by block to Parquet, one row group each.

A block is a whole small portfolio whose identifiers carry the block's number, so blocks never
share a business, facility, application, case or plan. Blocks are either drawn afresh by the
generator (distinct businesses, seed + block) or copies of an existing portfolio (fast, for
measuring how scoring scales). Only one block is in memory at a time; the folder appears when
every block is written.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from features.portfolio import read_folder
from features.schema import TABLES
from training.progress import Say, progress

BLOCK = 20_000
KEPT = (*TABLES, "truth")  # the generator's explanatory files are not repeated per block


def renamed(tables: dict[str, pd.DataFrame], suffix: str) -> dict[str, pd.DataFrame]:
    """Every table with each identifier column (kind "id" in the schema) suffixed, as text."""
    out = {}
    for name, frame in tables.items():
        if name not in KEPT:
            continue
        ids = {c.name for c in TABLES[name].columns if c.kind == "id"} if name in TABLES else set()
        ids |= {c for c in frame.columns if c in ("business_id", "restructuring_id")}
        text = frame.astype("string")
        for column in ids & set(text.columns):
            text[column] = text[column] + suffix
        out[name] = text
    return out


def write_blocks(blocks: Iterable[dict[str, pd.DataFrame]], out: Path, say: Say) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    writers: dict[str, pq.ParquetWriter] = {}
    try:
        for k, tables in enumerate(blocks):
            for name, frame in tables.items():
                schema = pa.schema([(c, pa.string()) for c in frame.columns])
                table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
                if name not in writers:
                    writers[name] = pq.ParquetWriter(staging / f"{name}.parquet", schema)
                writers[name].write_table(table)
            say(f"block {k + 1}: {sum(len(f) for f in tables.values()):,} rows written")
        for writer in writers.values():
            writer.close()
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        for writer in writers.values():
            writer.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out


def generated_blocks(
    businesses: int, seed: int, block: int = BLOCK, variant: str | None = None
) -> Iterator[dict[str, pd.DataFrame]]:
    """Fresh businesses, `block` at a time, each block with its own seed."""
    from training.synthetic.generator import generate

    for k, start in enumerate(range(0, businesses, block)):
        tables = generate(min(block, businesses - start), seed + k, variant=variant)
        yield renamed(tables, f"-{k:04d}")


def copied_blocks(folder: Path, copies: int) -> Iterator[dict[str, pd.DataFrame]]:
    """`copies` copies of a portfolio, told apart by their identifiers."""
    raw, _, problems = read_folder(folder)
    if problems:
        raise ValueError(f"{folder}: {problems[0]}")
    for k in range(copies):
        yield renamed(raw, f"-{k:04d}")


def write_copies(folder: Path, out: Path, copies: int, say: Say | None = None) -> Path:
    return write_blocks(copied_blocks(folder, copies), out, say or progress())
