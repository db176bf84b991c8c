"""Pairing by phone number and reconnecting an instance's socket, through the JSON API."""
from __future__ import annotations

import pytest

from gateway.models import Role
from gateway.simulator.testing import wait_for
from tests.connections.conftest import Api

NUMBER = {"number": "+55 11 99999-0000"}
ROUTES = [("/api/instances/{name}/pairing-code", NUMBER), ("/api/instances/{name}/reconnect", None)]


def test_a_closed_instance_answers_a_pairing_code_and_keeps_it(api, create, provider):
    create()
    answer = api.post("/api/instances/sales/pairing-code", json=NUMBER)
    assert answer.status_code == 200, answer.json
    code = answer.json["pairingCode"]
    assert len(code) == 8 and answer.json["base64"].startswith("data:image/png")
    assert provider.instance("sales")["pairingNumber"] == "5511999990000"  # punctuation and + removed
    stored = api.get("/api/instances/sales").json
    assert stored["connection_state"] == "connecting" and stored["qr"]["pairing_code"] == code


def test_an_instance_already_showing_a_qr_or_connected_is_a_conflict(api, sim, create):
    create()
    assert api.post("/api/instances/sales/connect").json["pairingCode"] is None
    waiting = api.post("/api/instances/sales/pairing-code", json=NUMBER)
    assert waiting.status_code == 409 and "Disconnect the number" in waiting.json["error"]
    sim.control("POST", "instances/sales/scan", {"number": "5511999990000"})
    assert api.post("/api/instance-management/sync/sales").json["connectionState"] == "open"
    connected = api.post("/api/instances/sales/pairing-code", json=NUMBER)
    assert connected.status_code == 409 and "already connected" in connected.json["error"]


@pytest.mark.parametrize("body", [{}, {"number": 5511999990000}, {"number": "12345"}, {"number": "55 11 abc"},
                                  {"number": "5" * 16}])
def test_a_number_that_is_not_a_phone_number_is_422(api, create, body):
    create()
    answer = api.post("/api/instances/sales/pairing-code", json=body)
    assert answer.status_code == 422 and "country code" in answer.json["error"]


def test_reconnect_replaces_the_socket_client_and_it_joins_again(app, api, sim, create):
    create(mode="websocket")
    supervisor = app.extensions["gateway"].supervisor
    sim.control("POST", "instances/sales/messages", {"text": "opens the namespace"})
    first = next(iter(supervisor.instance_clients.values()))
    wait_for(lambda: first.joined.is_set(), timeout=5, what="the first socket to join")

    answer = api.post("/api/instances/sales/reconnect")
    assert answer.status_code == 200 and answer.json["instance"] == "sales"
    assert answer.json["socket"]["namespace"] == "/sales"
    second = next(iter(supervisor.instance_clients.values()))
    assert second is not first and len(supervisor.instance_clients) == 1
    wait_for(lambda: api.get("/api/websocket/instances").json[0]["socket"]["state"] == "connected",
             timeout=5, what="the new socket to join")


def test_reconnect_outside_websocket_mode_is_a_conflict(api, create):
    create(mode="webhook")
    answer = api.post("/api/instances/sales/reconnect")
    assert answer.status_code == 409 and "websocket mode" in answer.json["error"]


@pytest.mark.parametrize("route, body", ROUTES)
def test_who_may_call(client, make_user, token_for, create, route, body):
    create(mode="websocket")
    path = route.format(name="sales")
    assert Api(client, {"Authorization": "Bearer gw_wrong"}).post(path, json=body).status_code == 401
    viewer = Api(client, token_for(make_user("viewer@example.com", role=Role.VIEWER)))
    assert viewer.post(path, json=body).status_code == 403
    stranger = Api(client, token_for(make_user("eve@example.com", tenant="Other", role=Role.ADMIN)))
    foreign, missing = stranger.post(path, json=body), stranger.post(route.format(name="nope"), json=body)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json == {"error": 'Instance "sales" not found.'}


@pytest.mark.parametrize("route, body", ROUTES)
def test_the_routes_are_in_the_openapi_document(client, route, body):
    paths = client.get("/api/openapi.json").json["paths"]
    operation = paths[route]["post"]
    assert ("requestBody" in operation) == (body is not None)
