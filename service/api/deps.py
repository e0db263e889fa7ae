"""Request dependencies every router shares: the connection, the model snapshot, the user by
permission. Routes declare what they need with these `Annotated` aliases and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy import Connection

from service.access.auth import current_user
from service.cases.assessments import Assess
from service.kit.errors import ForbiddenError
from service.kit.roles import Permission, User
from service.kit.runtime import Snapshot
from service.kit.settings import Settings
from service.store.queue_counts import CountCache


def _connection(request: Request) -> Iterator[Connection]:
    with request.app.state.db.engine.begin() as connection:
        yield connection


# scope="function": the transaction commits before the response is sent, so a client that
# retries or reads right after a write sees it (the default scope commits after sending).
Conn = Annotated[Connection, Depends(_connection, scope="function")]


def _snapshot(request: Request) -> Snapshot:
    snapshot: Snapshot = request.app.state.models.snapshot
    return snapshot


# One snapshot of the loaded models per request: a reload never mixes versions inside it.
Models = Annotated[Snapshot, Depends(_snapshot)]


def _assessor(request: Request) -> Assess:
    assess: Assess = request.app.state.assessor
    return assess


def _counts(request: Request) -> CountCache:
    counts: CountCache = request.app.state.counts
    return counts


QueueCounts = Annotated[CountCache, Depends(_counts)]


# What computes a case's assessment: the worker's helper processes, or the request's thread.
Assessing = Annotated[Assess, Depends(_assessor)]


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


AppSettings = Annotated[Settings, Depends(_settings)]


class Allowed:
    """Dependency: the current user, if their role has `permission` (the permission matrix
    test reads which permission each route asks for from here)."""

    def __init__(self, permission: Permission):
        self.permission = permission

    async def __call__(self, user: Annotated[User, Depends(current_user)]) -> User:
        if not user.may(self.permission):
            raise ForbiddenError(f"role {user.role} may not do this")
        return user


def allowed(permission: Permission) -> Allowed:
    return Allowed(permission)


CaseReader = Annotated[User, Depends(allowed(Permission.read_cases))]
CaseRegistrar = Annotated[User, Depends(allowed(Permission.register_cases))]
CaseWorker = Annotated[User, Depends(allowed(Permission.work_cases))]
AssessmentReader = Annotated[User, Depends(allowed(Permission.read_assessments))]
ScoringUser = Annotated[User, Depends(allowed(Permission.score))]
ApplicationReader = Annotated[User, Depends(allowed(Permission.read_applications))]
ModelReader = Annotated[User, Depends(allowed(Permission.read_models))]
ModelManager = Annotated[User, Depends(allowed(Permission.manage_models))]
ApplicationFollower = Annotated[User, Depends(allowed(Permission.follow_applications))]
Auditor = Annotated[User, Depends(allowed(Permission.read_audit))]
CaseAssigner = Annotated[User, Depends(allowed(Permission.assign_cases))]
CaseworkReader = Annotated[User, Depends(allowed(Permission.read_casework))]
DashboardReader = Annotated[User, Depends(allowed(Permission.read_dashboard))]

# Path parameters are as long as the columns that hold them, no longer.
CaseId = Annotated[str, Path(max_length=40)]
RecordId = Annotated[str, Path(max_length=200)]
NoteId = Annotated[int, Path(ge=1, le=2**31 - 1)]  # any row id of a case's records
DocumentName = Annotated[str, Path(max_length=60)]
