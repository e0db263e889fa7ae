"""Reading a portfolio folder into validated, typed tables, and writing tables as one.

A portfolio is a folder with one CSV or Parquet file per table, named after the table. Only
`businesses` is required. Every absent table or optional column comes back empty and typed, so
the feature code never has to ask whether something was supplied.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from features.columns import Columns, frame_columns
from features.problems import PortfolioError, Problem, Source
from features.schema import TABLES
from features.validation import (
    cast_table,
    check_relations,
    columns_frame,
    empty_frame,
    parse_table,
    statement_warnings,
    tax_id_problems,
)

SUFFIXES = (".csv", ".parquet")


def typed_columns(frames: Mapping[str, pd.DataFrame]) -> dict[str, Columns]:
    """Typed tables as NumPy columns, every declared column included."""
    return {name: frame_columns(frame, frame.columns) for name, frame in frames.items()}


@dataclass
class Portfolio:
    """The validated tables of one portfolio, keyed by table name."""

    tables: dict[str, pd.DataFrame]
    supplied: frozenset[str] = field(default_factory=frozenset)
    warnings: tuple[Problem, ...] = ()  # rows kept, but worth a reader's check

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def business_ids(self) -> pd.Index:
        return pd.Index(self.tables["businesses"]["business_id"])

    def subset(self, business_ids: pd.Index | list[str]) -> Portfolio:
        """The same portfolio restricted to some businesses (for chunked scoring)."""
        wanted = set(business_ids)
        tables: dict[str, pd.DataFrame] = {}
        for name, frame in self.tables.items():
            if "business_id" in frame.columns:
                keep = frame["business_id"].isin(wanted)
            elif name == "application_status_history":
                apps = set(tables["loan_applications"]["application_id"])
                keep = frame["application_id"].isin(apps)
            else:
                keep = pd.Series(True, index=frame.index)
            tables[name] = frame[keep].reset_index(drop=True)
        return Portfolio(tables, self.supplied)


def file_name(location: str) -> str:
    """The last part of a path or a URI."""
    return location.rstrip("/").rsplit("/", 1)[-1]


def locate_tables(
    root: str, names: Iterable[str], exists: Callable[[str], bool]
) -> tuple[dict[str, str], list[Problem]]:
    """The file of each table named (CSV or Parquet) under `root`, a folder or a URI, asking
    `exists` of each candidate; a table found in both formats is a problem."""
    files: dict[str, str] = {}
    problems: list[Problem] = []
    for name in names:
        found = [f"{root.rstrip('/')}/{name}{s}" for s in SUFFIXES]
        found = [candidate for candidate in found if exists(candidate)]
        if len(found) > 1:
            first, second = (file_name(f) for f in found[:2])
            problems.append(Problem(second, None, None, f"both {first} and {second}"))
        if found:
            files[name] = found[0]
    return files, problems


def find_table_files(
    directory: Path, names: Iterable[str] = TABLES
) -> tuple[dict[str, Path], list[Problem]]:
    """The file of each table named (CSV or Parquet) found in `directory`."""
    files, problems = locate_tables(str(directory), names, lambda p: Path(p).exists())
    return {name: Path(path) for name, path in files.items()}, problems


def portfolio_date(portfolio: Portfolio) -> dt.date:
    """The date a portfolio describes: its latest facility snapshot or case receipt, never
    later than today. A snapshot is judged on what was known then, not on how old it is now."""
    dates = [
        frame[column].max()
        for frame, column in ((portfolio.debts, "as_of"), (portfolio.cases, "received_at"))
        if column in frame and len(frame)
    ]
    latest = max((d.date() for d in dates if pd.notna(d)), default=dt.date.today())
    return min(latest, dt.date.today())


def read_raw(path: Path) -> pd.DataFrame:
    """Read a table file as text cells (CSV) or as stored (Parquet), without interpreting it."""
    if path.suffix != ".csv":
        return pd.read_parquet(path)
    text = {"dtype": str, "keep_default_na": False, "na_values": [""], "encoding": "utf-8-sig"}
    try:
        return pd.read_csv(path, engine="pyarrow", **text)
    except pd.errors.ParserError:
        # Arrow's reader is three times faster but refuses a row with a missing cell, which
        # pandas' own reads as empty (and names the line of a row it cannot read at all).
        return pd.read_csv(path, **text)


def validate_frames(
    raw_tables: Mapping[str, pd.DataFrame], sources: Mapping[str, Source]
) -> tuple[Portfolio, list[Problem]]:
    """Type and check in-memory tables; returns the portfolio and every problem found."""
    problems: list[Problem] = []
    typed: dict[str, pd.DataFrame] = {}
    for name, table in TABLES.items():
        if name in raw_tables:
            typed[name], found = parse_table(table, raw_tables[name], sources[name])
            problems += found
        else:
            typed[name] = empty_frame(table)
            if table.required:
                problems.append(Problem(f"{name}.csv", None, None, "required table is missing"))
    all_sources = {name: sources.get(name, Source(f"{name}.csv", 2)) for name in TABLES}
    columns = typed_columns(typed)
    problems += check_relations(columns, all_sources)
    warnings = statement_warnings(columns, all_sources["financial_statements"])
    return Portfolio(typed, frozenset(raw_tables), tuple(warnings)), problems


def read_folder(
    directory: Path, names: Iterable[str] = TABLES
) -> tuple[dict[str, pd.DataFrame], dict[str, Source], list[Problem]]:
    """Each named table's file in a folder as read (cells uninterpreted), where its rows start,
    and the files that could not be found or read."""
    files, problems = find_table_files(directory, names)
    raw: dict[str, pd.DataFrame] = {}
    sources: dict[str, Source] = {}
    for name, path in files.items():
        try:
            raw[name] = read_raw(path)
        except (ValueError, OSError, pd.errors.ParserError) as exc:
            problems.append(Problem(path.name, None, None, f"cannot be read: {exc}"))
            continue
        first = 2 if path.suffix == ".csv" else 1
        sources[name] = Source(path.name, first, tuple(range(first, first + len(raw[name]))))
    return raw, sources, problems


def validate_portfolio(directory: str | Path) -> tuple[Portfolio, list[Problem]]:
    """Check a portfolio folder and return every problem, without raising."""
    directory = Path(directory)
    if not directory.is_dir():
        return Portfolio({}), [Problem(str(directory), None, None, "not a folder")]
    raw, sources, problems = read_folder(directory)
    portfolio, found = validate_frames(raw, sources)
    return portfolio, problems + found


def load_portfolio(directory: str | Path) -> Portfolio:
    """Load a portfolio folder; raises `PortfolioError` listing every problem if any."""
    portfolio, problems = validate_portfolio(directory)
    if problems:
        raise PortfolioError(problems)
    return portfolio


def check_columns(tables: Mapping[str, Columns]) -> list[Problem]:
    """Tax-id check digits, keys, foreign keys and the cross-column rules of typed tables whose
    cells were checked one by one already (the API's request models are generated from this
    schema); problems name the table and its record number."""
    sources = {name: Source(name, 1) for name in TABLES}
    problems: list[Problem] = []
    for name, table in TABLES.items():
        problems += tax_id_problems(table, tables[name], sources[name])
    return problems + check_relations(tables, sources)


def typed_frames_to_portfolio(frames: Mapping[str, pd.DataFrame]) -> Portfolio:
    """Tables whose cells were checked one by one already: cast them, then `check_columns`."""
    typed: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for name, table in TABLES.items():
        frame = frames.get(name)
        if frame is None:
            typed[name] = empty_frame(table)
            if table.required:
                problems.append(Problem(name, None, None, "required table is missing"))
            continue
        typed[name] = cast_table(table, frame.reset_index(drop=True))
    problems += check_columns(typed_columns(typed))
    if problems:
        raise PortfolioError(problems)
    return Portfolio(typed, frozenset(frames))


def columns_portfolio(tables: Mapping[str, Columns], supplied: frozenset[str]) -> Portfolio:
    """A portfolio of typed columns that passed `check_columns` already."""
    return Portfolio(
        {name: columns_frame(table, tables[name]) for name, table in TABLES.items()}, supplied
    )


def frames_to_portfolio(frames: Mapping[str, pd.DataFrame]) -> Portfolio:
    """Validate in-memory tables (tests, API intake); raises `PortfolioError` on any problem."""
    sources = {name: Source(name, 1) for name in frames}
    portfolio, problems = validate_frames(frames, sources)
    if problems:
        raise PortfolioError(problems)
    return portfolio


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
