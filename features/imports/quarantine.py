"""Loading what is valid of a dirty portfolio: every row with a problem is set aside with its
reasons, and so is every row that depended on one set aside (a facility of a rejected business),
until what remains validates. Problems that concern a whole file or column (a missing table or
column, an unreadable file) are not quarantined: nothing is loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from features.portfolio import Portfolio, read_folder, validate_frames
from features.problems import Problem, Source

MAX_PASSES = 10  # each pass can only reject rows that depend on rows rejected before


@dataclass
class Quarantined:
    portfolio: Portfolio | None  # None when a problem is not about rows
    rejected: pd.DataFrame  # file, row, column, reason, values
    fatal: list[Problem]

    def summary(self) -> str:
        if self.portfolio is None:
            return f"{len(self.fatal)} problem(s) not about rows: nothing loaded"
        loaded = ", ".join(
            f"{n}={len(f):,}"
            for n, f in self.portfolio.tables.items()
            if n in self.portfolio.supplied
        )
        by_file = (
            self.rejected.groupby("file")["row"].nunique().to_dict() if len(self.rejected) else {}
        )
        set_aside = ", ".join(f"{f}={n:,}" for f, n in sorted(by_file.items())) or "none"
        return f"loaded {loaded}; rows set aside: {set_aside}"


def quarantine(directory: str | Path) -> Quarantined:
    directory = Path(directory)
    raw, sources, fatal = read_folder(directory)
    rejected: list[dict[str, object]] = []
    portfolio = None
    for _ in range(MAX_PASSES):
        portfolio, problems = validate_frames(raw, sources)
        labelled = {(s.file, label) for s in sources.values() for label in s.rows or ()}
        # A problem at no data row (a header, a whole file) cannot be set aside.
        fatal += [p for p in problems if (p.file, p.row) not in labelled]
        if fatal:
            return Quarantined(None, _frame(rejected), fatal)
        if not problems:
            break
        for name, source in sources.items():
            reasons: dict[int, list[Problem]] = {}
            for p in problems:
                if p.file == source.file and p.row is not None:
                    reasons.setdefault(p.row, []).append(p)
            if not reasons:
                continue
            labels = source.rows or ()
            keep = [label not in reasons for label in labels]
            for position, label in enumerate(labels):
                if label in reasons:
                    values = raw[name].iloc[position].to_dict()
                    shown = "; ".join(f"{k}={v}" for k, v in values.items() if pd.notna(v))
                    for p in reasons[label]:
                        rejected.append({"file": source.file, "row": label, "column": p.column,
                                         "reason": p.message, "values": shown})  # fmt: skip
            raw[name] = raw[name][keep].reset_index(drop=True)
            sources[name] = Source(
                source.file, source.first_row, tuple(lab for lab in labels if lab not in reasons)
            )
    return Quarantined(portfolio, _frame(rejected), fatal)


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["file", "row", "column", "reason", "values"])
