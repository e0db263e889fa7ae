"""The champions the service scores with, swapped atomically on reload.

A request takes one snapshot of the loaded models and uses it throughout, so a reload never
mixes versions inside a request nor fails a request in flight.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, insert, select

from models.registry import load_champion
from models.scorer import Scorer
from models.specs import DISTRESS, FEASIBILITY
from service.store.bookkeeping_tables import model_reloads
from service.store.db import Database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Loaded:
    scorer: Scorer
    version: str
    loaded_at: datetime


@dataclass(frozen=True)
class Snapshot:
    models: dict[str, Loaded] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Loaded | None:
        return self.models.get(name)


class ModelStore:
    def __init__(self, tracking_uri: str | None):
        self.tracking_uri = tracking_uri
        self._snapshot = Snapshot()
        self._lock = threading.Lock()

    @property
    def snapshot(self) -> Snapshot:
        return self._snapshot

    def load(self) -> Snapshot:
        """Load the current champions; keep a model already loaded if its champion fails."""
        with self._lock:
            models, errors = dict(self._snapshot.models), {}
            for name in (DISTRESS, FEASIBILITY):
                try:
                    scorer, version = load_champion(name, self.tracking_uri)
                    models[name] = Loaded(scorer, version, datetime.now(UTC))
                except Exception as exc:
                    errors[name] = f"{type(exc).__name__}: {exc}"
                    log.warning("could not load %s champion: %s", name, exc)
            self._snapshot = Snapshot(models, errors)
            return self._snapshot


def request_reload(db: Database, requested_by: str) -> int:
    """Ask every worker of every running service on this database to load the champions."""
    with db.sessions() as session:
        reload_id: int = session.execute(
            insert(model_reloads)
            .values(requested_by=requested_by, requested_at=datetime.now(UTC))
            .returning(model_reloads.c.id)
        ).scalar_one()
        session.commit()
    return reload_id


class ReloadWatcher:
    """Carries a reload asked of one worker process to the others.

    `POST /models/reload` records a request in the database; each worker polls for a request
    newer than the last it has seen and reloads its own champions in a background thread, so
    requests keep being answered with the models already loaded meanwhile.
    """

    def __init__(self, db: Database, store: ModelStore, interval: float):
        self.db, self.store, self.interval = db, store, interval
        self._seen = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def latest(self) -> int:
        with self.db.sessions() as session:
            return session.execute(select(func.max(model_reloads.c.id))).scalar() or 0

    def request(self, requested_by: str) -> int:
        """Record a reload request for every worker; this worker counts it as seen."""
        reload_id = request_reload(self.db, requested_by)
        self._mark(reload_id)
        return reload_id

    def _mark(self, reload_id: int) -> bool:
        """Note `reload_id` as seen; whether it is newer than what was seen before."""
        with self._lock:
            newer = reload_id > self._seen
            self._seen = max(self._seen, reload_id)
            return newer

    def start(self) -> None:
        self._mark(self.latest())
        self._thread = threading.Thread(target=self._run, name="model-reload-watcher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                if self._mark(self.latest()):
                    self.store.load()
            except Exception as exc:  # a database hiccup must not end the watching
                log.warning("could not check for model reload requests: %s", exc)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 5)
