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
