"""One test body, two providers: each backend drives its simulator and reads its truth the same way.

The app is served over real HTTP on loopback so that both simulators deliver webhooks to it.
"""
from __future__ import annotations


import pytest
import requests

from gateway.extensions import db
from gateway.models import Event, Instance, ProviderServer, Role
from gateway.simulator.testing import wait_for
from tests.connections.conftest import Api
from tests.live_server import serve

EXPECTED = {"none": (False, False), "webhook": (True, False), "websocket": (False, True)}


class Backend:
    """A provider as the suites see it: an instance, its truth, its faults, its phone."""

    kind: str
    name: str
    selection: list[str]
    message_event: str

    def __init__(self, sim, live):
        self.sim, self.live = sim, live

    def register(self, app) -> int:
        with app.app_context():
            server = ProviderServer(name=self.kind, kind=self.kind, base_url=self.sim.base_url,
                                    api_key=self.sim.api_key, version=self.sim.version)
            db.session.add(server)
            db.session.commit()
            return server.id

    def fault(self, status: int = 500, skip: int = 0, times: int = 1, message: str = "database is on fire"):
        """The (skip+1)-th REST call from now fails with the provider's own error shape."""
        self.sim.control("POST", "faults", {"path": "/", "status": status, "skip": skip, "times": times,
                                            "body": self.error_body(status, message)})

    def slow_webhook_on(self, seconds: float):
        """The next call that turns the webhook on waits `seconds` first, then succeeds."""
        method, path = self.webhook_on_call
        self.sim.control("POST", "faults", {"method": method, "path": path, "status": None, "delay": seconds})

    def clear_faults(self):
        self.sim.control("DELETE", "faults")

    def wait_truth(self, mode: str, timeout: float = 5.0):
        wait_for(lambda: self.truth() == EXPECTED[mode], timeout, f"the provider in {mode} mode")

    def stored_message_sources(self, app) -> dict[str, list[str]]:
        with app.app_context():
            rows = db.session.execute(db.select(Event).join(Instance).where(
                Instance.name == self.name, Event.name == self.message_event).order_by(Event.id)).scalars()
            found: dict[str, list[str]] = {}
            for event in rows:
                found.setdefault(self.message_id(event.payload), []).append(event.source)
            return found


class EvolutionBackend(Backend):
    kind, name, selection, message_event = "evolution", "sales", ["MESSAGES_UPSERT", "CALL"], "messages.upsert"
    webhook_on_call = ("POST", "/webhook/set/")

    def error_body(self, status, message):
        return {"status": status, "error": "Internal Server Error", "response": {"message": [message]}}

    def truth(self) -> tuple[bool, bool]:
        state = self.sim.control("GET", f"instances/{self.name}")
        return bool((state["webhook"] or {}).get("enabled")), bool((state["websocket"] or {}).get("enabled"))

    def tamper(self):
        requests.post(f"{self.sim.base_url}/webhook/set/{self.name}", headers={"apikey": self.sim.api_key},
                      json={"webhook": {"enabled": False, "url": "http://crm.example/hook"}}, timeout=5)

    def make_ready(self, api):
        self.sim.control("POST", f"instances/{self.name}/scan", {"number": "5511999990000"})

    def messages(self, count: int) -> list[str]:
        return self.sim.control("POST", f"instances/{self.name}/messages", {"count": count})["ids"]

    @staticmethod
    def message_id(payload):
        return payload["data"]["key"]["id"]


class WahaBackend(Backend):
    kind, name, selection, message_event = "waha", "default", ["message", "call.received"], "message"
    webhook_on_call = ("PUT", "/api/sessions/")  # the session's config, with the gateway's webhook in it

    def error_body(self, status, message):
        return {"message": message, "error": "Internal Server Error", "statusCode": status}

    def session(self) -> dict:
        return requests.get(f"{self.sim.base_url}/api/sessions/{self.name}", headers={"X-Api-Key": self.sim.api_key},
                            timeout=5).json()

    def ours(self) -> list[dict]:
        hooks = (self.session().get("config") or {}).get("webhooks") or []
        return [hook for hook in hooks if hook["url"].startswith(self.live.url + "/api/webhooks/waha")]

    def truth(self) -> tuple[bool, bool]:
        """WAHA has no socket switch: the websocket is on when a client holds /ws."""
        return bool(self.ours()), self.sim.control("GET", f"instances/{self.name}")["sockets"] > 0

    def tamper(self):
        config = self.session().get("config") or {}
        config["webhooks"] = [hook for hook in config.get("webhooks") or [] if hook not in self.ours()]
        requests.put(f"{self.sim.base_url}/api/sessions/{self.name}", headers={"X-Api-Key": self.sim.api_key},
                     json={"config": config}, timeout=5)

    def make_ready(self, api):
        api.post(f"/api/instances/{self.name}/connect")
        wait_for(lambda: self.session()["status"] == "SCAN_QR_CODE", 5, "SCAN_QR_CODE")
        self.sim.control("POST", f"instances/{self.name}/scan", {"number": "5511999990000"})

    def messages(self, count: int) -> list[str]:
        return self.sim.control("POST", f"instances/{self.name}/messages", {"count": count})["ids"]

    @staticmethod
    def message_id(payload):
        return payload["payload"]["id"]


@pytest.fixture(params=["evolution", "waha"])
def backend(request, live):
    sim = request.getfixturevalue("sim" if request.param == "evolution" else "wsim")
    return (EvolutionBackend if request.param == "evolution" else WahaBackend)(sim, live)


@pytest.fixture
def live(database_url):
    """The app serving on a free port, with PUBLIC_URL pointing at it (so webhooks come here)."""
    with serve(database_url) as server:
        yield server


@pytest.fixture
def app(live):
    return live.app


@pytest.fixture
def api(app, make_user, token_for):
    return Api(app.test_client(), token_for(make_user("operator@example.com", role=Role.OPERATOR)))


@pytest.fixture
def create(api, app, backend):
    server_id = backend.register(app)

    def make(mode="none", **fields):
        response = api.post("/api/instances", json={"name": backend.name, "server_id": server_id, "mode": mode,
                                                     **fields})
        assert response.status_code == 201, response.json
        return response.json

    return make


def switch(api, name, mode):
    return api.post(f"/api/instances/{name}/mode", json={"mode": mode})


def stored_mode(app, name) -> str:
    with app.app_context():
        return db.session.execute(db.select(Instance.delivery_mode).where(Instance.name == name)).scalar_one()
