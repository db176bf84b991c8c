"""Fixtures for the connection manager: a registered simulator server, an API caller, provider truth."""
from __future__ import annotations

from dataclasses import dataclass

import pytest
import requests

from gateway.extensions import db
from gateway.models import Instance, ProviderServer, Role


def register_server(app, simulator, name="sim", global_events=False) -> int:
    with app.app_context():
        server = ProviderServer(name=name, kind="evolution", base_url=simulator.base_url,
                                api_key=simulator.api_key, global_events=global_events)
        db.session.add(server)
        db.session.commit()
        return server.id


@pytest.fixture
def server_id(app, sim):
    return register_server(app, sim)


@dataclass
class Api:
    """The JSON API as a program calls it, with a bearer token."""

    client: object
    headers: dict

    def get(self, path, **kw):
        return self.client.get(path, headers=self.headers, **kw)

    def post(self, path, json=None, **kw):
        return self.client.post(path, json=json, headers=self.headers, **kw)

    def delete(self, path, **kw):
        return self.client.delete(path, headers=self.headers, **kw)


@pytest.fixture
def api(client, make_user, token_for):
    return Api(client, token_for(make_user("operator@example.com", role=Role.OPERATOR)))


@dataclass
class ProviderView:
    """What the simulated provider really holds for an instance."""

    simulator: object

    def instance(self, name):
        return self.simulator.control("GET", f"instances/{name}")

    def webhook(self, name):
        return self.instance(name)["webhook"]

    def websocket(self, name):
        return self.instance(name)["websocket"]

    def channels(self, name) -> tuple[bool, bool]:
        state = self.instance(name)
        return bool((state["webhook"] or {}).get("enabled")), bool((state["websocket"] or {}).get("enabled"))

    def rest(self, method, path, json=None):
        return requests.request(method, self.simulator.base_url + path, json=json,
                                headers={"apikey": self.simulator.api_key}, timeout=10)


@pytest.fixture
def provider(sim):
    return ProviderView(sim)


@pytest.fixture
def create(api, server_id):
    """Create an instance through the API in a given mode; returns its JSON."""

    def make(name="sales", mode="none", **fields):
        response = api.post("/api/instances", json={"name": name, "server_id": server_id, "mode": mode, **fields})
        assert response.status_code == 201, response.json
        return response.json

    return make


def stored_mode(app, name) -> str:
    with app.app_context():
        return db.session.execute(db.select(Instance.delivery_mode).where(Instance.name == name)).scalar_one()
