"""WAHA's socket kind: one plain WebSocket to `/ws` per server, every session's events on it.

Core ignores `session` (2026.x) or accepts only `*` (2024.10.8), so the gateway asks for `*` and
routes each frame by its `session`. The URL (`WahaProvider.socket_address`) carries the key in its
query, so it never appears in a log line or an error. websocket-client answers the server's pings;
the reconnect back-off is the one every socket client shares (SocketClient.run).
"""
from __future__ import annotations

import json
import logging
import time

import websocket

from ...connections.backoff import Outcome
from ...connections.socket_client import Endpoint, SocketClient
from ...models import utcnow
from ..base import SocketAddress

log = logging.getLogger(__name__)
UNAUTHORIZED = 1008
# WAHA accepts every handshake and closes a refused one at once: open this long, it is joined.
JOIN_GRACE = 0.3


class WahaSocketClient(SocketClient):
    """SocketClient's supervised loop and back-off, with WAHA's transport instead of socket.io."""

    def __init__(self, endpoint: Endpoint, on_event, on_join, backoff, connect_timeout: float = 10.0):
        super().__init__(endpoint, on_event, on_join, backoff, connect_timeout)
        self._ws: websocket.WebSocket | None = None

    def stop(self) -> None:
        super().stop()
        if self._ws is not None:
            self._quietly_close(self._ws)

    def _connect_and_listen(self) -> Outcome:
        """DROPPED once it joined (then dropped or was stopped); FAILED when refused or unreachable."""
        self.state = "connecting" if self.state == "idle" else self.state
        ws = websocket.WebSocket(skip_utf8_validation=True)
        try:
            ws.connect(self.endpoint.address.url, timeout=self.connect_timeout)
        except (OSError, websocket.WebSocketException) as error:
            self.last_error = self._safe(error)
            return Outcome.FAILED
        ws.settimeout(JOIN_GRACE)
        self._ws = ws
        try:
            return self._listen(ws)
        finally:
            self._ws = None
            self._quietly_close(ws)

    def _listen(self, ws: websocket.WebSocket) -> Outcome:
        joined = False
        while not self._stop.is_set():
            try:
                opcode, frame = ws.recv_data(control_frame=False)  # pings are answered inside
            except websocket.WebSocketTimeoutException:
                joined = joined or self._joined()
                ws.settimeout(None)
                continue
            except (OSError, websocket.WebSocketException) as error:
                self.last_error = "disconnected" if joined else self._safe(error)
                break
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                code = int.from_bytes(frame[:2], "big") if len(frame) >= 2 else None
                self.last_error = "the server refused the key (close 1008 Unauthorized)" if code == UNAUTHORIZED \
                    else f"closed by the server ({code})"
                break
            if not joined:
                joined = self._joined()
            self._frame(frame)
        self.connected_since = None
        return Outcome.DROPPED if joined else Outcome.FAILED

    def _joined(self) -> bool:
        """Joined once the socket stayed open through its first frame or JOIN_GRACE."""
        first = not self.joined.is_set()
        self.state, self.connected_since, self.last_error, self.failures = "connected", utcnow(), None, 0
        self.joined.set()
        self.on_join(first)
        return True

    def _frame(self, frame: bytes) -> None:
        try:
            envelope = json.loads(frame)
        except ValueError:
            log.warning("non-JSON frame skipped", extra={"fields": {"socket": self.endpoint.label}})
            return
        if isinstance(envelope, dict):
            self._event(str(envelope.get("event")), envelope)

    def _safe(self, error: Exception) -> str:
        return self.endpoint.address.masked(str(error) or type(error).__name__)

    @staticmethod
    def _quietly_close(ws: websocket.WebSocket) -> None:
        """A close frame (1000) for WAHA, then the connection shut at once, which also wakes the listening
        greenlet: websocket-client reads nothing more with `timeout=0` (that greenlet takes WAHA's answer)."""
        try:
            ws.close(timeout=0)
        except Exception:  # already closed; nothing left to release
            log.debug("closing a WAHA socket raised", exc_info=True)


def probe(address: SocketAddress, name: str, spawn, timeout: float = 10.0) -> dict:
    """Open /ws the way the gateway would and wait JOIN_GRACE for a refusal; latency or the close reason."""
    began = time.monotonic()
    ws = websocket.WebSocket()
    try:
        ws.connect(address.url, timeout=timeout)
        ws.settimeout(JOIN_GRACE)
        opcode, frame = ws.recv_data(control_frame=False)
    except websocket.WebSocketTimeoutException:
        latency_ms = round((time.monotonic() - began - JOIN_GRACE) * 1000, 1)
        spawn(f"probe-disconnect:{name}", WahaSocketClient._quietly_close, ws)
        return {"ok": True, "namespace": "/ws", "latency_ms": max(latency_ms, 0.0)}
    except (OSError, websocket.WebSocketException) as error:
        return {"ok": False, "namespace": "/ws", "error": address.masked(str(error) or type(error).__name__)}
    WahaSocketClient._quietly_close(ws)
    if opcode == websocket.ABNF.OPCODE_CLOSE:
        code = int.from_bytes(frame[:2], "big") if len(frame) >= 2 else None
        return {"ok": False, "namespace": "/ws", "error": f"closed by the server ({code}: {frame[2:].decode(errors='replace')})"}
    return {"ok": True, "namespace": "/ws", "latency_ms": round((time.monotonic() - began) * 1000, 1)}
