"""Group commit: one greenlet stores events in batches, each caller waiting for its own commit.

At low load a batch is one event and adds no delay; under load the events that arrive while a
commit runs go together in the next one, so commits per second stop being the limit.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import datetime

import gevent
from gevent.event import AsyncResult
from gevent.queue import Queue
from sqlalchemy import Connection

from .. import metrics
from ..extensions import db
from .statements import Statements

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

    def values(self) -> tuple:
        """The event's row, in statements.EVENT_COLUMNS order."""
        return (self.tenant_id, self.instance_id, self.name, self.source, self.dedupe_key, self.provider_time,
                self.received_at, self.payload)


class EventWriter:
    def __init__(self, spawn: Callable, on_committed: Callable[[list[PendingEvent]], None],
                 timeout: float = 30.0):
        self.spawn = spawn
        self.on_committed = on_committed
        self.timeout = timeout
        self.queue: Queue = Queue()
        self._greenlet: gevent.Greenlet | None = None
        self._statements_built: Statements | None = None
        self._connection: Connection | None = None

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
        try:
            while True:
                batch = self._next_batch(block=True)
                while batch:
                    events = [item for item in batch if item is not None]
                    if events:
                        self._write(events)
                    if len(events) < len(batch):
                        return  # stop() was called
                    batch = self._next_batch(block=False)
                self._release()
        finally:
            self._release()

    def _next_batch(self, block: bool) -> list[PendingEvent | None]:
        """Up to MAX_BATCH queued events (None is stop()'s mark); waits for the first one if `block`."""
        if not block and self.queue.empty():
            return []
        batch = [self.queue.get()]
        # Let the requests that are already running reach submit() first: one commit for all of them.
        gevent.sleep(0)
        while len(batch) < MAX_BATCH and not self.queue.empty():
            batch.append(self.queue.get_nowait())
        return batch

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
        The statements run on the DBAPI cursor (gateway/ingest/statements.py); SQLAlchemy keeps the
        transaction, so a failure rolls back as anywhere else.
        """
        first: dict[tuple[int, str], PendingEvent] = {}
        for pending in batch:
            first.setdefault((pending.instance_id, pending.dedupe_key), pending)
        statements = self._statements()
        changes: dict[int, dict] = {}
        with self._transaction() as connection, closing(connection.connection.cursor()) as cursor:
            cursor.execute(statements.insert(len(first)),
                           [value for pending in first.values() for value in statements.event_values(pending.values())])
            ids = {(instance_id, key): event_id for event_id, instance_id, key in cursor.fetchall()}
            for pending in batch:
                key = (pending.instance_id, pending.dedupe_key)
                pending.event_id = ids.get(key) if first[key] is pending else None
                if pending.event_id is not None:
                    # Later events of the batch override earlier ones, as if applied one by one.
                    changes.setdefault(pending.instance_id, {}).update(pending.changes)
            for instance_id, values in changes.items():
                cursor.execute(statements.update(tuple(values)), statements.update_values(instance_id, values))

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A transaction on the writer's connection, which it keeps while batches follow one another: a
        checkout pings the server, a round trip per batch. After a failure the connection goes back to
        the pool, which checks it before it is used again."""
        if self._connection is None:
            self._connection = db.engine.connect()
        try:
            with self._connection.begin():
                yield self._connection
        except Exception:
            self._release()
            raise

    def _release(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _statements(self) -> Statements:
        """Built on first use: the dialect is the app's engine's, known only inside an app context."""
        if self._statements_built is None:
            self._statements_built = Statements(db.engine.dialect)
        return self._statements_built
