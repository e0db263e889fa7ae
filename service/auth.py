"""Bearer-token authentication and role checks.

Tokens are random 256-bit secrets shown once at creation; the database keeps only their SHA-256,
which suffices for secrets of that entropy (unlike passwords, they cannot be guessed).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from service.tables import users


class Role(StrEnum):
    analyst = "analyst"
    bank_liaison = "bank_liaison"
    intake_officer = "intake_officer"
    data_scientist = "data_scientist"
    admin = "admin"


# Roles that work with a business's identity and so see its tax id and name unmasked.
SEES_PII = {Role.analyst, Role.intake_officer, Role.admin}


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    lender: str | None = None
    intake_centre: str | None = None
    province: str | None = None

    @property
    def sees_pii(self) -> bool:
        return self.role in SEES_PII


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


def user_for_token(request: Request, token: str) -> User | None:
    with request.app.state.db.sessions() as session:
        row = session.execute(select(users).where(users.c.key_hash == hash_token(token))).first()
    if row is None or not row.active:
        return None
    return User(row.name, Role(row.role), row.lender, row.intake_centre, row.province)


def current_user(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User:
    """The user of a bearer token, or of the web pages' sign-in cookie (SameSite=Strict, so a
    foreign site cannot make the browser send it)."""
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if not token:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "missing bearer token",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = user_for_token(request, token)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "unknown token", headers={"WWW-Authenticate": "Bearer"}
        )
    return user


def require(*roles: Role):
    """Dependency: the current user, if their role is one of `roles` (admin always is)."""
    allowed = set(roles) | {Role.admin}

    def check(user: Annotated[User, Depends(current_user)]) -> User:
        if user.role not in allowed:
            raise HTTPException(status.HTTP_403_FORBIDDEN, f"role {user.role} may not do this")
        return user

    return check
