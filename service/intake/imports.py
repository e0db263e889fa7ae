"""Files as Thai users have them, read for intake: the import report and, for each business, the
case payload it would register (nothing is saved until the user confirms)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from features import PortfolioError, frames_to_portfolio
from features.imports.import_limits import ImportTooLargeError
from features.imports.import_report import ImportReport
from features.imports.importing import import_files
from service.kit.errors import InvalidInputError, PayloadTooLargeError
from service.kit.payloads import business_payloads

MAX_IMPORT_FILES = 20


@dataclass
class ImportPreview:
    report: ImportReport
    payloads: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.report.errors and not self.problems and bool(self.payloads)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "report": [
                {"kind": e.kind, "where": e.where(), "en": e.text("en"), "th": e.text("th")}
                for e in self.report.entries
            ],
            "problems": self.problems,
            "businesses": self.payloads,
        }


def preview_import(files: Sequence[tuple[str, bytes]]) -> ImportPreview:
    """Read the files, validate the portfolio they make, and build each business's payload."""
    if len(files) > MAX_IMPORT_FILES:
        raise InvalidInputError(f"{len(files)} files: at most {MAX_IMPORT_FILES}")
    try:
        result = import_files(files)
    except ImportTooLargeError as exc:
        raise PayloadTooLargeError(str(exc)) from None
    preview = ImportPreview(result.report)
    if result.report.errors or "businesses" not in result.tables:
        return preview
    try:
        portfolio = frames_to_portfolio(result.tables)
    except PortfolioError as exc:
        preview.problems = [str(p) for p in exc.problems[:200]]
        return preview
    preview.payloads = list(business_payloads(portfolio))
    return preview
