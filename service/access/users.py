"""Users and their API keys: create, list, deactivate, rotate.

Keys are random 256-bit secrets shown once at creation or rotation; the database keeps only
their SHA-256, which suffices for secrets of that entropy (unlike passwords, they cannot be
guessed). A key may carry an expiry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from service.kit.roles import Role
from service.store.bookkeeping_tables import ui_sessions
from service.store.tables import users


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return "rsk_" + secrets.token_urlsafe(32)


def create_user(
    session: Session,
    name: str,
    role: Role,
    *,
    lender: str | None = None,
    intake_centre: str | None = None,
    province: str | None = None,
    expires_at: dt.datetime | None = None,
) -> str:
    """Create a user and return their key (shown once, never stored)."""
    if role is Role.bank_liaison and not lender:
        raise ValueError("a bank liaison is scoped to one lender: give --lender")
    if role is Role.intake_officer and not (intake_centre or province):
        raise ValueError("an intake officer is scoped to an intake centre or a province")
    if session.execute(select(users.c.name).where(users.c.name == name)).first():
        raise ValueError(f"a user named {name!r} exists: rotate their key instead")
    token = new_token()
    session.execute(
        insert(users).values(
            name=name, role=role.value, lender=lender, intake_centre=intake_centre,
            province=province, key_hash=hash_token(token), active=True,
            created_at=dt.datetime.now(dt.UTC), expires_at=expires_at,
        )
    )  # fmt: skip
    session.commit()
    return token


def _existing(session: Session, name: str) -> None:
    if not session.execute(select(users.c.name).where(users.c.name == name)).first():
        raise ValueError(f"no user named {name!r}")


def deactivate_user(session: Session, name: str) -> None:
    """The user's key stops working and their web sessions end."""
    _existing(session, name)
    session.execute(update(users).where(users.c.name == name).values(active=False))
    session.execute(delete(ui_sessions).where(ui_sessions.c.user_name == name))
    session.commit()


def rotate_key(session: Session, name: str, expires_at: dt.datetime | None = None) -> str:
    """A new key for the user (the old one stops working; the user is active again)."""
    _existing(session, name)
    token = new_token()
    session.execute(
        update(users)
        .where(users.c.name == name)
        .values(key_hash=hash_token(token), active=True, expires_at=expires_at)
    )
    session.execute(delete(ui_sessions).where(ui_sessions.c.user_name == name))
    session.commit()
    return token


def list_users(session: Session) -> list[dict[str, Any]]:
    columns = [
        users.c.name, users.c.role, users.c.lender, users.c.province, users.c.intake_centre,
        users.c.active, users.c.created_at, users.c.expires_at,
    ]  # fmt: skip
    rows = session.execute(select(*columns).order_by(users.c.name)).mappings()
    return [dict(r) for r in rows]
