"""The champions the service scores with, swapped atomically on reload.

A request takes one snapshot of the loaded models and uses it throughout, so a reload never
mixes versions inside a request nor fails a request in flight.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

from models.registry import load_champion
from models.scorer import Scorer
from models.specs import DISTRESS, FEASIBILITY

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
