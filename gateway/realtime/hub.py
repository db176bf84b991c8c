"""Live sockets: fragments rendered once per event, browsers kept by a greenlet each, and program
streams written straight from the publisher.

A browser's own greenlet reads what it sends (subscribe, pause) into an inbox; everything else,
database reads and rendering included, happens in the socket's request context. A program stream
needs no rendering, so the publisher writes its frames without waking anyone (`FrameWriter`).
"""
from __future__ import annotations

import itertools
import struct
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

import gevent

from simple_websocket import ConnectionClosed

from .. import metrics
from .bus import Bus, Subscription, tenant_topic

_sequence = itertools.count(1)


@dataclass(frozen=True)
class InstanceChanged:
    """Published when an instance changed outside the event pipeline (mode, creation, deletion)."""

    tenant_id: int
    # None: some of the tenant's instances, changed by another process that did not say which.
    instance_id: int | None
    seq: int = field(default_factory=lambda: next(_sequence))


def announce(bus: Bus, tenant_id: int, instance_id: int | None) -> None:
    """Tell the tenant's open pages that an instance changed outside the event pipeline."""
    bus.publish([tenant_topic(tenant_id)], InstanceChanged(tenant_id, instance_id))


class FragmentCache:
    """Rendered HTML by key; a key is rendered once however many clients of a tenant ask for it."""

    def __init__(self, size: int = 512):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        # One render at a time: a second client asking for the same key waits and reuses it.
        self._lock = threading.Lock()

    def get(self, key: tuple, render: Callable[[], str]) -> str:
        with self._lock:
            html = self._items.get(key)
            if html is None:
                html = self._items[key] = render()
                if len(self._items) > self.size:
                    self._items.popitem(last=False)
            return html


def text_frame(text: str) -> bytes:
    """One final, unmasked WebSocket text frame: a server's frame is the same bytes for every client,
    so an event is encoded once for all of them (uncompressed, which permessage-deflate allows).
    """
    payload = text.encode()
    size = len(payload)
    if size < 126:
        return bytes((0x81, size)) + payload
    if size < 65536:
        return struct.pack(">BBH", 0x81, 126, size) + payload
    return struct.pack(">BBQ", 0x81, 127, size) + payload


class LiveSocket:
    """A WebSocket client: its bus subscription, what it sent us, and whether it is still there."""

    def __init__(self, ws, subscription: Subscription, spawn: Callable):
        self.ws = ws
        self.subscription = subscription
        self.inbox: deque[str] = deque()
        self.open = True
        spawn("live-socket-receiver", self._receive)

    def _receive(self) -> None:
        try:
            while True:
                self.inbox.append(self.ws.receive())
                self.subscription.wake()
        except ConnectionClosed:
            pass
        finally:
            self.open = False
            self.subscription.wake()

    def next_batch(self, timeout: float | None = None) -> tuple[list, int, list[str]]:
        """Published items, how many were dropped for this client, and the client's messages.

        No timeout by default: the receiver wakes the subscription when the client leaves.
        """
        items, skipped = self.subscription.drain(timeout)
        metrics.frames_skipped(skipped)
        messages = list(self.inbox)
        self.inbox.clear()
        return items, skipped, messages

    def send(self, text: str) -> bool:
        return self.send_frame(text_frame(text))

    def send_frame(self, frame: bytes) -> bool:
        """Write an encoded frame whole (simple_websocket's send may write part of a large one); False once gone."""
        try:
            self.ws.sock.sendall(frame)
        except OSError:
            self.open = False
        return self.open and self.ws.connected


class FrameWriter:
    """Writes whole frames to one client's socket without waiting for the client.

    The publisher's greenlet tries the socket once, non-blocking; whatever the socket cannot take
    now waits in a bounded queue that a flusher greenlet of this client writes. Past `maxsize`
    frames the oldest waiting ones are dropped and counted, and the client gets
    `skipped_frame(count)` before the rest. A frame already begun is always finished.
    """

    def __init__(self, sock, spawn: Callable, maxsize: int, skipped_frame: Callable[[int], bytes]):
        self.sock, self.spawn, self.maxsize, self.skipped_frame = sock, spawn, maxsize, skipped_frame
        self.open = True
        self.skipped = 0
        self._rest = b""  # the unsent end of a frame already begun
        self._waiting: deque[bytes] = deque()
        self._flusher: gevent.Greenlet | None = None

    def send(self, frame: bytes) -> None:
        if not self.open:
            return
        if self._flusher is not None:
            self._queue(frame)
            return
        try:
            sent = self.sock.send(frame, timeout=0.0)
        except BlockingIOError:
            sent = 0
        except OSError:
            self.open = False
            return
        if sent < len(frame):
            self._rest = frame[sent:]
            self._flusher = self.spawn("frame-flusher", self._flush)

    def _queue(self, frame: bytes) -> None:
        if len(self._waiting) >= self.maxsize:
            self._waiting.popleft()
            self.skipped += 1
            metrics.frames_skipped(1)
        self._waiting.append(frame)

    def _flush(self) -> None:
        """Write what waits, blocking this greenlet only; ends when nothing is left."""
        try:
            while self.open:
                if self._rest:
                    chunk, self._rest = self._rest, b""
                elif self.skipped:
                    chunk, self.skipped = self.skipped_frame(self.skipped), 0
                elif self._waiting:
                    chunk = self._waiting.popleft()
                else:
                    return
                self.sock.sendall(chunk)
        except OSError:
            self.open = False
        finally:
            self._flusher = None

    def close(self) -> None:
        self.open = False
        if self._flusher is not None:
            self._flusher.kill(block=False)
