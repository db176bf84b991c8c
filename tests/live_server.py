"""The app served over real HTTP on loopback, so simulators deliver webhooks to it and browsers load it."""
from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from dataclasses import dataclass

from gevent.pywsgi import WSGIServer

from gateway.extensions import db
from gateway.simulator.serving import PromptHandler
from tests.conftest import build_app


@dataclass
class LiveServer:
    """The app behind a gevent WSGIServer on a fixed loopback port; stop() and start() keep the port.
    Nagle's algorithm is off on its connections, as gunicorn turns it off (gunicorn/sock.py)."""

    app: object
    port: int
    server: WSGIServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, listener: socket.socket | None = None) -> None:
        self.server = WSGIServer(listener or ("127.0.0.1", self.port), self.app, log=None, error_log=None,
                                 handler_class=PromptHandler)
        self.server.start()

    def stop(self) -> None:
        self.server.stop(timeout=1)


@contextlib.contextmanager
def serve(database_url: str, **config) -> Iterator[LiveServer]:
    """The app on a free port with PUBLIC_URL pointing at it; stopped, shut down (its sockets closed) and
    disposed after."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    port = listener.getsockname()[1]
    server = LiveServer(build_app(database_url, PUBLIC_URL=f"http://127.0.0.1:{port}", **config), port)
    server.start(listener)
    try:
        yield server
    finally:
        server.stop()
        server.app.extensions["gateway"].shutdown()
        with server.app.app_context():
            db.engine.dispose()
