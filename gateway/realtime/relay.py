"""The bus across processes: what one process publishes reaches the subscribers of every process,
through one Redis pub/sub channel.

Why pub/sub and not Streams: the database is the record of every event, and the gap a replay
window would fill is the one Redis itself cannot fill (while Redis is down nothing reaches a stream
either). So Redis only carries live news, fire and forget; a client that was cut off is told so
(`BusStatus`) and resynchronises from the database.

The writer never waits for Redis: `publish` delivers to this process's subscribers at once and
leaves the item in a bounded outbox that a publisher greenlet sends on. A listener greenlet
receives the other processes' items and delivers each once to this process's subscribers, so a
frame is decoded, rendered and serialised once per process however many clients read it.
"""
from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import fields

import redis

from ..connections.backoff import Backoff
from ..ingest.pipeline import LiveEvent
from ..models import utcnow
from ..presenters import iso
from .bus import HEALTHY, Bus, BusStatus, Subscriber
from .hub import InstanceChanged

log = logging.getLogger(__name__)

OUTBOX = 10_000  # items waiting for Redis; past this the oldest are dropped (pages resync anyway)
PUBLISH_BATCH = 500
PING_EVERY = 1.0  # seconds without a message before the listener asks Redis whether it is there
SILENT_LIMIT = 3.0  # seconds without any answer: the connection is treated as lost
LIVE_EVENT_FIELDS = tuple(field.name for field in fields(LiveEvent))


def encode(origin: str, topics: Iterable[str], item) -> bytes | None:
    """One bus item as a Redis message; None for items that stay in their process.

    The origin and topics travel in a first line before the JSON body, so that a process can pass
    over its own messages, and those no client of its follows, without parsing the body: every
    process hears every message, and the body (an event's whole payload) is most of the cost.
    """
    if isinstance(item, LiveEvent):
        kind, value = "event", {name: getattr(item, name) for name in LIVE_EVENT_FIELDS}
    elif isinstance(item, InstanceChanged):
        kind, value = "instance", {"tenant_id": item.tenant_id, "instance_id": item.instance_id}
    else:
        return None
    header = f"{origin} {' '.join(topics)}\n".encode()
    return header + json.dumps({"kind": kind, "item": value}, separators=(",", ":"), default=str).encode()


def header(message: bytes) -> tuple[str, list[str], bytes]:
    """(origin, topics, body) of a Redis message, the body left unparsed; ValueError for anything else."""
    first, newline, body = message.partition(b"\n")
    origin, *topics = first.decode(errors="replace").split(" ")
    if not newline or not origin:
        raise ValueError("not a bus message: no origin line")
    return origin, topics, body


def decode(message: bytes) -> tuple[str, list[str], object]:
    """(origin, topics, item) of a Redis message; ValueError for anything else."""
    origin, topics, body = header(message)
    return origin, topics, decode_body(body)


def decode_body(body: bytes) -> object:
    try:
        parsed = json.loads(body)
        kind, value = parsed["kind"], parsed["item"]
        if kind == "event":
            return LiveEvent(**{name: value[name] for name in LIVE_EVENT_FIELDS})
        if kind == "instance":
            return InstanceChanged(int(value["tenant_id"]), int(value["instance_id"]))
        raise ValueError(f"unknown kind {kind!r}")
    except (KeyError, TypeError, AttributeError) as error:
        raise ValueError(f"not a bus message: {error}") from error


class RedisBus(Bus):
    """The in-process bus, plus a publisher and a listener greenlet that relay items over Redis."""

    def __init__(self, client: redis.Redis, channel: str, spawn: Callable, backoff: Backoff):
        super().__init__()
        self.client, self.channel, self.spawn, self.backoff = client, channel, spawn, backoff
        self.origin = uuid.uuid4().hex
        self.status = HEALTHY
        self.dropped = 0
        self._outbox: deque[tuple[tuple[str, ...], object]] = deque()
        self._outbox_ready = threading.Event()
        self._stopping = threading.Event()
        self._started = False
        self._subscribed = False  # the listener's current connection was confirmed by Redis

    def attach(self, subscriber: Subscriber) -> Subscriber:
        self.start()
        return super().attach(subscriber)

    def publish(self, topics: Iterable[str], item) -> int:
        """Deliver here at once; queue for the other processes (never waits for Redis)."""
        self.start()
        topics = tuple(topics)
        delivered = self.deliver(topics, item)
        if len(self._outbox) >= OUTBOX:
            self._outbox.popleft()
            self.dropped += 1
        self._outbox.append((topics, item))
        self._outbox_ready.set()
        return delivered

    def start(self) -> None:
        """Start the relay greenlets on first use (a CLI command that never publishes opens nothing)."""
        if not self._started:
            self._started = True
            self.spawn("bus-publisher", self._send_loop)
            self.spawn("bus-listener", self._listen_loop)

    def flush(self) -> None:
        """Send the outbox now, from the caller: a process that ends (a CLI command) before its publisher
        greenlet ever ran would otherwise take its announcements with it."""
        batch = [self._outbox.popleft() for _ in range(len(self._outbox))]
        if not batch:
            return
        try:
            self._send(batch)
        except (redis.RedisError, OSError) as error:
            log.warning("bus items not sent: Redis failed",
                        extra={"fields": {"items": len(batch), "error": f"{type(error).__name__}: {error}"}})

    def stop(self) -> None:
        self._stopping.set()
        self._outbox_ready.set()

    # -- publisher ------------------------------------------------------------------------------

    def _send_loop(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            self._outbox_ready.wait()
            self._outbox_ready.clear()
            while self._outbox and not self._stopping.is_set():
                batch = [self._outbox.popleft() for _ in range(min(PUBLISH_BATCH, len(self._outbox)))]
                try:
                    self._send(batch)
                    attempt = 0
                except (redis.RedisError, OSError) as error:
                    self._trouble(error)
                    self._outbox.extendleft(reversed(batch))  # sent again once Redis answers
                    while len(self._outbox) > OUTBOX:
                        self._outbox.popleft()
                        self.dropped += 1
                    if self._stopping.wait(self.backoff.delay(attempt)):
                        return
                    attempt += 1

    def _send(self, batch: list[tuple[tuple[str, ...], object]]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for topics, item in batch:
            message = encode(self.origin, topics, item)
            if message is not None:
                pipe.publish(self.channel, message)
        pipe.execute()

    # -- listener -------------------------------------------------------------------------------

    def _listen_loop(self) -> None:
        attempt = 0
        while not self._stopping.is_set():
            pubsub, self._subscribed = self.client.pubsub(), False
            try:
                pubsub.subscribe(self.channel)
                self._listen(pubsub)
            except (redis.RedisError, OSError) as error:
                self._trouble(error)
            finally:
                pubsub.reset()
            # A connection that worked starts the back-off again; one that never did keeps growing it.
            attempt = 0 if self._subscribed else attempt + 1
            if self._stopping.wait(self.backoff.delay(attempt)):
                return

    def _listen(self, pubsub) -> None:
        """Relay the other processes' items until the connection fails or the bus stops."""
        heard = pinged = time.monotonic()
        while not self._stopping.is_set():
            message = pubsub.get_message(timeout=PING_EVERY)
            now = time.monotonic()
            if message is not None:
                heard = now
                if message["type"] in ("subscribe", "pong"):
                    self._subscribed = True
                    self._healthy()
                elif message["type"] == "message":
                    self._relay(message["data"])
            if now - heard > SILENT_LIMIT:
                raise redis.ConnectionError(f"Redis did not answer for {SILENT_LIMIT:.0f} s")
            if now - heard >= PING_EVERY and now - pinged >= PING_EVERY:
                pubsub.ping()
                pinged = now

    def _relay(self, data: bytes) -> None:
        try:
            origin, topics, body = header(data)
            # Our own items were delivered here when they were published; nobody here follows the others'.
            if origin == self.origin or not self.followers_of(topics):
                return
            item = decode_body(body)
        except ValueError as error:
            log.warning("bus message ignored", extra={"fields": {"error": str(error)}})
            return
        self.deliver(topics, item)

    # -- status ---------------------------------------------------------------------------------

    def _trouble(self, error: Exception) -> None:
        if self.status.degraded:
            return
        self.status = BusStatus(degraded=True, since=iso(utcnow()), error="Redis is unreachable")
        log.warning("bus degraded: other processes' events do not arrive",
                    extra={"fields": {"error": f"{type(error).__name__}: {error}"}})
        self.broadcast(self.status)

    def _healthy(self) -> None:
        if not self.status.degraded:
            return
        since, self.status = self.status.since, HEALTHY
        log.warning("bus recovered", extra={"fields": {"degraded_since": since}})
        self.broadcast(BusStatus(degraded=False, since=since))
