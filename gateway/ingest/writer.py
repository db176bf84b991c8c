"""Group commit: one greenlet stores events in batches, each caller waiting for its own commit.

At low load a batch is one event and adds no delay; under load the events that arrive while a
commit runs go together in the next one, so commits per second stop being the limit.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import gevent
from gevent.event import AsyncResult
from gevent.queue import Queue
from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from .. import metrics
from ..extensions import db
from ..models import Event, Instance

log = logging.getLogger(__name__)
MAX_BATCH = 500


@dataclass
class PendingEvent:
    tenant_id: int
    instance_id: int
    instance_name: str
    name: str
    source: str
    dedupe_key: str
    provider_time: datetime | None
    received_at: datetime
    payload: dict
    changes: dict
    event_id: int | None = None
    done: AsyncResult = field(default_factory=AsyncResult, repr=False)

    def row(self) -> dict:
        return {"tenant_id": self.tenant_id, "instance_id": self.instance_id, "name": self.name,
                "source": self.source, "dedupe_key": self.dedupe_key, "provider_time": self.provider_time,
                "received_at": self.received_at, "payload": self.payload}


class EventWriter:
    def __init__(self, spawn: Callable, on_committed: Callable[[list[PendingEvent]], None],
                 timeout: float = 30.0):
        self.spawn = spawn
        self.on_committed = on_committed
        self.timeout = timeout
        self.queue: Queue = Queue()
        self._greenlet: gevent.Greenlet | None = None
        self._statement = None

    def submit(self, pending: PendingEvent) -> int | None:
        """Store the event; returns its id, or None when it was already stored (a duplicate)."""
        return self.submit_all([pending])[0]

    def submit_all(self, batch: list[PendingEvent]) -> list[int | None]:
        """Store several events at once (catch-up): queued together, so they share group commits."""
        if self._greenlet is None or self._greenlet.dead:
            self._greenlet = self.spawn("event-writer", self.run)
        for pending in batch:
            self.queue.put(pending)
        return [pending.done.get(timeout=self.timeout) for pending in batch]

    @property
    def queued(self) -> int:
        return self.queue.qsize()

    def run(self) -> None:
        while True:
            batch = [self.queue.get()]
            if batch[0] is None:
                return
            # Let the requests that are already running reach submit() first: one commit for all of them.
            gevent.sleep(0)
            while len(batch) < MAX_BATCH and not self.queue.empty():
                batch.append(self.queue.get_nowait())
            stop = batch[-1] is None
            self._write([item for item in batch if item is not None])
            if stop:
                return

    def stop(self) -> None:
        self.queue.put(None)

    def _write(self, batch: list[PendingEvent]) -> None:
        started = metrics.clock()
        try:
            self._store(batch)
        except Exception:
            if len(batch) == 1:
                log.exception("storing an event failed")
                batch[0].done.set_exception(RuntimeError("the event could not be stored"))
                return
            # One bad event must not fail its neighbours: store them one by one.
            for pending in batch:
                self._write([pending])
            return
        metrics.batch_committed(len(batch), started)
        stored = [pending for pending in batch if pending.event_id is not None]
        for pending in batch:
            pending.done.set(pending.event_id)
        if stored:
            self.on_committed(stored)

    def _store(self, batch: list[PendingEvent]) -> None:
        """One multi-row INSERT and one UPDATE per instance for the whole batch, in one transaction.

        ON CONFLICT DO NOTHING returns only the rows it inserted, so they are matched back by their
        unique (instance, key); a key repeated inside the batch is a duplicate of its first copy.
        Core, not the ORM session: the session's bookkeeping would cost more than the SQL itself.
        """
        first: dict[tuple[int, str], PendingEvent] = {}
        for pending in batch:
            first.setdefault((pending.instance_id, pending.dedupe_key), pending)
        changes: dict[int, dict] = {}
        table = Instance.__table__
        with db.engine.begin() as connection:
            inserted = connection.execute(self._insert(), [pending.row() for pending in first.values()])
            ids = {(row.instance_id, row.dedupe_key): row.id for row in inserted}
            for pending in batch:
                key = (pending.instance_id, pending.dedupe_key)
                pending.event_id = ids.get(key) if first[key] is pending else None
                if pending.event_id is not None:
                    # Later events of the batch override earlier ones, as if applied one by one.
                    changes.setdefault(pending.instance_id, {}).update(pending.changes)
            for instance_id, values in changes.items():
                connection.execute(update(table).where(self._row(instance_id, values)).values(values))

    def _row(self, instance_id: int, values: dict):
        """Which instance row a batch updates. A batch that only moves `last_event_at` skips a row
        another writer has locked (PostgreSQL): with several workers, each commit would otherwise wait
        for the other's, and the one holding it sets a time as recent. Facts (state, QR) always wait."""
        table = Instance.__table__
        if values.keys() != {"last_event_at"} or db.engine.dialect.name != "postgresql":
            return table.c.id == instance_id
        return table.c.id == select(table.c.id).where(table.c.id == instance_id) \
            .with_for_update(skip_locked=True).scalar_subquery()

    def _insert(self):
        """The batch INSERT, built once (statement compilation is a large share of a small event's cost)."""
        if self._statement is None:
            insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
            table = Event.__table__
            self._statement = insert(table).on_conflict_do_nothing(index_elements=["instance_id", "dedupe_key"]) \
                .returning(table.c.id, table.c.instance_id, table.c.dedupe_key)
        return self._statement
