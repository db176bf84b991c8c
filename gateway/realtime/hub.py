"""Live sockets: one bounded bus subscription per client, and fragments rendered once per event.

A client's own greenlet reads what it sends (subscribe, pause) into an inbox; everything else,
database reads and rendering included, happens in the socket's request context.
"""
from __future__ import annotations

import itertools
import struct
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from simple_websocket import ConnectionClosed

from .. import metrics
from .bus import Bus, Subscription, tenant_topic

_sequence = itertools.count(1)


@dataclass(frozen=True)
class InstanceChanged:
    """Published when an instance changed outside the event pipeline (mode, creation, deletion)."""

    tenant_id: int
    instance_id: int
    seq: int = field(default_factory=lambda: next(_sequence))


def announce(bus: Bus, tenant_id: int, instance_id: int) -> None:
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

    def next_batch(self, timeout: float) -> tuple[list, int, list[str]]:
        """Published items, how many were dropped for this client, and the client's messages."""
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
