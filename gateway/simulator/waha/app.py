"""Assembles the WAHA simulator (REST, /ws, control API) and serves it with gevent.

Follows src/main.ts (REST and the websocket gateway on one HTTP server) and
src/core/app.module.core.ts (the Core controllers and gateway).
"""
from __future__ import annotations

from flask import Flask, request
from flask_sock import Sock
from gevent.pywsgi import WSGIServer

from ..faults import Faults
from ..serving import PromptHandler
from . import control, rest
from .sessions import WahaSimulator
from .versions import VERSIONS
from .webhooks import WebhookSender
from .ws import WsHub


def build_waha_simulator(api_key: str, version: str = "2026.2.1", time_scale: float = 1.0,
                         retry_delay_scale: float = 1.0, qr_delay: float = 0.2, ping_interval: float | None = None):
    """The WSGI app; `time_scale` shortens WAHA's own waits, `retry_delay_scale` its retry delays."""
    known = VERSIONS[version]
    app = Flask(__name__)
    app.json.sort_keys = False  # key order is part of the contract
    hub = WsHub(known, api_key)
    simulator = WahaSimulator(api_key, known, WebhookSender(known, retry_delay_scale), hub,
                              time_scale=time_scale, qr_delay=qr_delay)
    simulator.faults = Faults(spared=("/ws",))
    app.extensions["simulator"] = simulator
    simulator.faults.init_app(app)
    app.register_blueprint(rest.bp)
    app.register_blueprint(control.bp)
    app.config["SOCK_SERVER_OPTIONS"] = {"ping_interval": ping_interval or known.ping_interval}
    sock = Sock(app)

    @sock.route("/ws")
    def websocket(ws):
        hub.serve(ws, request.args)

    return app


def serve(host: str = "127.0.0.1", port: int = 8082, **options) -> None:
    """Serve forever with gevent (the caller must have monkey-patched already)."""
    WSGIServer((host, port), build_waha_simulator(**options), log=None, handler_class=PromptHandler).serve_forever()
