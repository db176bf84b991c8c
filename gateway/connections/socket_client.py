"""One supervised socket to a provider server that carries every instance: connect, listen, reconnect.

Evolution's root namespace with global events, over socket.io here; WAHA's /ws subclasses the
transport (providers/waha/socket.py). Where to connect and how to authenticate is the provider's
(`Provider.socket_address`); the states it shows are socket_status's.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import socketio

from .. import metrics
from ..models import utcnow
from ..providers.base import SocketAddress
from .backoff import Backoff, Outcome, next_retry
from .socket_status import SocketStatus
from .socketio_client import SocketIOClient

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Endpoint:
    """Where to connect: the provider's address, the namespace (socket.io's root; WAHA's path), a label."""

    address: SocketAddress
    namespace: str
    label: str


class SocketClient(SocketStatus):
    """Keeps one namespace connected until stopped; python-socketio does the protocol.

    The root namespace always exists on a socket.io server, so unlike an instance's namespace
    (multiplex.Member) it is never "not created yet": every refusal is a failure.
    """

    def __init__(self, endpoint: Endpoint, on_event: Callable[[str, object], None],
                 on_join: Callable[[bool], None], backoff: Backoff, connect_timeout: float = 10.0):
        self.endpoint = endpoint
        self.on_event = on_event
        self.on_join = on_join
        self.backoff = backoff
        self.connect_timeout = connect_timeout
        self.state = "idle"
        self.connected_since: datetime | None = None
        self.reconnects = 0
        self.failures = 0
        self.last_event_at: datetime | None = None
        self.last_error: str | None = None
        self.next_attempt_at: datetime | None = None
        self._refusal: str | None = None
        self.joined = threading.Event()
        self._stop = threading.Event()
        self._wake = threading.Event()

    def run(self) -> None:
        """The loop a greenlet runs until stop(): each pass connects once and waits for a drop."""
        attempt = 0
        while not self._stop.is_set():
            outcome = self._connect_and_listen()
            if outcome is Outcome.DROPPED:
                self.reconnects += 1
                metrics.socket_reconnected()
            if self._stop.is_set():
                break
            retry = next_retry(outcome, attempt, self.backoff)
            attempt, self.state = retry.attempt, retry.state
            self.failures = self.failures + 1 if outcome is Outcome.FAILED else 0
            self.next_attempt_at = utcnow() + timedelta(seconds=retry.delay)
            self._stop.wait(retry.delay)
            self.next_attempt_at = None
        self.state = "stopped"

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    @property
    def label(self) -> str:
        return self.endpoint.label

    @property
    def namespace(self) -> str:
        return self.endpoint.namespace

    def _connect_and_listen(self) -> Outcome:
        """One connection's life: DROPPED when it joined (then dropped or was stopped), else why not."""
        client = SocketIOClient()
        namespace = self.endpoint.namespace
        client.on("*", self._event, namespace=namespace)
        client.on("disconnect", lambda *reason: self._wake.set(), namespace=namespace)
        client.on("connect_error", self._refused, namespace=namespace)
        # Later attempts keep showing why the last one failed (no flicker to "connecting").
        self.state = "connecting" if self.state == "idle" else self.state
        self._wake, self._refusal = threading.Event(), None
        try:
            address = self.endpoint.address
            client.connect(address.url, namespaces=[namespace], transports=["websocket"], headers=dict(address.headers),
                           socketio_path=address.path, wait_timeout=self.connect_timeout)
        except socketio.exceptions.ConnectionError as error:
            self.last_error = self.endpoint.address.masked(self._refusal or str(error) or type(error).__name__)
            client.disconnect_quietly()
            return Outcome.FAILED
        first = not self.joined.is_set()
        self.state, self.connected_since, self.last_error, self.failures = "connected", utcnow(), None, 0
        self.joined.set()
        log.info("socket joined", extra={"fields": {"socket": self.endpoint.label, "first": first}})
        self.on_join(first)
        self._wake.wait()
        self.connected_since = None
        client.disconnect_quietly()
        if not self._stop.is_set():
            self.last_error = "disconnected"
            log.info("socket dropped", extra={"fields": {"socket": self.endpoint.label}})
        return Outcome.DROPPED

    def _refused(self, data: object = None) -> None:
        """The server's own reason ("apiKey is required") beats the generic one."""
        message = data.get("message") if isinstance(data, dict) else data
        self._refusal = str(message or "connection refused")

    def _event(self, event: str, data: object = None) -> None:
        self.last_event_at = utcnow()
        try:
            self.on_event(event, data)
        except Exception:
            log.exception("socket event handler failed", extra={"fields": {"socket": self.endpoint.label,
                                                                           "event": event}})
