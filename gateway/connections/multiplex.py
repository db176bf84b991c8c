"""One socket.io connection per provider server, carrying a namespace per instance.

A provider that gives every instance a namespace on one socket.io server (Evolution's `/<instance>`)
accepts many namespaces over one engine.io connection: one connection, one file descriptor and one
reading greenlet per server instead of per instance (62 kB and a descriptor each before). Where the
server is and how the handshake authenticates is the provider's (`Provider.socket_address`).

python-socketio's `connect()` joins a list of namespaces and, when it waits, fails them all if one
is refused. Here it does not wait (`wait=False`): each namespace's CONNECT is answered on its own,
a refused one ("Invalid namespace" until the instance's first event) is retried on its own, and
the others stay joined. A namespace joined after the connection is up (a new instance, a retry)
goes through `NamespaceClient.join`, the one place that sends a CONNECT packet outside `connect()`.

Every namespace has the states of socket_status and the retry rules of backoff.next_retry.
One scheduler greenlet per server opens the connection when a namespace is due, joins the due
namespaces, and hands the instances that joined to `on_joined` in one batch (their resync), each
instance once however often it joined meanwhile.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import socketio
from socketio import packet

from .. import metrics
from ..models import utcnow
from ..providers.base import SocketAddress
from .backoff import Backoff, Outcome, Retry, next_retry
from .socket_status import SocketStatus
from .socketio_client import SocketIOClient

log = logging.getLogger(__name__)
TICK = 0.05  # seconds: the scheduler's shortest pass interval
# A socket.io server's connect_error message for a namespace it has not created (yet): Evolution
# creates an instance's namespace at the instance's first event.
NO_NAMESPACE = "Invalid namespace"


class NamespaceClient(SocketIOClient):
    """The gateway's socket.io client, plus joining and leaving one namespace on a live connection."""

    def join(self, namespace: str) -> None:
        """Send the namespace's CONNECT, as connect() does for each of its namespaces; the answer
        comes to the `connect` or `connect_error` handler like theirs."""
        self._send_packet(self.packet_class(packet.CONNECT, data={}, namespace=namespace))

    def leave(self, namespace: str) -> None:
        """Send the namespace's DISCONNECT, as disconnect() does for each; the others stay joined."""
        if self.namespaces.pop(namespace, None) is not None and self.connected:
            self._send_packet(self.packet_class(packet.DISCONNECT, namespace=namespace))


@dataclass
class Member(SocketStatus):
    """One instance's namespace on its server's connection; shows the socket client's states."""

    namespace: str
    label: str
    instance_id: int
    on_event: Callable[[str, object], None]
    server: ServerSocket = field(repr=False)
    state: str = "idle"
    connected_since: datetime | None = None
    reconnects: int = 0
    failures: int = 0
    attempt: int = 0
    last_event_at: datetime | None = None
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    due: float = 0.0  # monotonic time of the next join attempt, or when a join on its way times out
    pending: bool = False  # a CONNECT is on its way
    joined: threading.Event = field(default_factory=threading.Event, repr=False)

    def stop(self) -> None:
        self.server.remove(self.namespace)

    def retry_after(self, outcome: Outcome, backoff: Backoff, namespace_retry: float) -> None:
        self.follow(next_retry(outcome, self.attempt, backoff, namespace_retry), outcome)

    def follow(self, retry: Retry, outcome: Outcome) -> None:
        self.attempt, self.state, self.pending = retry.attempt, retry.state, False
        self.failures = self.failures + 1 if outcome is Outcome.FAILED else 0
        self.due = time.monotonic() + retry.delay
        self.next_attempt_at = utcnow() + timedelta(seconds=retry.delay)


class ServerSocket:
    """All of one server's instance namespaces over one engine.io connection, and its scheduler."""

    def __init__(self, key: int, address: SocketAddress, label: str, spawn: Callable,
                 on_joined: Callable[[list[tuple[int, bool]]], None], backoff: Backoff,
                 namespace_retry: float = 1.5, connect_timeout: float = 10.0):
        self.key = key
        self.address = address
        self.label = label
        self.spawn = spawn
        self.on_joined = on_joined
        self.backoff = backoff
        self.namespace_retry = namespace_retry
        self.connect_timeout = connect_timeout
        self.members: dict[str, Member] = {}
        self.client: NamespaceClient | None = None
        self._joins: dict[int, bool] = {}  # instance id -> whether it is its first join
        self._joined_since_connect = False
        self._wake = threading.Event()
        self._stopped = threading.Event()
        self._greenlet = None

    def add(self, namespace: str, label: str, instance_id: int, on_event: Callable[[str, object], None]) -> Member:
        """Carry one more namespace (joined at once if the connection is up); idempotent."""
        member = self.members.get(namespace)
        if member is None:
            member = self.members[namespace] = Member(namespace, label, instance_id, on_event, self)
            member.state = "connecting"
            self._wake.set()
        if self._greenlet is None:
            self._greenlet = self.spawn(f"socket:{self.label}", self.run)
        return member

    def remove(self, namespace: str) -> None:
        """Leave one namespace; the others stay joined. The last one closes the connection."""
        member = self.members.pop(namespace, None)
        if member is not None:
            member.state = "stopped"
        if self.client is not None:
            self.client.leave(namespace)
        if not self.members:
            self.stop()

    def stop(self) -> None:
        self._stopped.set()
        self._wake.set()

    def run(self) -> None:
        """The scheduler: (re)connect when a namespace is due, join the due ones, batch the joins."""
        while not self._stopped.is_set():
            # Answers to thousands of joins arrive one by one: take them in ticks, not a pass over
            # every namespace per answer.
            self._stopped.wait(TICK)
            self._wake.clear()
            if self.client is None or not self.client.connected:
                self._reconnect()
            else:
                self._join_due()
            self._hand_over_joins()
            if not self._stopped.is_set():  # a stop during the tick: the clear() above took its wake-up
                self._wake.wait(self._until_next_due())
        self._close()
        for member in self.members.values():
            member.state = "stopped"

    def _reconnect(self) -> None:
        if self.client is not None:
            self._dropped()
        due = [m for m in self.members.values() if m.due <= time.monotonic()]
        if not due:
            return
        client = NamespaceClient()
        client.on("*", self._event, namespace="*")
        client.on("connect", self._connected, namespace="*")
        client.on("connect_error", self._refused, namespace="*")
        client.on("disconnect", self._disconnected, namespace="*")
        for member in due:
            member.pending, member.due = True, time.monotonic() + self.connect_timeout
        try:
            # wait=False: each namespace is answered on its own; connect() would fail all for one refusal.
            client.connect(self.address.url, namespaces=[m.namespace for m in due], transports=["websocket"],
                           headers=dict(self.address.headers), socketio_path=self.address.path, wait=False,
                           wait_timeout=self.connect_timeout)
        except socketio.exceptions.ConnectionError as error:
            reason = self.address.masked(str(error) or type(error).__name__)
            for member in self.members.values():
                member.last_error = reason
                member.retry_after(Outcome.FAILED, self.backoff, self.namespace_retry)
            client.disconnect_quietly()
            return
        self.client = client

    def _dropped(self) -> None:
        """The connection went away: its namespaces rejoin together, on a new connection opened after
        one delay of the back-off (started again: the join proved the server and the key good)."""
        self.client.disconnect_quietly()
        self.client = None
        retry = next_retry(Outcome.DROPPED, 0, self.backoff, self.namespace_retry)
        for member in self.members.values():
            if member.state == "connected" or member.pending:
                self._drop(member, retry)
        if self._joined_since_connect:
            self._joined_since_connect = False
            metrics.socket_reconnected()
            log.info("socket dropped", extra={"fields": {"socket": self.label}})

    def _drop(self, member: Member, retry: Retry) -> None:
        member.reconnects += member.state == "connected"
        member.connected_since, member.last_error = None, "disconnected"
        member.follow(retry, Outcome.DROPPED)

    def _join_due(self) -> None:
        now = time.monotonic()
        for member in list(self.members.values()):
            if member.state == "connected" or member.due > now:
                continue
            if member.pending:  # no answer in time: a failure like a refusal
                member.last_error = "the server did not answer the join"
                member.retry_after(Outcome.FAILED, self.backoff, self.namespace_retry)
                continue
            member.pending, member.due = True, now + self.connect_timeout
            self.client.join(member.namespace)

    def _hand_over_joins(self) -> None:
        """Once no join is awaiting its answer, the instances that joined go to `on_joined` together."""
        if self._joins and not any(member.pending for member in self.members.values()):
            joins, self._joins = list(self._joins.items()), {}
            self.spawn(f"joined:{self.label}", self.on_joined, joins)

    def _until_next_due(self) -> float | None:
        waiting = [m.due for m in self.members.values() if m.state != "connected"]
        return max(0.0, min(waiting) - time.monotonic()) if waiting else None

    def _close(self) -> None:
        if self.client is not None:
            self.client.disconnect_quietly()
            self.client = None

    # Handlers: they run on the connection's reading greenlet and only record and wake the scheduler.

    def _connected(self, namespace: str) -> None:
        member = self.members.get(namespace)
        if member is None:
            return
        first = not member.joined.is_set()
        member.state, member.pending, member.attempt, member.failures = "connected", False, 0, 0
        member.connected_since, member.last_error, member.next_attempt_at = utcnow(), None, None
        member.joined.set()
        self._joined_since_connect = True
        # Joined twice before the hand-over (the server closed the namespace, it rejoined): one resync.
        self._joins[member.instance_id] = self._joins.get(member.instance_id, False) or first
        self._wake.set()

    def _refused(self, namespace: str, data: object = None) -> None:
        member = self.members.get(namespace)
        if member is None:
            return
        message = data.get("message") if isinstance(data, dict) else data
        member.last_error = self.address.masked(str(message or "connection refused"))
        # "Invalid namespace" is normal: the provider creates it at the instance's next event.
        outcome = Outcome.NO_NAMESPACE if member.last_error == NO_NAMESPACE else Outcome.FAILED
        member.retry_after(outcome, self.backoff, self.namespace_retry)
        self._wake.set()

    def _disconnected(self, namespace: str, reason: object = None) -> None:
        """One namespace closed by the server retries alone; a dropped connection is the scheduler's."""
        member = self.members.get(namespace)
        if member is not None and member.state == "connected" and reason == socketio.Client.reason.SERVER_DISCONNECT:
            self._drop(member, next_retry(Outcome.DROPPED, member.attempt, self.backoff, self.namespace_retry))
        self._wake.set()

    def _event(self, event: str, namespace: str, data: object = None) -> None:
        member = self.members.get(namespace)
        if member is None:
            return
        member.last_event_at = utcnow()
        try:
            member.on_event(event, data)
        except Exception:
            log.exception("socket event handler failed", extra={"fields": {"socket": member.label, "event": event}})
