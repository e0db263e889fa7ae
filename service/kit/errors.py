"""The service's errors: one base type with a status code, one handler on the app.

Service modules raise these and never HTTP exceptions; the handler turns them into the same
`{"detail": ...}` body FastAPI uses for its own errors, so clients read one error shape.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from features.problems import MAX_PROBLEMS_SHOWN, Problem
from models.plans.programmes import RulesNotInForceError


class ServiceError(Exception):
    """An error the client can act on: its status code and a message (or a list of details)."""

    status_code = 400
    default_headers: ClassVar[dict[str, str] | None] = None

    def __init__(self, detail: str | list[dict[str, Any]]):
        super().__init__(detail if isinstance(detail, str) else "invalid input")
        self.detail = detail
        self.headers = self.default_headers


class UnauthorizedError(ServiceError):
    status_code = 401
    default_headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class ForbiddenError(ServiceError):
    status_code = 403


class NotFoundError(ServiceError):
    status_code = 404


class ConflictError(ServiceError):
    status_code = 409


class PreconditionFailedError(ServiceError):
    """An If-Match that names a version the record no longer has."""

    status_code = 412


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
        for p in problems[:MAX_PROBLEMS_SHOWN]:
            table = p.file.removesuffix(".csv")
            loc: list[str | int] = [*prefix, table]
            if table != "businesses" and p.row is not None:
                loc.append(p.row - 1)
            if p.column:
                loc.append(p.column)
            details.append({"loc": loc, "msg": p.message, "type": "value_error"})
        if len(problems) > MAX_PROBLEMS_SHOWN:
            more = f"... and {len(problems) - MAX_PROBLEMS_SHOWN:,} more problems"
            details.append({"loc": list(prefix), "msg": more, "type": "value_error"})
        super().__init__(details)


class ModelUnavailableError(ServiceError):
    status_code = 503

    def __init__(self, name: str, reason: str):
        super().__init__(
            f"no {name} model is loaded ({reason}); "
            "train and promote a champion, then POST /models/reload"
        )


class TooManyRequestsError(ServiceError):
    status_code = 429

    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.headers = {"Retry-After": str(retry_after)}


def _safe(value: object) -> str | int:
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)[:200]


def validation_details(errors: Sequence[Any]) -> list[dict[str, Any]]:
    """Validation errors as JSON that always encodes: where, what and its type, never the
    offending input itself (it may be NaN, a lone surrogate or megabytes long)."""
    return [
        {
            "loc": [_safe(part) for part in error.get("loc", ())],
            "msg": str(error.get("msg", "invalid"))[:500],
            "type": str(error.get("type", "value_error")),
        }
        for error in errors
    ]


class ErrorDetail(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ErrorResponse(BaseModel):
    """Every error the service answers: a message, or the fields that were wrong."""

    detail: str | list[ErrorDetail]


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": description}
    for code, description in (
        (400, "a body that cannot be parsed (not JSON, or a broken form)"),
        (401, "no key or session, or an unknown, expired or deactivated one"),
        (403, "the role or scope does not allow it, or a cross-site request"),
        (404, "no such record within the caller's scope"),
        (409, "conflicts with what is on record"),
        (412, "an If-Match naming a version the record no longer has"),
        (413, "request body too large"),
        (422, "invalid input: the fields that were wrong"),
        (429, "too many requests: see Retry-After"),
        (503, "no model loaded"),
    )
}


# A page for an error on the web pages: (request, status, message) -> response.
PageRenderer = Callable[[Request, int, str], Response]


def message_of(detail: str | list[dict[str, Any]]) -> str:
    if isinstance(detail, str):
        return detail
    return "; ".join(f"{d['loc'][-1] if d.get('loc') else ''}: {d['msg']}" for d in detail)


def install(app: FastAPI, pages: tuple[str, PageRenderer] | None = None) -> None:
    """Answer every ServiceError with its status and `{"detail": ...}` (on the web pages under
    the prefix of `pages`, with an HTML page in the user's language instead), and validation
    errors with details that cannot fail to encode."""

    @app.exception_handler(ServiceError)
    async def _service_error(request: Request, exc: ServiceError) -> Response:
        if pages is not None and request.url.path.startswith(pages[0]):
            return pages[1](request, exc.status_code, message_of(exc.detail))
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)

    @app.exception_handler(RulesNotInForceError)
    async def _before_the_rules(request: Request, exc: RulesNotInForceError) -> Response:
        # Every date the advice is worked out on is an as-of date (given, or today's).
        message = (
            f"{exc.on} is before the programme rules cover ({exc.earliest} on): "
            f"give an as_of on or after {exc.earliest}"
        )
        return await _service_error(request, InvalidInputError.field(["as_of"], message))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_details(exc.errors())}, 422)
