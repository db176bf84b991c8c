"""The python-socketio client the gateway opens: its supervisors reconnect it, and it closes without waiting.

A clean disconnect queues socket.io's DISCONNECT and engine.io's CLOSE for engine.io's writer greenlet,
then closes the websocket with websocket-client's `close()`, which reads on for the peer's close frame
until the connection ends, 3 s at most. But engine.io's reader greenlet is reading that socket and takes
the frame, so a stop waited the full 3 s whenever the peer kept the connection open after the close
handshake (the simulators do). And under gevent the close frame left before the writer ran: the server
dropped the goodbye unread and saw a "transport close" instead of a "client disconnect".
"""
from __future__ import annotations

import logging

import gevent
import socketio
import websocket

log = logging.getLogger(__name__)


class PromptClosingWebSocket(websocket.WebSocket):
    """engine.io's websocket (websocket-client's `class_` option): close() sends the close frame after
    engine.io's goodbye, then shuts the socket without reading the answer, which engine.io's reader takes."""

    def close(self, status: int = websocket.STATUS_NORMAL, reason: bytes = b"", timeout: float | None = 0) -> None:
        # engine.io has just queued its goodbye for its writer greenlet, which is now runnable: a yield
        # (not a wait) lets it write the goodbye before the close frame.
        gevent.sleep(0)
        super().close(status, reason, timeout)


class SocketIOClient(socketio.Client):
    """python-socketio's client without its own reconnection (the supervisors own it), closing promptly."""

    def __init__(self) -> None:
        super().__init__(reconnection=False, websocket_extra_options={"class_": PromptClosingWebSocket})

    def disconnect_quietly(self) -> None:
        """Say goodbye if connected; a connection that failed or broke has nothing left to release."""
        try:
            self.disconnect()
        except Exception:  # already closed or half-open
            log.debug("disconnect after failure raised", exc_info=True)
