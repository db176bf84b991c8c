"""Socket.io delivery: per-instance namespaces that appear on first use, the global root, handshake auth.

Follows src/api/integrations/event/websocket/websocket.controller.ts (init and allowRequest, emit).
"""
from __future__ import annotations

import json
import time
from collections import deque
from typing import Callable
from urllib.parse import parse_qs

import socketio

DEPARTURES_KEPT = 100
NOT_SOCKET_IO = b"This is a socket.io endpoint (Engine.IO 4): connect with a socket.io client.\n"


class SocketHub:
    """Owns the python-socketio server and which instance namespaces exist yet."""

    def __init__(self, global_events: bool) -> None:
        self.global_events = global_events
        self.server = socketio.Server(
            async_mode="gevent", namespaces="*", cors_allowed_origins="*",
            ping_interval=25, ping_timeout=20, max_http_buffer_size=1_000_000,
        )
        self.server.on("connect", self._on_connect, namespace="*")
        self.server.on("disconnect", self._on_disconnect, namespace="*")
        self._live: set[str] = set()
        self._departures: deque[dict] = deque(maxlen=DEPARTURES_KEPT)
        self._down_until = 0.0

    def _on_connect(self, namespace: str, sid: str, environ: dict, auth=None) -> None:
        # socket.io only knows `/{instance}` once the server called `io.of()` for it.
        if namespace != "/" and namespace not in self._live:
            raise socketio.exceptions.ConnectionRefusedError("Invalid namespace")

    def _on_disconnect(self, namespace: str, sid: str, reason: str) -> None:
        self._departures.append({"namespace": namespace, "reason": reason})

    def publish(self, instance_name: str, event: str, message: dict, to_instance: bool) -> None:
        if self.global_events:
            self.server.emit(event, message, namespace="/")
        if to_instance:
            namespace = f"/{instance_name}"
            self._live.add(namespace)
            self.server.emit(event, message, namespace=namespace)

    def is_live(self, instance_name: str) -> bool:
        return f"/{instance_name}" in self._live

    def connected(self) -> dict[str, int]:
        """Clients connected now, by namespace: how tests see that exactly one gateway process holds a socket."""
        manager = self.server.manager
        return {namespace: sum(1 for _ in manager.get_participants(namespace, None))
                for namespace in list(manager.get_namespaces())}

    def departures(self) -> list[dict]:
        """How the last clients left, oldest first: python-socketio's reason is "client disconnect" when the
        client's goodbye (a DISCONNECT packet) arrived, "transport close" when only its connection ended."""
        return list(self._departures)

    def drop_clients(self, hold: float = 0.0) -> None:
        """Cut every engine.io transport without a close packet, as a crashed server would; for `hold`
        seconds new handshakes are refused too (a network cut), while REST and webhooks carry on."""
        self._down_until = time.monotonic() + hold
        for socket in list(self.server.eio.sockets.values()):
            socket.close(wait=False, abort=True)

    def unreachable(self) -> bool:
        return time.monotonic() < self._down_until

    def forget_namespaces(self) -> None:
        self._live.clear()

    def wsgi(self, app, accepts_key: Callable[[str], bool], trusted_hosts: frozenset[str]):
        return HandshakeGuard(socketio.WSGIApp(self.server, app), accepts_key, trusted_hosts, self.unreachable)


class HandshakeGuard:
    """The `allowRequest` check: a new engine.io session needs the global key or an instance token."""

    def __init__(self, app, accepts_key: Callable[[str], bool], trusted_hosts: frozenset[str],
                 unreachable: Callable[[], bool] = lambda: False) -> None:
        self.app = app
        self.accepts_key = accepts_key
        self.trusted_hosts = trusted_hosts
        self.unreachable = unreachable

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith("/socket.io"):
            if self.unreachable():
                start_response("503 Service Unavailable", [("Content-Length", "0")])
                return [b""]
            refusal = self._refusal(environ)
            if refusal:
                body = json.dumps({"code": 4, "message": refusal}, separators=(",", ":")).encode()
                start_response("403 Forbidden", [("Content-Type", "application/json"),
                                                 ("Content-Length", str(len(body)))])
                return [body]
            if "EIO" not in parse_qs(environ.get("QUERY_STRING", "")):
                # A plain WebSocket or HTTP client: say what is expected instead of engine.io's protocol error.
                start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8"),
                                                   ("Content-Length", str(len(NOT_SOCKET_IO)))])
                return [NOT_SOCKET_IO]
        return self.app(environ, start_response)

    def _refusal(self, environ) -> str | None:
        query = parse_qs(environ.get("QUERY_STRING", ""))
        if "sid" in query or environ.get("REMOTE_ADDR") in self.trusted_hosts:
            return None
        key = (query.get("apikey") or [None])[0] or environ.get("HTTP_APIKEY")
        if not key:
            return "apiKey is required"
        return None if self.accepts_key(key) else "Invalid global token"
