"""Database engine, sessions and migrations (SQLite by default, PostgreSQL supported)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _make_sqlite_folder(url: str) -> None:
    """A SQLite database's folder, made on first use (`var/` on a fresh checkout)."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


def make_engine(url: str) -> Engine:
    _make_sqlite_folder(url)
    if url.startswith("sqlite:///"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10)


def upgrade(url: str) -> None:
    """Bring the database schema to the latest migration."""
    _make_sqlite_folder(url)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


def refresh_statistics(engine: Engine) -> None:
    """Tell the query planner how large the tables are and how their values spread: SQLite
    keeps no statistics until asked, and without them it reads the queue's triage filter
    through the wrong index. PostgreSQL's autovacuum may lag a bulk load."""
    with engine.begin() as connection:
        connection.exec_driver_sql("ANALYZE")


class Database:
    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Iterator[Session]:
        with self.sessions() as session:
            yield session
