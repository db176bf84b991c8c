"""One supervised socket.io connection to a provider: connect, listen, reconnect with back-off."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import socketio

from .. import metrics
from ..models import utcnow
from ..presenters import iso
from .backoff import Backoff

log = logging.getLogger(__name__)

# A connection that stayed up this long starts the next back-off from the first attempt again.
STABLE_AFTER = 10.0


@dataclass(frozen=True)
class Endpoint:
    """Where to connect: a namespace per instance, or the root namespace for global events."""

    base_url: str
    api_key: str
    namespace: str
    label: str


class SocketClient:
    """Keeps one namespace connected until stopped; python-socketio does the protocol."""

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
        self.last_event_at: datetime | None = None
        self.last_error: str | None = None
        self.joined = threading.Event()
        self._stop = threading.Event()
        self._wake = threading.Event()

    def run(self) -> None:
        """The loop a greenlet runs until stop(): each pass connects once and waits for a drop."""
        attempt = 0
        while not self._stop.is_set():
            began = time.monotonic()
            if self._connect_and_listen():
                attempt = 0 if time.monotonic() - began >= STABLE_AFTER else attempt
                self.reconnects += 1
                metrics.socket_reconnected()
            if self._stop.is_set():
                break
            self.state = "retrying"
            self._stop.wait(self.backoff.delay(attempt))
            attempt += 1
        self.state = "stopped"

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def status(self) -> dict:
        return {
            "label": self.endpoint.label,
            "namespace": self.endpoint.namespace,
            "state": self.state,
            "connected_since": iso(self.connected_since),
            "reconnects": self.reconnects,
            "last_event_at": iso(self.last_event_at),
            "last_error": self.last_error,
        }

    def _connect_and_listen(self) -> bool:
        """One connection's life; True when it joined (and then dropped or was stopped)."""
        client = socketio.Client(reconnection=False)
        namespace = self.endpoint.namespace
        client.on("*", self._event, namespace=namespace)
        client.on("disconnect", lambda *reason: self._wake.set(), namespace=namespace)
        client.on("connect_error", self._refused, namespace=namespace)
        self.state, self._wake = "connecting", threading.Event()
        try:
            client.connect(self.endpoint.base_url, namespaces=[namespace], transports=["websocket"],
                           headers={"apikey": self.endpoint.api_key}, wait_timeout=self.connect_timeout)
        except socketio.exceptions.ConnectionError as error:
            # "Invalid namespace" is normal: Evolution creates it at the instance's next event.
            if self.state == "connecting":
                self.last_error = str(error) or type(error).__name__
            _quietly_disconnect(client)
            return False
        first = not self.joined.is_set()
        self.state, self.connected_since, self.last_error = "connected", utcnow(), None
        self.joined.set()
        log.info("socket joined", extra={"fields": {"socket": self.endpoint.label, "first": first}})
        self.on_join(first)
        self._wake.wait()
        self.connected_since = None
        _quietly_disconnect(client)
        if not self._stop.is_set():
            self.last_error = "disconnected"
            log.info("socket dropped", extra={"fields": {"socket": self.endpoint.label}})
        return True

    def _refused(self, data: object = None) -> None:
        """The server's own reason ("Invalid namespace", "apiKey is required") beats the generic one."""
        message = data.get("message") if isinstance(data, dict) else data
        self.last_error = str(message or "connection refused")
        self.state = "refused"

    def _event(self, event: str, data: object = None) -> None:
        self.last_event_at = utcnow()
        try:
            self.on_event(event, data)
        except Exception:
            log.exception("socket event handler failed", extra={"fields": {"socket": self.endpoint.label,
                                                                           "event": event}})


def _quietly_disconnect(client: socketio.Client) -> None:
    try:
        client.disconnect()
    except Exception:  # already closed or half-open; nothing left to release
        log.debug("disconnect after failure raised", exc_info=True)
