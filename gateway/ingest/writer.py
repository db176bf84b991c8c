"""Group commit: one greenlet stores events in batches, each caller waiting for its own commit.

At low load a batch is one event and adds no delay; under load the events that arrive while a
commit runs go together in the next one, so commits per second stop being the limit.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime

import gevent
from gevent import get_hub
from gevent.event import Event
from sqlalchemy import Connection

from .. import metrics
from ..extensions import db
from .statements import Statements

log = logging.getLogger(__name__)
# Events per transaction at most; a larger round (a catch-up) is stored in several, in order.
MAX_BATCH = 500
# Seconds without events after which the writer gives its connection back to the pool. It keeps it while
# events follow one another: a checkout pings the server, a round trip per batch.
IDLE_RELEASE = 1.0


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
    # The provider has a QR code the event does not carry: the gateway fetches it once the event is stored.
    qr_pending: bool = False
    event_id: int | None = None
    failed: bool = False

    def values(self) -> tuple:
        """The event's row, in statements.EVENT_COLUMNS order."""
        return (self.tenant_id, self.instance_id, self.name, self.source, self.dedupe_key, self.provider_time,
                self.received_at, self.payload)

    def result(self) -> int | None:
        if self.failed:
            raise RuntimeError("the event could not be stored")
        return self.event_id


class Round:
    """The events submitted while the writer was busy, and the one signal their callers wait on: each
    event's own result is on the event. One timer per round bounds the wait, not one per caller."""

    def __init__(self):
        self.events: list[PendingEvent] = []
        self._done = Event()
        self._expired = False
        self._timer = None

    def add(self, events: list[PendingEvent], timeout: float) -> None:
        if self._timer is None:
            self._timer = get_hub().loop.timer(timeout)
            self._timer.start(self._expire)
        self.events.extend(events)

    def wait(self) -> None:
        self._done.wait()
        if self._expired:
            raise RuntimeError("the event writer did not answer in time")

    def finish(self, failed: bool = False) -> None:
        """Wake the callers; `failed`: none of the events is known to be stored (the writer ended)."""
        if failed:
            for pending in self.events:
                pending.failed = True
        if self._timer is not None:
            self._timer.close()
        self._done.set()

    @property
    def finished(self) -> bool:
        return self._done.is_set()

    def _expire(self) -> None:
        self._expired = True
        self._done.set()


class EventWriter:
    def __init__(self, spawn: Callable, on_committed: Callable[[list[PendingEvent]], None],
                 timeout: float = 30.0):
        self.spawn = spawn
        self.on_committed = on_committed
        self.timeout = timeout
        self._round = Round()
        self._wake = Event()
        self._stop = False
        self._greenlet: gevent.Greenlet | None = None
        self._statements_built: Statements | None = None
        self._connection: Connection | None = None

    def submit(self, pending: PendingEvent) -> int | None:
        """Store the event; returns its id, or None when it was already stored (a duplicate)."""
        return self.submit_all([pending])[0]

    def submit_all(self, batch: list[PendingEvent]) -> list[int | None]:
        """Store several events at once (catch-up): submitted together, so they share group commits."""
        if self._greenlet is None:
            self._greenlet = self.spawn("event-writer", self.run)
            # Also when it is killed before it starts, and so never reaches run()'s finally.
            self._greenlet.rawlink(self._ended)
        current = self._round
        current.add(batch, self.timeout)
        self._wake.set()
        current.wait()
        return [pending.result() for pending in batch]

    @property
    def queued(self) -> int:
        return len(self._round.events)

    def run(self) -> None:
        current = None
        try:
            while True:
                if not self._wake.wait(None if self._connection is None else IDLE_RELEASE):
                    self._release()  # idle: the connection goes back to the pool
                    continue
                # Let the requests that are already running reach submit() first: one commit for all of them.
                gevent.sleep(0)
                self._wake.clear()
                current, self._round = self._round, Round()
                for start in range(0, len(current.events), MAX_BATCH):
                    self._write(current.events[start:start + MAX_BATCH])
                current.finish()
                if self._stop:
                    self._stop = False
                    return
        finally:
            self._ended(gevent.getcurrent())
            self._release()
            # A writer that ends for any reason (killed at shutdown) leaves no caller waiting. What it may
            # have stored meanwhile is found as a duplicate when the caller tries again.
            for left in (current, self._round):
                if left is not None and not left.finished:
                    left.finish(failed=True)

    def _ended(self, greenlet) -> None:
        if self._greenlet is greenlet:
            self._greenlet = None

    def stop(self) -> None:
        """The writer stores what was submitted so far, then ends."""
        self._stop = True
        self._wake.set()

    def _write(self, batch: list[PendingEvent]) -> None:
        started = metrics.clock()
        try:
            self._store(batch)
        except Exception:
            for pending in batch:
                pending.event_id = None
            if len(batch) == 1:
                log.exception("storing an event failed")
                batch[0].failed = True
                return
            # One bad event must not fail its neighbours: store them one by one.
            for pending in batch:
                self._write([pending])
            return
        metrics.batch_committed(len(batch), started)
        stored = [pending for pending in batch if pending.event_id is not None]
        if stored:
            self.on_committed(stored)

    def _store(self, batch: list[PendingEvent]) -> None:
        """One multi-row INSERT and one UPDATE per instance for the whole batch.

        ON CONFLICT DO NOTHING returns only the rows it inserted, so they are matched back by their
        unique (instance, key); a key repeated inside the batch is a duplicate of its first copy.
        The statements run on the DBAPI cursor (gateway/ingest/statements.py). On SQLite they share a
        transaction that SQLAlchemy keeps. On PostgreSQL the INSERT carries the UPDATEs that hold if
        every event is new (the usual case) and commits on its own; a batch that held events stored
        before gets the right UPDATEs in statements of their own just after, before anyone is answered.
        """
        first: dict[tuple[int, str], PendingEvent] = {}
        for pending in batch:
            first.setdefault((pending.instance_id, pending.dedupe_key), pending)
        statements = self._statements()
        sql = statements.insert(len(first))
        values = [value for pending in first.values() for value in statements.event_values(pending.values())]
        expected = _changes(first.values()) if statements.one_statement else {}
        if expected:
            sql = statements.insert_updating(len(first), [tuple(changes) for changes in expected.values()])
            for instance_id, changes in expected.items():
                values += [*statements.update_values(instance_id, changes), len(first)]
        with self._transaction() as connection, closing(connection.connection.cursor()) as cursor:
            cursor.execute(sql, values)
            ids = {(instance_id, key): event_id for event_id, instance_id, key in cursor.fetchall()}
            for pending in batch:
                key = (pending.instance_id, pending.dedupe_key)
                pending.event_id = ids.get(key) if first[key] is pending else None
            if expected and len(ids) == len(first):
                return
            stored = (pending for pending in batch if pending.event_id is not None)
            for instance_id, changes in _changes(stored).items():
                cursor.execute(statements.update(tuple(changes)), statements.update_values(instance_id, changes))

    @contextmanager
    def _transaction(self) -> Iterator[Connection]:
        """A transaction on the writer's connection (see IDLE_RELEASE). After a failure the connection goes
        back to the pool, which checks it before it is used again."""
        if self._connection is None:
            self._connection = db.engine.connect()
            if self._statements().one_statement:
                # Its one statement is a transaction of its own: no BEGIN and COMMIT round trips around it.
                self._connection.execution_options(isolation_level="AUTOCOMMIT")
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


def _changes(events: Iterable[PendingEvent]) -> dict[int, dict]:
    """The column changes per instance of these events: later events override earlier ones, as if
    applied one by one."""
    changes: dict[int, dict] = {}
    for pending in events:
        changes.setdefault(pending.instance_id, {}).update(pending.changes)
    return changes
