"""Bearer-token authentication and role checks.

Tokens are random 256-bit secrets shown once at creation; the database keeps only their SHA-256,
which suffices for secrets of that entropy (unlike passwords, they cannot be guessed).
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from service.errors import UnauthorizedError
from service.roles import Role, User
from service.tables import users


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(
    session: Session,
    name: str,
    role: Role,
    *,
    lender: str | None = None,
    intake_centre: str | None = None,
    province: str | None = None,
) -> str:
    """Create a user and return their token (shown once, never stored)."""
    if role is Role.bank_liaison and not lender:
        raise ValueError("a bank liaison is scoped to one lender: give --lender")
    if role is Role.intake_officer and not (intake_centre or province):
        raise ValueError("an intake officer is scoped to an intake centre or a province")
    token = "rsk_" + secrets.token_urlsafe(32)
    session.execute(
        insert(users).values(
            name=name, role=role.value, lender=lender, intake_centre=intake_centre,
            province=province, key_hash=hash_token(token), active=True,
            created_at=datetime.now(UTC),
        )
    )  # fmt: skip
    session.commit()
    return token


_bearer = HTTPBearer(auto_error=False)


SESSION_COOKIE = "rescue_token"


class TokenCache:
    """Users of recently verified tokens, so that a request need not query the database for
    them. Entries live `ttl` seconds: a key deactivated in the database stops working within
    that time in a running server."""

    def __init__(self, ttl: float):
        self.ttl = ttl
        self._entries: dict[str, tuple[User, float]] = {}

    def get(self, key_hash: str) -> User | None:
        entry = self._entries.get(key_hash)
        if entry is None or entry[1] < time.monotonic():
            return None
        return entry[0]

    def put(self, key_hash: str, user: User) -> None:
        if self.ttl > 0:
            self._entries[key_hash] = (user, time.monotonic() + self.ttl)


def _stored_user(request: Request, key_hash: str) -> User | None:
    """The active user holding the key with this hash, from the database; remembered."""
    with request.app.state.db.sessions() as session:
        row = session.execute(select(users).where(users.c.key_hash == key_hash)).first()
    if row is None or not row.active:
        return None
    user = User(row.name, Role(row.role), row.lender, row.intake_centre, row.province)
    request.app.state.tokens.put(key_hash, user)
    return user


def user_for_token(request: Request, token: str) -> User | None:
    key_hash = hash_token(token)
    return request.app.state.tokens.get(key_hash) or _stored_user(request, key_hash)


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The user of a bearer token, or of the web pages' sign-in cookie (SameSite=Strict, so a
    foreign site cannot make the browser send it)."""
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token:
        raise UnauthorizedError("missing bearer token")
    # A known token is answered from memory on the event loop; only a miss goes to a thread
    # for the database.
    key_hash = hash_token(token)
    user: User | None = request.app.state.tokens.get(key_hash) or await run_in_threadpool(
        _stored_user, request, key_hash
    )
    if user is None:
        raise UnauthorizedError("unknown token")
    request.state.user = user.name  # for the request log
    return user
