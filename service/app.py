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

from service import errors, logs
from service.auth import TokenCache
from service.batching import ScoreBatcher
from service.db import Database, upgrade
from service.routes import applications, cases, models, plans, scores
from service.runtime import ModelStore, ReloadWatcher
from service.settings import Settings, get_settings
from service.web import pages
from service.web.pages import SignInRequiredError


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logs.configure(settings.log_level, settings.log_format)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade(settings.database_url)
        if settings.load_models:
            app.state.models.load()
        # Everything loaded so far lives as long as the process: keep it out of the collector's
        # full passes, which otherwise stall every request in flight for a few hundred ms.
        gc.collect()
        gc.freeze()
        app.state.reloads.start()
        yield
        app.state.reloads.stop()
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
    app.state.reloads = ReloadWatcher(app.state.db, app.state.models, settings.reload_poll_seconds)
    app.state.tokens = TokenCache(settings.token_cache_seconds)
    app.state.batcher = ScoreBatcher()
    for module in (cases, plans, scores, applications, models, pages):
        app.include_router(module.router)
    errors.install(app)
    app.add_middleware(logs.RequestLog)
    app.mount("/static", StaticFiles(directory=pages.HERE / "static"), name="static")

    @app.exception_handler(SignInRequiredError)
    def _sign_in(_request: Request, _exc: SignInRequiredError) -> RedirectResponse:
        return RedirectResponse("/ui/login", status_code=303)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/ui/login")

    @app.get("/health", tags=["health"])
    def health() -> dict[str, Any]:
        snapshot = app.state.models.snapshot
        return {
            "status": "ok",
            "worker": os.getpid(),
            "models": {n: m.version for n, m in snapshot.models.items()},
            "scoring": {"requests": app.state.batcher.scored, "passes": app.state.batcher.passes},
        }

    return app
