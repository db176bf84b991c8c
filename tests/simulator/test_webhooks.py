"""Webhook delivery: envelope, byEvents urls, headers, retry policy, event order."""
from __future__ import annotations

import base64
import json

import pytest

from gateway.simulator.evolution.delivery import jwt_hs256, retry_delay
from gateway.simulator.testing import wait_for


def hook_block(url: str, **extra) -> dict:
    return {"webhook": {"enabled": True, "url": url, "events": [], **extra}}


def test_envelope_headers_and_by_events(api, sim, hooks):
    token = api.create("bye", webhook={"url": f"{hooks.url}/hook", "byEvents": True, "events": [],
                                       "headers": {"X-Secret": "s3cret"}})["hash"]
    (created,) = hooks.wait(1)
    assert created["path"] == "/hook/instance-create"
    assert created["headers"]["User-Agent"] == "axios/1.12.2"
    assert created["headers"]["Content-Type"] == "application/json"
    assert created["headers"]["X-Secret"] == "s3cret"
    body = created["body"]
    assert list(body) == ["event", "instance", "data", "destination", "date_time", "server_url", "apikey"]
    assert (body["destination"], body["apikey"], body["data"]["instanceName"]) == (f"{hooks.url}/hook", token, "bye")
    api("GET", "/instance/connect/bye")
    paths = [r["path"] for r in hooks.wait(3)]
    assert paths == ["/hook/instance-create", "/hook/connection-update", "/hook/qrcode-updated"]
    qr = hooks.requests[2]["body"]["data"]["qrcode"]
    assert set(qr) == {"instance", "pairingCode", "code", "base64"}
    assert qr["base64"].startswith("data:image/png;base64,")


def test_sender_appears_once_connected(api, sim, hooks):
    api.create("snd")
    api("POST", "/webhook/set/snd", json=hook_block(hooks.url, events=["MESSAGES_UPSERT"]))
    sim.control("POST", "instances/snd/messages", json={"text": "before"})
    sim.control("POST", "instances/snd/scan", json={"number": "5511999990000"})
    sim.control("POST", "instances/snd/messages", json={"text": "after"})
    before, after = (r["body"] for r in hooks.wait(2))
    assert "sender" not in before
    assert list(after)[5] == "sender" and after["sender"] == "5511999990000@s.whatsapp.net"
    assert after["data"]["key"]["fromMe"] is False and after["data"]["messageType"] == "conversation"
    assert after["data"]["status"] == "DELIVERY_ACK"


def test_logout_and_delete_event_order(api, hooks):
    api.create("order", webhook={"url": hooks.url, "events": []})
    api("GET", "/instance/connect/order")
    api("DELETE", "/instance/logout/order")
    api("DELETE", "/instance/delete/order")
    hooks.wait(8)
    assert hooks.events() == ["instance.create", "connection.update", "qrcode.updated", "status.instance",
                              "logout.instance", "connection.update", "instance.delete", "remove.instance"]
    status = hooks.requests[3]["body"]["data"]
    assert (status["status"], status["disconnectionReasonCode"]) == ("closed", 401)
    assert json.loads(status["disconnectionObject"])["error"]["output"]["statusCode"] == 401
    assert hooks.requests[4]["body"]["data"] is None
    assert hooks.requests[5]["body"]["data"] == {"instance": "order", "state": "close", "statusReason": 401}


def test_retry_on_500_until_success(api, sim, hooks):
    hooks.statuses["/flaky"] = [500, 503, 200]
    api.create("flaky")
    api("POST", "/webhook/set/flaky", json=hook_block(f"{hooks.url}/flaky", events=["MESSAGES_UPSERT"]))
    sim.control("POST", "instances/flaky/messages", json={"text": "x"})
    bodies = [r["body"] for r in hooks.wait(3)]
    assert bodies[0] == bodies[1] == bodies[2]  # the receiver sees duplicates
    log = wait_for(lambda: [e for e in sim.control("GET", "deliveries") if e["instance"] == "flaky"]
                   if len(sim.control("GET", "deliveries")) >= 3 else None)
    assert [(e["attempt"], e["status"]) for e in log] == [(1, 500), (2, 503), (3, 200)]


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422])
def test_client_errors_are_not_retried(api, sim, hooks, status):
    hooks.statuses["/no"] = [status]
    api.create("no")
    api("POST", "/webhook/set/no", json=hook_block(f"{hooks.url}/no", events=["MESSAGES_UPSERT"]))
    sim.control("POST", "instances/no/messages", json={"text": "x"})
    sim.control("POST", "instances/no/messages", json={"text": "y"})
    hooks.wait(2)  # the second message proves the first was not retried in between
    wait_for(lambda: len(sim.control("GET", "deliveries")) == 2, what="two attempts logged")
    assert [e["attempt"] for e in sim.control("GET", "deliveries")] == [1, 1]


def test_connection_errors_are_logged_and_retried(api, sim, unused_port):
    api.create("down")
    api("POST", "/webhook/set/down", json=hook_block(f"http://127.0.0.1:{unused_port}/x", events=["CALL"]))
    sim.control("POST", "instances/down/emit", json={"event": "call", "data": {}})
    log = wait_for(lambda: sim.control("GET", "deliveries") if len(sim.control("GET", "deliveries")) >= 2 else None)
    assert log[0]["error"] == "ConnectionError" and log[1]["attempt"] == 2


def test_jwt_key_header_becomes_bearer_token(api, hooks):
    api.create("jwt", webhook={"url": hooks.url, "events": ["INSTANCE_CREATE"], "headers": {"jwt_key": "k"}})
    (created,) = hooks.wait(1)
    assert "jwt_key" not in created["headers"]
    header, claims, _ = created["headers"]["Authorization"].removeprefix("Bearer ").split(".")
    decoded = json.loads(base64.urlsafe_b64decode(claims + "=="))
    assert (decoded["app"], decoded["action"], decoded["exp"] - decoded["iat"]) == ("evolution", "webhook", 600)


def test_base64_media_only_with_webhook_base64(api, sim, hooks):
    api.create("media")
    api("POST", "/webhook/set/media", json=hook_block(hooks.url, events=["MESSAGES_UPSERT"], base64=True))
    sim.control("POST", "instances/media/messages", json={"text": "pic", "image": "iVBORw0KGgo="})
    # An update leaves absent fields as they were (Prisma upsert), so base64 must be turned off explicitly.
    api("POST", "/webhook/set/media", json=hook_block(hooks.url, events=["MESSAGES_UPSERT"], base64=False))
    sim.control("POST", "instances/media/messages", json={"text": "pic", "image": "iVBORw0KGgo="})
    first, second = (r["body"]["data"] for r in hooks.wait(2))
    assert first["message"]["base64"] == "iVBORw0KGgo=" and first["messageType"] == "imageMessage"
    assert "base64" not in second["message"]


def test_disabled_webhook_receives_nothing(api, sim, hooks):
    api.create("mute", webhook={"url": hooks.url, "events": ["MESSAGES_UPSERT"]})
    api("POST", "/webhook/set/mute", json={"webhook": {"url": hooks.url, "enabled": False}})
    sim.control("POST", "instances/mute/messages", json={"text": "x"})
    api("POST", "/webhook/set/mute", json=hook_block(hooks.url, events=["MESSAGES_UPSERT"]))
    sim.control("POST", "instances/mute/messages", json={"text": "y"})
    (only,) = hooks.wait(1)
    assert only["body"]["data"]["message"] == {"conversation": "y"}


@pytest.mark.parametrize("attempt, rand, expected", [
    (1, 0.5, 5.0), (1, 0.0, 5.0), (2, 1.0, 12.0), (2, 0.0, 8.0), (3, 0.5, 20.0), (9, 0.5, 300.0), (9, 1.0, 360.0),
])
def test_retry_delay_policy(attempt, rand, expected):
    assert retry_delay(attempt, 5.0, lambda: rand) == pytest.approx(expected)


def test_jwt_signature_is_hs256():
    import hashlib
    import hmac

    token = jwt_hs256("secret", now=1000)
    signing_input, signature = token.rsplit(".", 1)
    expected = hmac.new(b"secret", signing_input.encode(), hashlib.sha256).digest()
    assert base64.urlsafe_b64decode(signature + "==") == expected
