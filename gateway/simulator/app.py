"""Assembles the simulator: Flask REST + control routes, socket.io, handshake guard; and serves it."""
from __future__ import annotations

from flask import Flask
from gevent.pywsgi import WSGIServer

from . import control, rest
from .delivery import WebhookSender
from .service import Simulator
from .sockets import SocketHub


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


def serve(host: str = "127.0.0.1", port: int = 8081, **options) -> None:
    """Serve forever with gevent (the caller must have monkey-patched already)."""
    options.setdefault("server_url", f"http://{host}:{port}")
    WSGIServer((host, port), build_simulator(**options), log=None).serve_forever()
