"""CSV for people: cells a spreadsheet would run as a formula are neutralised.

A text cell starting with =, +, -, @, a tab or a carriage return is prefixed with a single quote,
so a name such as `=HYPERLINK(...)` shows as text in Excel or LibreOffice instead of running.
Numbers stay numbers (a negative amount is not text).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from fastapi.responses import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> str:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return str(safe.to_csv(index=False))


class CSVResponse(Response):
    media_type = "text/csv"


CSV_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}}
}


def csv_download(frame: pd.DataFrame, filename: str) -> CSVResponse:
    return CSVResponse(
        to_csv(frame), headers={"Content-Disposition": f"attachment; filename={filename}"}
    )
