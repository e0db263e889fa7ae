"""What is wrong with a portfolio, and where: the file, the row as the user sees it (the line
number in a CSV, the record number in a Parquet file) and the column, so a user can go straight
to the cell."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

# A report lists this many problems and counts the rest.
MAX_PROBLEMS_SHOWN = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a portfolio, at a place the user can find."""

    file: str
    row: int | None
    column: str | None
    message: str
    severity: str = "error"  # a "warning" keeps its row: real statements break it legitimately

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        message = f"warning: {self.message}" if self.severity == "warning" else self.message
        return f"{where}: {self.column}: {message}" if self.column else f"{where}: {message}"


class PortfolioError(ValueError):
    """Raised instead of returning a portfolio that has any problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        shown = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the portfolio:\n{shown}{more}")


@dataclass(frozen=True)
class Source:
    """Where a table came from, to report rows as the user numbers them."""

    file: str
    first_row: int  # the row label of the first record: 2 for a CSV with its header, else 1
    rows: tuple[int, ...] | None = None  # explicit labels, for tables read in pieces

    def row(self, position: int | np.integer[Any]) -> int:
        if self.rows is not None:
            return self.rows[int(position)]
        return int(position) + self.first_row


def problems_at(
    mask: pd.Series | np.ndarray,
    source: Source,
    column: str,
    message: str,
    values: pd.Series | np.ndarray | None = None,
    severity: str = "error",
) -> list[Problem]:
    """One problem per row where `mask` holds; `{value}` in the message is that row's value."""
    if isinstance(mask, pd.Series):
        mask = mask.to_numpy(dtype=bool, na_value=False)
    where = np.flatnonzero(mask)
    if len(where) == 0:
        return []
    shown: list[Any] | None = None
    if values is not None:
        # Python objects, so a message shows 1.5 and 'text' rather than NumPy's reprs
        if isinstance(values, pd.Series):
            shown = list(values.iloc[where].to_numpy(dtype=object))
        elif values.dtype.kind in "biuf":
            shown = values[where].tolist()
        else:
            shown = list(values[where])
    return [
        Problem(
            source.file,
            source.row(pos),
            column,
            message if shown is None else message.format(value=shown[i]),
            severity,
        )
        for i, pos in enumerate(where.tolist())
    ]
