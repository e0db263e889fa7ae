"""Logging for the service and the command line: one line per event, text or JSON.

Every request is logged once, when its response has been sent, with a request id (the client's
`X-Request-ID` if it sent a sane one, else a new one, echoed in the response), the user, the
route, the status and the latency. `RESCUE_LOG_LEVEL` and `RESCUE_LOG_FORMAT` choose the level
and the format.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.types import Message, Receive, Scope, Send

from service.kit.middleware import HttpMiddleware

log = logging.getLogger("service.requests")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class JsonFormatter(logging.Formatter):
    """A JSON object per line: time, level, logger, message and the record's `fields`."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """The message, then the record's `fields` as key=value."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {})
        text = record.getMessage()
        if fields:
            text += " " + " ".join(f"{k}={v}" for k, v in fields.items())
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


# Warnings that say nothing to act on: the pyfunc's predict has no type hints on purpose.
BENIGN_WARNINGS = ("Add type hints to the `predict` method",)


def _not_benign(record: logging.LogRecord) -> bool:
    message = record.getMessage()
    return not any(text in message for text in BENIGN_WARNINGS)


def configure(level: str = "INFO", fmt: str = "text") -> None:
    """Send every logger's records, warnings included, to standard error in one format."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    logging.captureWarnings(True)
    warnings_log = logging.getLogger("py.warnings")
    if _not_benign not in warnings_log.filters:
        warnings_log.addFilter(_not_benign)


class RequestLog(HttpMiddleware):
    """ASGI middleware: a request id for every request and one log line when it is answered."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        state = scope.setdefault("state", {})
        state["request_id"] = request_id
        start = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            fields = {
                "request_id": request_id,
                "method": scope["method"],
                "route": getattr(route, "path", scope["path"]),
                "status": status,
                "ms": round(1000 * (time.perf_counter() - start), 2),
                "user": state.get("user"),
            }
            log.info("request", extra={"fields": fields})
