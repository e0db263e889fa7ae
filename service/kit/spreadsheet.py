"""CSV for people: cells a spreadsheet would run as a formula are neutralised.

A text cell starting with =, +, -, @, a tab or a carriage return is prefixed with a single quote,
so a name such as `=HYPERLINK(...)` shows as text in Excel or LibreOffice instead of running.
Numbers stay numbers (a negative amount is not text).
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from fastapi.responses import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise)
    return safe


def to_csv(frame: pd.DataFrame) -> str:
    return str(neutralised(frame).to_csv(index=False))


class CSVResponse(Response):
    media_type = "text/csv"


CSV_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}}
}


def csv_download(frame: pd.DataFrame, filename: str) -> CSVResponse:
    return CSVResponse(
        to_csv(frame), headers={"Content-Disposition": f"attachment; filename={filename}"}
    )


XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SPREADSHEET_CONTENT: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            XLSX_MEDIA: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


def xlsx_download(frame: pd.DataFrame, filename: str) -> Response:
    """The same table as an Excel workbook, formula-like text neutralised as in CSV."""
    buffer = io.BytesIO()
    neutralised(frame).to_excel(buffer, index=False, engine="openpyxl")
    return Response(
        buffer.getvalue(), media_type=XLSX_MEDIA,
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )  # fmt: skip
