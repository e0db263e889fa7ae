"""Web sign-in sessions: a random id in an HttpOnly cookie, its hash, owner, expiry and CSRF
token on the server. Signing in makes a new session (the id rotates); signing out revokes it."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from service.access.users import hash_token
from service.kit.roles import Role, User
from service.store.bookkeeping_tables import ui_sessions
from service.store.tables import users

SESSION_COOKIE = "rescue_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


@dataclass(frozen=True)
class SignedIn:
    user: User
    csrf_token: str


def create_session(session: Session, user_name: str, hours: float) -> tuple[str, str]:
    """A new session for the user: (the cookie's session id, its CSRF token)."""
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = dt.datetime.now(dt.UTC)
    session.execute(
        insert(ui_sessions).values(
            id_hash=hash_token(session_id), user_name=user_name, csrf_token=csrf,
            created_at=now, expires_at=now + dt.timedelta(hours=hours),
        )
    )  # fmt: skip
    session.commit()
    return session_id, csrf


def session_user(session: Session, session_id: str) -> SignedIn | None:
    """The active user of a live, unrevoked session, with its CSRF token; a session ends with
    its own expiry or its user's key's."""
    row = session.execute(
        select(
            users.c.name, users.c.role, users.c.lender, users.c.intake_centre, users.c.province,
            users.c.active, users.c.expires_at.label("key_expires_at"), ui_sessions.c.csrf_token,
            ui_sessions.c.expires_at.label("session_expires_at"),
        )
        .join(ui_sessions, ui_sessions.c.user_name == users.c.name)
        .where(ui_sessions.c.id_hash == hash_token(session_id))
        .where(ui_sessions.c.revoked_at.is_(None))
    ).first()  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    if row is None or not row.active or row.session_expires_at <= now:
        return None
    if row.key_expires_at is not None and row.key_expires_at <= now:
        return None
    user = User(row.name, Role(row.role), row.lender, row.intake_centre, row.province)
    return SignedIn(user, row.csrf_token)


def revoke_session(session: Session, session_id: str) -> None:
    session.execute(
        update(ui_sessions)
        .where(ui_sessions.c.id_hash == hash_token(session_id))
        .values(revoked_at=dt.datetime.now(dt.UTC))
    )
    session.commit()
