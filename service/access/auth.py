"""Who is asking: an API key sent as a bearer token, or a web session in a cookie.

A cookie-authenticated request that changes something must come from the service's own pages:
its Origin (when the browser sends one) is the service's, and it carries the session's CSRF
token. Every authenticated user is held to one request rate over all workers
(`service.access.rate_limits`).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from service.access.sessions import CSRF_HEADER, SESSION_COOKIE, SignedIn, session_user
from service.access.users import hash_token
from service.kit.errors import ForbiddenError, UnauthorizedError
from service.kit.roles import Role, User
from service.store.tables import users

_bearer = HTTPBearer(auto_error=False)
SAFE_METHODS = frozenset(("GET", "HEAD", "OPTIONS"))


class TokenCache:
    """Users of recently verified keys, so that a request need not query the database for
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

    def put(self, key_hash: str, user: User, expires_at: dt.datetime | None = None) -> None:
        ttl = self.ttl
        if expires_at is not None:
            ttl = min(ttl, (expires_at - dt.datetime.now(dt.UTC)).total_seconds())
        if ttl > 0:
            self._entries[key_hash] = (user, time.monotonic() + ttl)


def _stored_user(request: Request, key_hash: str) -> User | None:
    """The active user holding the unexpired key with this hash, from the database; remembered."""
    with request.app.state.db.sessions() as session:
        row = session.execute(select(users).where(users.c.key_hash == key_hash)).first()
    if row is None or not row.active:
        return None
    if row.expires_at is not None and row.expires_at <= dt.datetime.now(dt.UTC):
        return None
    user = User(row.name, Role(row.role), row.lender, row.intake_centre, row.province)
    request.app.state.tokens.put(key_hash, user, row.expires_at)
    return user


def user_for_key(request: Request, token: str) -> User | None:
    key_hash = hash_token(token)
    cached: User | None = request.app.state.tokens.get(key_hash)
    return cached or _stored_user(request, key_hash)


def signed_in(request: Request) -> SignedIn | None:
    """The web session of the request's cookie, if it is live."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    with request.app.state.db.sessions() as session:
        return session_user(session, session_id)


def check_same_origin(request: Request, csrf_token: str, sent: str | None) -> None:
    """Refuse a cookie-authenticated change from another site: a foreign Origin, or a missing
    or wrong CSRF token."""
    origin = request.headers.get("origin")
    own = str(request.base_url).rstrip("/")
    if origin is not None and origin.rstrip("/") != own:
        raise ForbiddenError(f"cross-origin request from {origin[:100]} refused")
    if not sent or not secrets.compare_digest(sent, csrf_token):
        raise ForbiddenError("missing or wrong CSRF token: reload the page and try again")


async def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The user of a bearer key, or of the web pages' session cookie."""
    user: User | None
    if credentials is not None:
        # A known key is answered from memory on the event loop; only a miss goes to a thread
        # for the database.
        key_hash = hash_token(credentials.credentials)
        user = request.app.state.tokens.get(key_hash) or await run_in_threadpool(
            _stored_user, request, key_hash
        )
        if user is None:
            raise UnauthorizedError("unknown, expired or deactivated key")
    else:
        signed = await run_in_threadpool(signed_in, request)
        if signed is None:
            raise UnauthorizedError("missing bearer token")
        if request.method not in SAFE_METHODS:
            check_same_origin(request, signed.csrf_token, request.headers.get(CSRF_HEADER))
        user = signed.user
    request.state.user = user.name  # for the request log and the audit log
    request.state.role = user.role.value
    rate = request.app.state.rate
    rate.reserve(user.name)
    if rate.due(user.name):  # every worker's count, through the database
        await run_in_threadpool(rate.sync, user.name)
    return user
