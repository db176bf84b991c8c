"""Assembles the Evolution simulator: Flask REST + control routes, socket.io, handshake guard; and serves it.

Follows src/main.ts (REST and socket.io on one HTTP server) and
src/api/integrations/event/websocket/websocket.controller.ts (the socket.io server it attaches).
"""
from __future__ import annotations

import logging

from flask import Flask
from gevent.pywsgi import WSGIServer

from ..serving import PromptHandler
from . import control, rest
from .delivery import WebhookSender
from .service import Simulator
from .sockets import SocketHub

log = logging.getLogger(__name__)
_NOT_HTTP = b"This is the Evolution API simulator: it speaks HTTP (REST, /_sim control) and socket.io on /socket.io/.\n"
NOT_HTTP_RESPONSE = (b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(_NOT_HTTP), _NOT_HTTP))


def build_simulator(api_key: str, global_events: bool = False, retry_base_delay: float = 5.0,
                    connect_delay: float = 0.0, *, webhook_timeout: float = 30.0, qr_limit: int = 30,
                    server_url: str = "http://localhost:8080", trusted_hosts: tuple[str, ...] = ()):
    """The WSGI app. `trusted_hosts` skip the socket handshake key check (Evolution: loopback)."""
    app = Flask(__name__)
    app.json.sort_keys = False  # key order is part of the contract
    hub = SocketHub(global_events)
    simulator = Simulator(api_key, hub, WebhookSender(retry_base_delay, webhook_timeout), server_url,
                          connect_delay=connect_delay, qr_limit=qr_limit)
    app.extensions["simulator"] = simulator
    simulator.faults.init_app(app)
    app.register_blueprint(rest.bp)
    app.register_blueprint(control.bp)
    return hub.wsgi(app, simulator.accepts_key, frozenset(trusted_hosts))


class SimulatorHandler(PromptHandler):
    """A client that does not speak HTTP (a raw socket, TLS on this plain port) gets a short 400 in words
    and one readable warning, instead of its bytes in the log."""

    def _handle_client_error(self, ex):
        log.warning("answered 400 to a request that is not HTTP from %s", self.client_address[0])
        return "400", NOT_HTTP_RESPONSE


def serve(host: str = "127.0.0.1", port: int = 8081, **options) -> None:
    """Say what this is and where it listens, then serve forever with gevent (the caller has monkey-patched)."""
    options.setdefault("server_url", f"http://{host}:{port}")
    server = WSGIServer((host, port), build_simulator(**options), log=None, handler_class=SimulatorHandler)
    server.start()
    print(f"Evolution API simulator (a stand-in for an Evolution API server, not the real thing) listening on "
          f"http://{host}:{port}: REST and socket.io (/socket.io/), control API under /_sim/; "
          f"global API key {'set' if options.get('api_key') else 'missing'}, "
          f"global events {'on' if options.get('global_events') else 'off'}", flush=True)
    server.serve_forever()
