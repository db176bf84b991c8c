"""`/ws`: WAHA's plain WebSocket, text frames carrying the webhook envelope, with the version's filters and auth.

Follows src/api/websocket.gateway.core.ts and src/core/auth/WebSocketAuth.ts (2026.x: any `session`,
ignored by Core; `events` as a comma list or repeated, unknown names dropped; key from the `x-api-key`
query only, name case-insensitive, else close 1008 "Unauthorized" right after the handshake; server
pings every 60 s) and src/core/api/websocket.gateway.core.ts of 2024.10.8 (only session=* and
events=* or session.status, else close 4001 with a JSON reason; only session.status frames; pings
every 10 s).
"""
from __future__ import annotations

import json
import socket
import threading
from collections import deque
from dataclasses import dataclass

from simple_websocket import ConnectionClosed

from .versions import NOT_IN_STAR, Version

CLOSE_UNAUTHORIZED = 1008
CLOSE_REFUSED = 4001
DEPARTURES_KEPT = 100


@dataclass
class Listener:
    ws: object
    events: tuple[str, ...]

    def wants(self, event: str) -> bool:
        return event in self.events or ("*" in self.events and event not in NOT_IN_STAR)


class WsHub:
    def __init__(self, version: Version, api_key: str):
        self.version = version
        self.api_key = api_key
        self.listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._departures: deque[int] = deque(maxlen=DEPARTURES_KEPT)

    def refusal(self, args) -> tuple[int, str] | None:
        """Why this handshake's query is closed at once, as (code, reason); None when it is accepted."""
        if self.version.ws_key_required:
            keys = [value for name, value in args.items(multi=True) if name.lower() == "x-api-key"]
            if self.api_key not in keys:
                return CLOSE_UNAUTHORIZED, "Unauthorized"
        if self.version.ws_star_only:
            if (args.get("session") or "*") != "*":
                return CLOSE_REFUSED, json.dumps({"error": "Only connecting to all sessions is allowed for now, "
                                                           "use session=*"})
            if (args.get("events") or "*").split(",") not in (["*"], ["session.status"]):
                return CLOSE_REFUSED, json.dumps({"error": "Only 'session.status' event is allowed for now, "
                                                           "use events=session.status or events=*"})
        return None

    def events_of(self, args) -> tuple[str, ...]:
        names = [name for value in args.getlist("events") for name in value.split(",") if name]
        return tuple(names or ["*"])

    def serve(self, ws, args) -> None:
        """Hold one client until it leaves or is dropped; frames are pushed by publish()."""
        refused = self.refusal(args)
        if refused:
            ws.close(*refused)
            return
        listener = Listener(ws, self.events_of(args))
        with self._lock:
            self.listeners.append(listener)
        try:
            while True:
                ws.receive()  # clients send nothing WAHA reads; this waits for the close
        except ConnectionClosed as closed:
            self._departures.append(closed.reason)
        finally:
            with self._lock:
                if listener in self.listeners:
                    self.listeners.remove(listener)

    def departures(self) -> list[int]:
        """The close code of each client that left, oldest first: its close frame's (1000 for a clean close),
        or 1005 (no status received) when its connection ended without one."""
        return list(self._departures)

    def publish(self, envelope: dict) -> None:
        event = envelope.get("event")
        if self.version.ws_star_only and event != "session.status":
            return  # 2024.10.8 subscribes its socket to session.status only
        frame = json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)
        for listener in list(self.listeners):
            if listener.wants(event):
                try:
                    listener.ws.send(frame)
                except (ConnectionClosed, OSError):
                    self._forget(listener)

    def drop(self) -> None:
        """Cut every TCP connection without a close frame, as a killed server does."""
        for listener in list(self.listeners):
            try:
                listener.ws.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._forget(listener)

    def _forget(self, listener: Listener) -> None:
        with self._lock:
            if listener in self.listeners:
                self.listeners.remove(listener)
