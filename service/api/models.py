"""Which model versions the service scores with, and swapping in new champions."""

from __future__ import annotations

from fastapi import APIRouter, Request

from models.specs import SPECS
from service.api.deps import ModelManager, ModelReader
from service.kit import schemas
from service.kit.runtime import Snapshot

router = APIRouter(prefix="/models", tags=["models"])


def describe(snapshot: Snapshot) -> list[schemas.ModelInfo]:
    out = []
    for name in SPECS:
        loaded = snapshot.get(name)
        out.append(
            schemas.ModelInfo(
                name=name,
                version=loaded.version if loaded else None,
                loaded_at=loaded.loaded_at if loaded else None,
                error=snapshot.errors.get(name),
            )
        )
    return out


@router.get("", response_model=list[schemas.ModelInfo])
def loaded_models(request: Request, user: ModelReader) -> list[schemas.ModelInfo]:
    return describe(request.app.state.models.snapshot)


@router.post("/reload", response_model=list[schemas.ModelInfo])
def reload_models(request: Request, user: ModelManager) -> list[schemas.ModelInfo]:
    """Load the current champions in this worker now, and in every other worker within
    `reload_poll_seconds`; requests in flight finish on the models they started with."""
    request.app.state.reloads.request(user.name)
    return describe(request.app.state.models.load())
