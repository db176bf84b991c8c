"""Group commit: one greenlet stores events in batches, each caller waiting for its own commit.

At low load a batch is one event and adds no delay; under load the events that arrive while a
commit runs go together in the next one, so commits per second stop being the limit. A batch's events
and the instance changes they bring are committed together, or none of them is.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime

import gevent
from gevent import get_hub
from gevent.event import Event
from sqlalchemy import Connection

from .. import metrics
from ..extensions import db
from ..models import EventSource
from .statements import Statements, StoredBefore

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


class WriterStopped(RuntimeError):
    """The writer was stopped (the gateway is shutting down): it stores nothing submitted after that."""


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
        self._stopped = False
        self._greenlet: gevent.Greenlet | None = None
        self._statements_built: Statements | None = None
        self._connection: Connection | None = None

    def submit(self, pending: PendingEvent) -> int | None:
        """Store the event; returns its id, or None when it was already stored (a duplicate)."""
        return self.submit_all([pending])[0]

    def submit_all(self, batch: list[PendingEvent]) -> list[int | None]:
        """Store several events at once (catch-up): submitted together, so they share group commits.

        After stop() this raises WriterStopped at once and stores nothing (starting a writer then would keep
        the shutdown waiting for it). A webhook is then answered with an error, which a provider that retries
        sends again; a catch-up simply does not store what it read: the next start catches up again from the
        last stored event, so those events are read again then.
        """
        if self._stopped:
            raise WriterStopped("the event writer is stopped: the gateway is shutting down")
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
                if self._stopped and not self._round.events:
                    return
        finally:
            self._ended(gevent.getcurrent())
            self._release()
            # A writer that ends for any reason (killed at shutdown) leaves no caller waiting, and the next
            # submit a round of its own: joining this one, finished, it would be answered at once, unstored.
            # What the writer may have stored meanwhile is found as a duplicate when the caller tries again.
            waiting, self._round = self._round, Round()
            for left in (current, waiting):
                if left is not None and not left.finished:
                    left.finish(failed=True)

    def _ended(self, greenlet) -> None:
        if self._greenlet is greenlet:
            self._greenlet = None

    def stop(self) -> None:
        """The writer stores what was submitted so far, then ends; for good (see submit_all)."""
        self._stopped = True
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
        """One multi-row INSERT and one UPDATE per instance for the whole batch, in one transaction.

        The statements run on the DBAPI cursor (gateway/ingest/statements.py). The rows they insert are
        matched back by their unique (instance, key); a key repeated inside the batch is a duplicate of its
        first copy. On PostgreSQL a batch first goes as one statement (_store_all_new).
        """
        first: dict[tuple[int, str], PendingEvent] = {}
        for pending in batch:
            first.setdefault((pending.instance_id, pending.dedupe_key), pending)
        ids = self._store_all_new(first) if self._one_statement_fits(batch) else None
        if ids is None:
            ids = self._store_new_ones(first)
        for pending in batch:
            key = (pending.instance_id, pending.dedupe_key)
            pending.event_id = ids.get(key) if first[key] is pending else None

    def _one_statement_fits(self, batch: list[PendingEvent]) -> bool:
        """Whether to try the batch as one statement: on PostgreSQL, unless it holds catch-up events, which
        are mostly stored already (a failed statement costs a round trip and an error in the server's log)."""
        return self._statements().one_statement and all(
            pending.source != EventSource.CATCHUP.value for pending in batch)

    def _store_all_new(self, first: dict[tuple[int, str], PendingEvent]) -> dict[tuple[int, str], int] | None:
        """The batch and its instance updates as one statement in autocommit: one round trip, atomic on its
        own. It holds if every event is new (the usual case); if one was stored before, it fails as a whole,
        commits nothing, and this returns None."""
        statements = self._statements()
        changes = _changes(first.values())
        sql = statements.insert_new(len(first), [tuple(columns) for columns in changes.values()])
        values = self._event_values(first.values())
        for instance_id, columns in changes.items():
            values += statements.update_values(instance_id, columns)
        with self._cursor() as cursor:
            try:
                cursor.execute(sql, values)
            except StoredBefore:
                return None
            return _inserted(cursor)

    def _store_new_ones(self, first: dict[tuple[int, str], PendingEvent]) -> dict[tuple[int, str], int]:
        """The batch in a transaction: an INSERT that skips the events stored before, then the updates of
        the events it inserted."""
        statements = self._statements()
        with self._cursor(transaction=True) as cursor:
            cursor.execute(statements.insert(len(first)), self._event_values(first.values()))
            ids = _inserted(cursor)
            for instance_id, columns in _changes(first[key] for key in first if key in ids).items():
                cursor.execute(statements.update(tuple(columns)), statements.update_values(instance_id, columns))
        return ids

    def _event_values(self, events: Iterable[PendingEvent]) -> list:
        convert = self._statements().event_values
        return [value for pending in events for value in convert(pending.values())]

    @contextmanager
    def _cursor(self, transaction: bool = False) -> Iterator:
        """A DBAPI cursor on the writer's connection (see IDLE_RELEASE), in a transaction if `transaction`.

        On SQLite the statements always share SQLAlchemy's transaction. On PostgreSQL the connection is in
        autocommit, so that the one statement needs no BEGIN and COMMIT round trips; a transaction there is
        psycopg's (BEGIN, then COMMIT, or ROLLBACK on an error). After a failure the connection goes back to
        the pool, which checks it before it is used again.
        """
        one_statement = self._statements().one_statement
        if self._connection is None:
            self._connection = db.engine.connect()
            if one_statement:
                self._connection.execution_options(isolation_level="AUTOCOMMIT")
        raw = self._connection.connection
        explicit = raw.driver_connection.transaction() if transaction and one_statement else nullcontext()
        try:
            with self._connection.begin(), explicit, closing(raw.cursor()) as cursor:
                yield cursor
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


def _inserted(cursor) -> dict[tuple[int, str], int]:
    """(instance, key) -> id of each event the INSERT just run inserted."""
    return {(instance_id, key): event_id for event_id, instance_id, key in cursor.fetchall()}


def _changes(events: Iterable[PendingEvent]) -> dict[int, dict]:
    """The column changes per instance of these events: later events override earlier ones, as if
    applied one by one."""
    changes: dict[int, dict] = {}
    for pending in events:
        changes.setdefault(pending.instance_id, {}).update(pending.changes)
    return changes
