"""The FastAPI application: settings, database, models and routers."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from service.access.auth import TokenCache, user_for_key
from service.access.guards import BodyLimit, SecurityHeaders
from service.access.rate_limits import SharedRateLimiter
from service.api import (
    applications,
    audit,
    businesses,
    cases,
    casework,
    dashboard,
    models,
    monitoring,
    plans,
    scores,
)
from service.cases.assess_pool import Assessor
from service.kit import errors, logs
from service.kit.audit import AuditLog
from service.kit.errors import ERROR_RESPONSES
from service.kit.runtime import ModelStore, ReloadWatcher
from service.kit.settings import Settings, get_settings
from service.scoring.batching import ScoreBatcher
from service.store.db import Database, refresh_statistics, upgrade
from service.store.queue_counts import CountCache
from service.web import intake, pages
from service.web.pages import SignInRequiredError


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logs.configure(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(settings.database_url)
        refresh_statistics(app.state.db.engine)
        if settings.load_models:
            app.state.models.load()
            app.state.assessor.start(app.state.models.snapshot)
        # Everything loaded so far lives as long as the process: keep it out of the collector's
        # full passes, which otherwise stall every request in flight for a few hundred ms.
        gc.collect()
        gc.freeze()
        app.state.reloads.start()
        yield
        app.state.reloads.stop()
        app.state.assessor.stop()
        app.state.db.engine.dispose()

    app = FastAPI(
        title="SME Rescue decision support",
        version="0.1.0",
        description="Distress and restructuring-feasibility scores with exact SHAP reason codes.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = Database(settings.database_url)
    app.state.models = ModelStore(settings.tracking_uri)
    app.state.assessor = Assessor(settings.tracking_uri, settings.assess_processes)
    app.state.counts = CountCache(app.state.db.engine, settings.queue_counts_seconds)
    app.state.reloads = ReloadWatcher(app.state.db, app.state.models, settings.reload_poll_seconds)
    app.state.tokens = TokenCache(settings.token_cache_seconds)
    app.state.rate = SharedRateLimiter(
        settings.rate_limit_per_minute, app.state.db.engine, settings.rate_limit_sync_seconds
    )
    app.state.batcher = ScoreBatcher()
    routers = (
        cases,
        casework,
        monitoring,
        dashboard,
        businesses,
        plans,
        scores,
        applications,
        models,
        audit,
        pages,
        intake,
    )
    for module in routers:
        app.include_router(module.router, responses=ERROR_RESPONSES)
    errors.install(app, pages=("/ui/", pages.error_page))
    # The last added runs first: a request id, then headers, the body limit and the audit row.
    app.add_middleware(AuditLog, db=app.state.db)
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, max_upload_bytes=settings.max_upload_bytes
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(logs.RequestLog)
    app.mount("/static", StaticFiles(directory=pages.HERE / "static"), name="static")

    @app.exception_handler(SignInRequiredError)
    def _sign_in(_request: Request, _exc: SignInRequiredError) -> RedirectResponse:
        return RedirectResponse("/ui/login", status_code=303)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/login")

    @app.get("/health", tags=["health"])
    def health(request: Request) -> dict[str, Any]:
        """ "ok" for anyone; with a valid key also the worker, its models and its scoring."""
        header = request.headers.get("authorization", "")
        token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
        if not token or user_for_key(request, token) is None:
            return {"status": "ok"}
        snapshot = app.state.models.snapshot
        return {
            "status": "ok",
            "worker": os.getpid(),
            "models": {n: m.version for n, m in snapshot.models.items()},
            "scoring": {"requests": app.state.batcher.scored, "passes": app.state.batcher.passes},
            "assessments_by_helpers": app.state.assessor.helped,
        }

    return app
