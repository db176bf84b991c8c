"""Instances through the JSON API: create, import, connect, logout, delete, and who may do what."""
import pytest

from gateway.models import Role
from gateway.simulator.testing import wait_for
from tests.connections.conftest import Api, register_server


def test_create_validates_its_input(api, server_id):
    cases = [
        ({"server_id": server_id}, 400, "name is required"),
        ({"name": "bad/name", "server_id": server_id}, 422, "name must be"),
        ({"name": "ok", "server_id": "1"}, 400, "server_id must be"),
        ({"name": "ok", "server_id": 999}, 422, "No server with id 999"),
        ({"name": "ok", "server_id": server_id, "mode": "both"}, 422, "mode must be one of"),
        ({"name": "ok", "server_id": server_id, "events": ["NOPE"]}, 422, "not an event"),
    ]
    for body, status, message in cases:
        response = api.post("/api/instances", json=body)
        assert response.status_code == status and message in response.json["error"], (body, response.json)
    assert api.get("/api/instances").json == []


def test_duplicate_names_are_refused_before_the_provider_is_called(api, create, provider):
    create(mode="webhook")
    again = api.post("/api/instances", json={"name": "sales", "server_id": 1})
    assert again.status_code == 422 and "already exists" in again.json["error"]


def test_a_name_taken_on_the_provider_is_the_providers_message(api, server_id, provider):
    provider.rest("POST", "/instance/create", json={"instanceName": "taken", "integration": "WHATSAPP-BAILEYS"})
    response = api.post("/api/instances", json={"name": "taken", "server_id": server_id})
    assert response.status_code == 422 and 'This name \\"taken\\" is already in use' in response.get_data(as_text=True)
    assert api.get("/api/instances").json == []


def test_connect_returns_the_qr_and_logout_of_a_closed_instance_is_a_clear_error(api, sim, create):
    create(mode="webhook")
    qr = api.post("/api/instances/sales/connect").json
    assert qr["base64"].startswith("data:image/png;base64,") and qr["code"]
    assert api.get("/api/instances/sales").json["qr"]["base64"] == qr["base64"]
    sim.control("POST", "instances/sales/scan", {})
    assert api.post("/api/instances/sales/logout").status_code == 200
    again = api.post("/api/instances/sales/logout")
    assert again.status_code == 422 and "is not connected" in again.json["error"]


def test_delete_then_recreate_the_same_name(api, provider, create):
    """Evolution deletes asynchronously and keeps the name in use meanwhile; the gateway waits it out."""
    create(mode="websocket")
    assert api.delete("/api/instances/sales").status_code == 204
    assert api.get("/api/instances/sales").status_code == 404
    assert provider.rest("GET", "/instance/fetchInstances?instanceName=sales").status_code == 404
    create(mode="webhook")
    assert provider.channels("sales") == (True, False)


def test_import_takes_over_existing_instances_without_cutting_their_delivery(api, provider, server_id):
    for name in ("legacy", "quiet"):
        provider.rest("POST", "/instance/create", json={"instanceName": name, "integration": "WHATSAPP-BAILEYS"})
    provider.rest("POST", "/webhook/set/legacy", json={"webhook": {
        "enabled": True, "url": "http://crm.example/hook", "events": []}})
    response = api.post("/api/instances/import", json={"server_id": server_id})
    assert response.status_code == 201
    imported = {item["name"]: item for item in response.json}
    assert set(imported) == {"legacy", "quiet"}
    assert imported["legacy"]["delivery_mode"] == "none" and imported["legacy"]["drift"] is True
    assert "webhook is on at the provider" in imported["legacy"]["drift_reason"]
    assert provider.channels("legacy") == (True, False)  # left alone until the operator decides
    assert imported["quiet"]["drift"] is False
    assert api.post("/api/instances/import", json={"server_id": server_id}).json == []
    missing = api.post("/api/instances/import", json={"server_id": server_id, "names": ["ghost"]})
    assert missing.status_code == 422 and "ghost" in missing.json["error"]


ROUTES = [
    ("get", "/api/instances/{name}"), ("post", "/api/instances/{name}/connect"),
    ("post", "/api/instances/{name}/logout"), ("delete", "/api/instances/{name}"),
    ("get", "/api/instance-management/state/{name}"), ("post", "/api/instance-management/webhook/{name}"),
    ("delete", "/api/instance-management/webhook/{name}"), ("post", "/api/instance-management/websocket/{name}"),
    ("delete", "/api/instance-management/websocket/{name}"), ("post", "/api/instance-management/sync/{name}"),
    ("get", "/api/webhook-management/evolution/{name}"), ("post", "/api/webhook-management/evolution/{name}"),
    ("delete", "/api/webhook-management/evolution/{name}"), ("post", "/api/websocket/connect/instance/{name}"),
    ("post", "/api/websocket/disconnect/instance/{name}"), ("post", "/api/websocket/test/{name}"),
    ("post", "/api/instances/{name}/catch-up"),
]


@pytest.mark.parametrize("method, route", ROUTES)
def test_another_tenants_instance_is_404_on_every_route(client, make_user, token_for, create, provider,
                                                         method, route):
    create(mode="webhook")
    stranger = Api(client, token_for(make_user("eve@example.com", tenant="Other", role=Role.ADMIN)))
    foreign = getattr(stranger, method)(route.format(name="sales"))
    missing = getattr(stranger, method)(route.format(name="nope"))
    assert foreign.status_code == missing.status_code == 404
    assert provider.channels("sales") == (True, False)


@pytest.mark.parametrize("method, route", [r for r in ROUTES if r[0] != "get"])
def test_viewers_may_look_but_not_change(client, make_user, token_for, create, method, route):
    create(mode="webhook")
    viewer = Api(client, token_for(make_user("viewer@example.com", role=Role.VIEWER)))
    assert viewer.get("/api/instance-management/state/sales").status_code == 200
    assert getattr(viewer, method)(route.format(name="sales")).status_code == 403


def test_websocket_status_and_manual_connect(api, sim, create):
    create(mode="websocket")
    create(name="hooked", mode="webhook")
    status = api.get("/api/websocket/status").json
    assert status["active_connections"] == 1 and status["connections"][0]["instance"] == "sales"
    assert {"connected_clients", "connected"} <= set(status) and "process" not in status  # an operator
    refused = api.post("/api/websocket/connect/instance/hooked")
    assert refused.status_code == 409 and "webhook mode" in refused.json["error"]
    assert api.post("/api/websocket/disconnect/instance/sales").json["socket"] is None
    assert api.get("/api/websocket/status").json["active_connections"] == 0
    assert api.post("/api/websocket/connect/all").json[0]["socket"]["namespace"] == "/sales"
    sim.control("POST", "instances/sales/messages", {"text": "wake the namespace"})
    wait_for(lambda: api.get("/api/websocket/instances").json[0]["socket"]["state"] == "connected",
             timeout=5, what="the socket to join")
    assert api.post("/api/websocket/disconnect/all").json[0]["socket"] is None


def test_socket_test_reports_latency_or_the_exact_refusal(api, sim, create):
    create(mode="webhook")
    fresh = api.post("/api/websocket/test/sales").json
    assert fresh["ok"] is False and fresh["error"] == "Invalid namespace"
    api.post("/api/instance-management/websocket/sales")
    sim.control("POST", "instances/sales/messages", {"text": "creates the namespace"})
    live = api.post("/api/websocket/test/sales").json
    assert live["ok"] is True and live["latency_ms"] >= 0 and live["namespace"] == "/sales"


def test_a_global_events_server_uses_one_socket_for_all_its_instances(app, api, gsim):
    server_id = register_server(app, gsim, name="global", global_events=True)
    for name in ("one", "two", "three"):
        response = api.post("/api/instances", json={"name": name, "server_id": server_id, "mode": "websocket"})
        assert response.status_code == 201, response.json
    status = api.get("/api/websocket/status").json
    sockets = {c["socket"]["label"] for c in status["connections"]}
    assert sockets == {"global:global"} and status["active_connections"] == 3
    supervisor = app.extensions["gateway"].supervisor
    assert len(supervisor.global_clients) == 1 and not supervisor.instance_clients
    for name in ("one", "two", "three"):
        api.post(f"/api/instances/{name}/mode", json={"mode": "webhook"})
    assert not supervisor.global_clients
