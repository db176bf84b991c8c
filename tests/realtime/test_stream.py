"""`/api/stream` over a real socket: bearer auth, per-instance subscriptions within the tenant, frames."""
from __future__ import annotations

import json

import pytest
import websocket

from gateway.models import Role
from tests.connections.conftest import api, create, server_id  # noqa: F401
from tests.pipeline.conftest import app, live  # noqa: F401

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
def stream(live, token_for, make_user):  # noqa: F811
    sockets = []

    def connect(headers: dict) -> websocket.WebSocket:
        ws = websocket.create_connection(live.url.replace("http", "ws") + "/api/stream", header=headers, timeout=5)
        sockets.append(ws)
        return ws

    yield connect
    for ws in sockets:
        ws.close()


def ask(ws, action: str, instance) -> dict:
    ws.send(json.dumps({"action": action, "instance": instance}))
    return json.loads(ws.recv())


def test_a_bearer_token_is_required(stream):
    with pytest.raises(websocket.WebSocketBadStatusException) as refused:
        stream({"Authorization": "Bearer gw_wrong"})
    assert refused.value.status_code == 401


def test_subscribed_instance_frames_arrive_and_bad_requests_get_error_frames(
        stream, create, sim, token_for, make_user):  # noqa: F811
    create("sales", mode="webhook")
    ws = stream(token_for(make_user("reader@example.com", role=Role.VIEWER)))
    assert ask(ws, "subscribe", "sales") == {"type": "subscribed", "instance": "sales"}
    assert ask(ws, "subscribe", "nope") == {"type": "error", "error": 'Instance "nope" not found.', "instance": "nope"}
    assert ask(ws, "dance", "sales")["type"] == "error"
    ws.send("not json")
    assert json.loads(ws.recv())["type"] == "error"

    sim.control("POST", "instances/sales/messages", {"text": "hello <b>there</b>"})
    frame = json.loads(ws.recv())
    assert frame["type"] == "whatsapp:message_received"
    assert frame["instance"] == "sales" and frame["data"]["message"]["conversation"] == "hello <b>there</b>"


def test_another_tenants_instance_is_as_absent_as_a_missing_one(stream, create, token_for, make_user):  # noqa: F811
    create("sales", mode="webhook")
    ws = stream(token_for(make_user("stranger@example.org", tenant="Other")))
    assert ask(ws, "subscribe", "sales")["type"] == "error"


def test_websocket_status_counts_only_the_callers_tenant_and_process_counters_go_to_admins(
        stream, client, token_for, make_user):  # noqa: F811
    admin = token_for(make_user("admin@example.com"))
    operator = token_for(make_user("operator@example.com", role=Role.OPERATOR))
    stranger = token_for(make_user("stranger@example.org", tenant="Other"))
    for _ in range(2):
        ask(stream(stranger), "subscribe", "nothing")  # answered: the stream's subscription exists
    ask(stream(operator), "subscribe", "nothing")

    mine = client.get("/api/websocket/status", headers=operator).json
    assert mine["connected_clients"] == 1 and "process" not in mine and "queued_events" not in mine
    theirs = client.get("/api/websocket/status", headers=stranger).json  # an admin of the other tenant
    assert theirs["connected_clients"] == 2
    assert theirs["process"] == {"connected_clients": 3, "queued_events": 0}
    assert client.get("/api/websocket/status", headers=admin).json["connected_clients"] == 1
