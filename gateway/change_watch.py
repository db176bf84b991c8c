"""The running server of one process without Redis hears of the instance changes that other processes
(CLI commands) committed: it reads their counts (gateway/changes.py) every `every` seconds, one small
query, and tells its listeners which tenants' instances changed. The cluster hears the same over Redis
(gateway/cluster/notices.py).
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.exc import SQLAlchemyError

from .changes import changed_tenants, counts
from .extensions import db

log = logging.getLogger(__name__)


class ChangeWatch:
    def __init__(self, every: float):
        self.every = every
        # Each listener receives the ids of the tenants whose instances changed.
        self.listeners: list[Callable[[set[int]], None]] = []
        self.stopping = threading.Event()
        # Nothing seen yet: the first read reports every count, whatever happened before the server ran.
        self.seen: dict[int, int] = {}

    def run(self) -> None:
        """The loop a greenlet runs until stop(); a failed read is logged and tried again next time."""
        while not self.stopping.wait(self.every):
            self.look()

    def look(self) -> None:
        try:
            now = counts()
        except SQLAlchemyError as error:
            log.warning("instance changes not read", extra={"fields": {"error": str(error)}})
            return
        finally:
            db.session.remove()  # the next look reads the database afresh
        changed, self.seen = changed_tenants(self.seen, now), now
        if changed:
            self._notify(changed)

    def stop(self) -> None:
        self.stopping.set()

    def _notify(self, tenants: set[int]) -> None:
        for listener in self.listeners:
            try:
                listener(tenants)
            except Exception:
                log.exception("instance change listener failed")
