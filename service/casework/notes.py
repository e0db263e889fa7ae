"""Notes on a case: written by analysts, edited only by their author, every earlier text kept."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, insert, select, update

from service.cases.cases import get_case_row
from service.casework import schemas as work
from service.kit.errors import (
    ConflictError,
    ForbiddenError,
    NotFoundError,
    PreconditionFailedError,
)
from service.kit.roles import Permission, User
from service.store.tables import case_note_edits, case_notes

# Edits racing on one note without naming a version each go on top of the one before; a request
# that loses this many races in a row is told to retry.
EDIT_ATTEMPTS = 5


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
    connection: Connection,
    user: User,
    case_id: str,
    note_id: int,
    note: work.NoteEditIn,
    if_match: str | None = None,
) -> work.NoteOut:
    """Replace a note's text; the text it replaces is kept in its edit history.

    The change is one conditional update on the note's version: of two edits that read the same
    version only one lands, and the other is refused (it named that version) or goes on top of
    the first (it named none), so every accepted text is either the note or in its history."""
    get_case_row(connection, case_id, user)
    header = _if_match_version(if_match)
    expected = note.version if note.version is not None else header
    for _ in range(EDIT_ATTEMPTS):
        current = _note(connection, case_id, note_id)
        if current.author != user.name and not user.may(Permission.edit_others_notes):
            raise ForbiddenError(f"note {note_id} is {current.author}'s: only its author edits it")
        if expected is not None and current.version != expected:
            _stale(note_id, expected, current.version, header is not None and note.version is None)
        now = dt.datetime.now(dt.UTC)
        moved = connection.execute(
            update(case_notes)
            .where(case_notes.c.id == note_id)
            .where(case_notes.c.version == current.version)
            .values(body=note.body, updated_at=now, version=current.version + 1)
        ).rowcount
        if moved == 1:
            connection.execute(
                insert(case_note_edits).values(
                    note_id=note_id, previous_body=current.body, edited_by=user.name, edited_at=now
                )
            )
            return _note(connection, case_id, note_id)
    raise ConflictError(f"note {note_id} is being edited by others at the same time; retry")


def _if_match_version(if_match: str | None) -> int | None:
    """The version an If-Match header names (the note's ETag, "3" or W/"3"); 412 for any other."""
    if if_match is None:
        return None
    tag = if_match.strip().removeprefix("W/").strip('"')
    if not tag.isdigit() or len(tag) > 10:
        raise PreconditionFailedError(f"If-Match {if_match[:40]!r} is not a version of this note")
    return int(tag)


def _stale(note_id: int, expected: int, current: int, by_header: bool) -> None:
    message = (
        f"note {note_id} was edited since version {expected} (it is at version {current}): "
        "reload it, and edit its text as it is now"
    )
    raise PreconditionFailedError(message) if by_header else ConflictError(message)


def note_etag(note: work.NoteOut) -> str:
    return f'"{note.version}"'


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
