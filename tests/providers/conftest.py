"""Fixtures for the provider clients: a client on the simulator, and a tiny WAHA stand-in."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from types import SimpleNamespace

import pytest

from gateway.providers.evolution.client import EvolutionClient

WAHA_KEY = "waha-test-key"


@pytest.fixture
def evolution(sim):
    """A client for the freshly reset simulator, with the global key."""
    client = EvolutionClient(sim.base_url, sim.api_key, timeout=10.0)
    yield client
    client.http.close()


class _WahaHandler(BaseHTTPRequestHandler):
    """Answers GET /api/sessions like WAHA: the list with the right key, its error body without."""

    def do_GET(self):
        if self.headers.get("X-Api-Key") != WAHA_KEY:
            self._send(401, {"statusCode": 401, "message": "Unauthorized", "error": "Unauthorized"})
        elif self.path == "/api/sessions":
            self._send(200, [{"name": "default", "status": "WORKING"}])
        else:
            self._send(404, {"statusCode": 404, "message": [f"Cannot GET {self.path}"], "error": "Not Found"})

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def waha():
    """A loopback WAHA stand-in (`.base_url`, `.api_key`), served from a thread for one test."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _WahaHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(base_url=f"http://127.0.0.1:{server.server_port}", api_key=WAHA_KEY)
    server.shutdown()
    server.server_close()
    thread.join()
