"""Notes on a case: written by analysts, edited only by their author, every earlier text kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert, select, update

from service import casework_schemas as work
from service.cases import get_case_row
from service.errors import ForbiddenError, NotFoundError
from service.roles import Role, User
from service.tables import case_note_edits, case_notes


def add_note(connection: Connection, user: User, case_id: str, note: work.NoteIn) -> work.NoteOut:
    get_case_row(connection, case_id, user)
    now = dt.datetime.now(dt.UTC)
    new_id = connection.execute(
        insert(case_notes)
        .values(case_id=case_id, author=user.name, body=note.body, created_at=now)
        .returning(case_notes.c.id)
    ).scalar_one()
    return _note(connection, case_id, new_id)


def edit_note(
    connection: Connection, user: User, case_id: str, note_id: int, note: work.NoteIn
) -> work.NoteOut:
    """Replace a note's text; the text it replaces is kept in its edit history."""
    get_case_row(connection, case_id, user)
    current = _note(connection, case_id, note_id)
    if current.author != user.name and user.role is not Role.admin:
        raise ForbiddenError(f"note {note_id} is {current.author}'s: only its author edits it")
    now = dt.datetime.now(dt.UTC)
    connection.execute(
        insert(case_note_edits).values(
            note_id=note_id, previous_body=current.body, edited_by=user.name, edited_at=now
        )
    )
    connection.execute(
        update(case_notes).where(case_notes.c.id == note_id).values(body=note.body, updated_at=now)
    )
    return _note(connection, case_id, note_id)


def list_notes(connection: Connection, user: User, case_id: str) -> list[work.NoteOut]:
    get_case_row(connection, case_id, user)
    ids = connection.execute(
        select(case_notes.c.id).where(case_notes.c.case_id == case_id).order_by(case_notes.c.id)
    ).scalars()
    return [_note(connection, case_id, note_id) for note_id in ids]


def _note(connection: Connection, case_id: str, note_id: int) -> work.NoteOut:
    row = connection.execute(
        select(case_notes).where(case_notes.c.id == note_id).where(case_notes.c.case_id == case_id)
    ).mappings().first()  # fmt: skip
    if row is None:
        raise NotFoundError(f"no note {note_id} on case {case_id}")
    edits = connection.execute(
        select(case_note_edits)
        .where(case_note_edits.c.note_id == note_id)
        .order_by(case_note_edits.c.id)
    ).mappings()
    return work.NoteOut(**row, edits=[work.NoteEdit(**e) for e in edits])
