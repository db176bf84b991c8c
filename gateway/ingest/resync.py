"""Catch-up: read from the provider what the gateway may have missed and feed it to the pipeline.

It runs after every socket join (with the instance's state and QR), and for webhook delivery when
the gateway starts, when sync or the watchdog re-applies a lost channel, when an instance reopens
after a provider restart, and when an operator asks. Everything read goes through the pipeline as
source `catchup`, so de-duplication drops what already arrived and the browser sees the rest like
any other event. A catch-up still running when the gateway shuts down stores nothing more: the next start
reads from the last stored event again.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ..extensions import db
from ..models import EventSource, Instance, utcnow
from ..presenters import iso
from ..servers import provider
from ..providers import provider_for
from ..providers.errors import ProviderError
from ..providers.normalized import NormalizeError
from .pipeline import Pipeline, Target
from .writer import WriterStopped

log = logging.getLogger(__name__)
# With no event ever seen, look back this far (a fresh switch to websocket on a busy number).
FIRST_LOOKBACK = timedelta(minutes=5)


@dataclass
class CatchUpResult:
    """What one catch-up read and what of it was new (the rest had arrived already)."""

    since: datetime
    read: int = 0
    recovered: Counter = field(default_factory=Counter)

    def json(self) -> dict:
        return {"since": iso(self.since), "read": self.read, "recovered": sum(self.recovered.values()),
                "recovered_by_event": dict(sorted(self.recovered.items()))}


class Resync:
    """Catch-up for one instance at a time: a request made while one runs is served once it ends.

    `margin` is how far before the last stored event the provider is read again: clocks differ,
    a message is stored a moment after its timestamp, and an ack found later is filed under its
    message's time, so acks for messages older than the margin are out of reach.
    """

    def __init__(self, pipeline: Pipeline, spawn: Callable, margin: timedelta):
        self.pipeline = pipeline
        self.spawn = spawn
        self.margin = margin
        self._locks: dict[int, threading.Lock] = {}
        self._queued: set[int] = set()
        self._stopping = threading.Event()

    def on_join(self, instance_id: int, first: bool) -> None:
        """After a socket join: the instance's state (and QR), then what the gap missed."""
        with self._lock(instance_id):
            self._queued.discard(instance_id)
            self._run(instance_id, None, with_state=True)

    def request(self, instance_id: int, reason: str, delay: float = 0.0) -> None:
        """Catch up in the background after `delay` seconds; a request already waiting covers this one."""
        if instance_id in self._queued:
            return
        self._queued.add(instance_id)
        log.info("catch-up requested", extra={"fields": {"instance_id": instance_id, "reason": reason}})
        self.spawn(f"catch-up:{instance_id}", self._queued_run, instance_id, delay)

    def stop(self) -> None:
        """Cancel the waits of delayed requests (shutdown)."""
        self._stopping.set()

    def catch_up(self, instance_id: int, since: datetime | None = None) -> CatchUpResult | None:
        """Catch up now (an operator's request); None if the instance is gone. ProviderError passes, and
        WriterStopped during a shutdown."""
        with self._lock(instance_id):
            return self._run(instance_id, since, with_state=False, quiet=False)

    def _queued_run(self, instance_id: int, delay: float) -> None:
        if self._stopping.wait(delay):
            return
        with self._lock(instance_id):
            self._queued.discard(instance_id)
            self._run(instance_id, None, with_state=False)

    def _lock(self, instance_id: int) -> threading.Lock:
        return self._locks.setdefault(instance_id, threading.Lock())

    def _run(self, instance_id: int, since: datetime | None, with_state: bool,
             quiet: bool = True) -> CatchUpResult | None:
        instance = db.session.get(Instance, instance_id)
        if instance is None:
            return None
        target = Target(instance.id, instance.tenant_id, instance.name, instance.server.kind)
        since = since or (instance.last_event_at or utcnow() - FIRST_LOOKBACK) - self.margin
        client = provider(instance.server)
        db.session.commit()  # release the read transaction before the slow provider calls
        try:
            result = self._missed(client, target, since)
            if with_state:
                self._state(client, target)
        except (ProviderError, WriterStopped) as error:
            if not quiet:
                raise
            log.warning("catch-up failed", extra={"fields": {"instance": target.name, "error": str(error)}})
            return None
        return result

    def _missed(self, client, target: Target, since: datetime) -> CatchUpResult:
        envelopes = provider_for(target.kind).missed(client, target.name, int(since.timestamp()))
        result = CatchUpResult(since, read=len(envelopes))
        for envelope, stored in zip(envelopes, self._feed_all(target, envelopes)):
            if stored is not None:
                result.recovered[envelope["event"]] += 1
        if result.recovered:
            log.info("caught up", extra={"fields": {"instance": target.name, **result.json()}})
        return result

    def _state(self, client, target: Target) -> None:
        """The state (and QR) the provider shows now, as its own events would have said it."""
        self._feed_all(target, provider_for(target.kind).state_now(client, target.name))

    def _feed_all(self, target: Target, envelopes: list[dict]) -> list[int | None]:
        try:
            return self.pipeline.handle_all(target, envelopes, EventSource.CATCHUP.value)
        except NormalizeError as error:
            # Built here from the provider's records, so this is a bug, not bad input: say so and go on.
            log.warning("catch-up records skipped", extra={"fields": {"instance": target.name, "error": str(error)}})
            return [None] * len(envelopes)
