"""Which model versions the service scores with, and swapping in new champions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from models.specs import SPECS
from service import schemas
from service.auth import Role, User, require

router = APIRouter(prefix="/models", tags=["models"])


def _describe(request: Request) -> list[schemas.ModelInfo]:
    snapshot = request.app.state.models.snapshot
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
def loaded_models(
    request: Request, user: Annotated[User, Depends(require(Role.analyst, Role.data_scientist))]
) -> list[schemas.ModelInfo]:
    return _describe(request)


@router.post("/reload", response_model=list[schemas.ModelInfo])
def reload_models(
    request: Request, user: Annotated[User, Depends(require(Role.data_scientist))]
) -> list[schemas.ModelInfo]:
    """Load the current champions in this worker now, and in every other worker within
    `reload_poll_seconds`; requests in flight finish on the models they started with."""
    request.app.state.reloads.request(user.name)
    request.app.state.models.load()
    return _describe(request)
