"""Helpers for the simulator tests: REST calls, a webhook receiver, socket listeners, polling."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
import socketio

from gateway.connections.socketio_client import PromptClosingWebSocket
from gateway.simulator.testing import wait_for

HOOK_TIMEOUT = 5.0


class Api:
    """REST calls against one simulator, with the global key unless told otherwise."""

    def __init__(self, running) -> None:
        self.running = running

    def __call__(self, method: str, path: str, key: str | None = "global", **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        if key is not None:
            headers["apikey"] = self.running.api_key if key == "global" else key
        return requests.request(method, self.running.base_url + path, headers=headers, timeout=10, **kwargs)

    def create(self, name: str, **body) -> dict:
        response = self("POST", "/instance/create", json={"instanceName": name, "integration": "WHATSAPP-BAILEYS",
                                                          **body})
        assert response.status_code == 201, response.text
        return response.json()


class HookReceiver:
    """A loopback HTTP server recording every POST; `statuses[path]` lists answers to give first."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.statuses: dict[str, list[int]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(raw),
                                          "raw": raw})
                queued = receiver.statuses.get(self.path) or [200]
                status = queued.pop(0) if len(queued) > 1 else queued[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def events(self, path_prefix: str = "") -> list[str]:
        return [r["body"]["event"] for r in self.requests if r["path"].startswith(path_prefix)]

    def wait(self, count: int, path_prefix: str = "", timeout: float = HOOK_TIMEOUT) -> list[dict]:
        wait_for(lambda: len(self.events(path_prefix)) >= count, timeout, f"{count} webhook POSTs")
        return [r for r in self.requests if r["path"].startswith(path_prefix)]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Listener:
    """A python-socketio client on some namespaces, recording events and connect errors; it closes as the
    gateway's do, without reading on for the close frame."""

    def __init__(self, base_url: str, namespaces: list[str], key: str | None, reconnection: bool = False) -> None:
        self.base_url, self.namespaces, self.key = base_url, namespaces, key
        self.events: list[tuple[str, str, dict]] = []
        self.errors: list[tuple[str, object]] = []
        self.connects: list[str] = []
        self.client = socketio.Client(reconnection=reconnection, reconnection_delay=0.1,
                                      reconnection_delay_max=0.2, randomization_factor=0,
                                      websocket_extra_options={"class_": PromptClosingWebSocket})
        for namespace in namespaces:
            self._watch(namespace)

    def _watch(self, namespace: str) -> None:
        self.client.on("*", lambda event, data: self.events.append((namespace, event, data)), namespace=namespace)
        self.client.on("connect_error", lambda data: self.errors.append((namespace, data)), namespace=namespace)
        self.client.on("connect", lambda: self.connects.append(namespace), namespace=namespace)

    def connect(self) -> None:
        headers = {"apikey": self.key} if self.key else {}
        self.client.connect(self.base_url, namespaces=self.namespaces, headers=headers, wait_timeout=5,
                            transports=["websocket"])

    def names(self, namespace: str) -> list[str]:
        return [event for ns, event, _ in self.events if ns == namespace]

    def wait(self, namespace: str, event: str, timeout: float = 5.0) -> dict:
        return wait_for(lambda: next((d for ns, e, d in reversed(self.events) if (ns, e) == (namespace, event)),
                                     None), timeout, f"{event} on {namespace}")

    def close(self) -> None:
        self.client.disconnect()
        self.client.shutdown()


@pytest.fixture
def api(sim) -> Api:
    return Api(sim)


@pytest.fixture
def hooks():
    receiver = HookReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def listen(sim):
    """Factory: `listen(["/inst"], key=...)` returns a connected Listener, closed after the test."""
    opened: list[Listener] = []

    def make(namespaces, key="global", connect=True, reconnection=False, running=None) -> Listener:
        target = running or sim
        listener = Listener(target.base_url, namespaces, target.api_key if key == "global" else key, reconnection)
        opened.append(listener)
        if connect:
            listener.connect()
        return listener

    yield make
    for listener in opened:
        listener.close()
