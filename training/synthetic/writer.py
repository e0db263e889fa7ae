"""Writing a generated portfolio to a folder, all or nothing."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pandas as pd


def write_tables(tables: dict[str, pd.DataFrame], out: str | Path, fmt: str = "csv") -> Path:
    """Write each table as `<name>.<fmt>`; the folder appears only once every file is written.

    Files are byte-identical for identical tables: CSV is written with a fixed line ending and
    Parquet without timestamps in its metadata.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"unknown format {fmt!r}: use csv or parquet")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        for name, frame in tables.items():
            path = staging / f"{name}.{fmt}"
            if fmt == "csv":
                frame.to_csv(path, index=False, lineterminator="\n")
            else:
                frame.to_parquet(path, index=False)
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out
