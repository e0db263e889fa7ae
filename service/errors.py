"""The service's errors: one base type with a status code, one handler on the app.

Service modules raise these and never HTTP exceptions; the handler turns them into the same
`{"detail": ...}` body FastAPI uses for its own errors, so clients read one error shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from features.validation import Problem


class ServiceError(Exception):
    """An error the client can act on: its status code and a message (or a list of details)."""

    status_code = 400
    headers: ClassVar[dict[str, str] | None] = None

    def __init__(self, detail: str | list[dict[str, Any]]):
        super().__init__(detail if isinstance(detail, str) else "invalid input")
        self.detail = detail


class UnauthorizedError(ServiceError):
    status_code = 401
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class ForbiddenError(ServiceError):
    status_code = 403


class NotFoundError(ServiceError):
    status_code = 404


class ConflictError(ServiceError):
    status_code = 409


class PayloadTooLargeError(ServiceError):
    status_code = 413


class InvalidInputError(ServiceError):
    status_code = 422

    @classmethod
    def field(cls, loc: Sequence[str | int], message: str) -> InvalidInputError:
        return cls([{"loc": list(loc), "msg": message, "type": "value_error"}])


class InvalidPortfolioError(InvalidInputError):
    """Portfolio problems as validation details with a field path under `prefix`."""

    def __init__(self, problems: Sequence[Problem], prefix: tuple[str, ...] = ("body",)):
        details = []
        for p in problems:
            table = p.file.removesuffix(".csv")
            loc: list[str | int] = [*prefix, table]
            if table != "businesses" and p.row is not None:
                loc.append(p.row - 1)
            if p.column:
                loc.append(p.column)
            details.append({"loc": loc, "msg": p.message, "type": "value_error"})
        super().__init__(details)


class ModelUnavailableError(ServiceError):
    status_code = 503

    def __init__(self, name: str, reason: str):
        super().__init__(
            f"no {name} model is loaded ({reason}); "
            "train and promote a champion, then POST /models/reload"
        )


def install(app: FastAPI) -> None:
    """Answer every ServiceError with its status and `{"detail": ...}`."""

    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
