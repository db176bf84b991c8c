"""The WAHA simulator against the contract (README "WAHA Core 2026.2.1" / "2024.10.8", waha-2026.2.1-rest.md)."""
from __future__ import annotations

import hashlib
import hmac
import json

import pytest
import requests
import websocket

from gateway.simulator.testing import wait_for


def call(sim, method, path, key="own", **kwargs):
    headers = kwargs.pop("headers", {})
    if key is not None:
        headers["X-Api-Key"] = sim.api_key if key == "own" else key
    return requests.request(method, sim.base_url + path, headers=headers, timeout=10, **kwargs)


def hook(url, events=("session.status",), **extra):
    return {"url": url, "events": list(events), **extra}


def configure(sim, *webhooks, start=False):
    response = call(sim, "PUT", "/api/sessions/default", json={"config": {"webhooks": list(webhooks)}})
    assert response.status_code == 200, response.text
    if start:
        assert call(sim, "POST", "/api/sessions/default/start").status_code == 201


def statuses(hooks, prefix="/"):
    return [r["body"]["payload"]["status"] for r in hooks.requests if r["path"].startswith(prefix)]


# -- REST -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers, path", [({}, "/api/sessions"), ({"X-Api-Key": "wrong"}, "/api/sessions"),
                                           ({"Authorization": "Bearer test-waha-key"}, "/api/sessions"),
                                           ({}, "/api/sessions?x-api-key=test-waha-key")])
def test_rest_needs_the_key_in_the_header(wsim, headers, path):
    response = requests.get(wsim.base_url + path, headers=headers, timeout=5)
    assert (response.status_code, response.json()) == (401, {"message": "Unauthorized", "statusCode": 401})
    assert requests.get(wsim.base_url + "/ping", timeout=5).json() == {"message": "pong"}


def test_version(wsim):
    answer = call(wsim, "GET", "/api/server/version").json()
    assert (answer["version"], answer["engine"], answer["tier"]) == ("2026.2.1", "NOWEB", "CORE")


def test_default_exists_at_boot_stopped_without_config(wsim):
    assert call(wsim, "GET", "/api/sessions").json() == []  # stopped sessions only with all=true
    assert call(wsim, "GET", "/api/sessions?all=true").json() == [
        {"name": "default", "status": "STOPPED", "config": None, "me": None, "presence": None,
         "timestamps": {"activity": None}}]
    created = call(wsim, "POST", "/api/sessions", json={"name": "default", "config": {}})
    assert created.status_code == 422 and "already exists. Use PUT" in created.json()["message"]


@pytest.mark.parametrize("method, path", [("GET", "/api/sessions/other"), ("PUT", "/api/sessions/other"),
                                          ("POST", "/api/sessions/other/start"), ("GET", "/api/other/auth/qr"),
                                          ("POST", "/api/sessions")])
def test_core_accepts_only_default(wsim, method, path):
    response = call(wsim, method, path, json={"name": "other"} if path == "/api/sessions" else {})
    assert response.status_code == 422
    assert response.json()["message"].startswith("WAHA Core support only 'default' session")


def test_delete_then_create_with_start_false_creates_nothing(wsim):
    assert call(wsim, "DELETE", "/api/sessions/default").status_code == 200
    assert call(wsim, "GET", "/api/sessions/default").status_code == 404
    trap = call(wsim, "POST", "/api/sessions", json={"name": "default", "start": False, "config": {}})
    assert (trap.status_code, trap.content) == (201, b"")
    assert call(wsim, "GET", "/api/sessions/default").status_code == 404
    started = call(wsim, "POST", "/api/sessions", json={"name": "default", "start": True, "config": {"webhooks": []}})
    assert started.status_code == 201 and started.json()["status"] == "STARTING"


def test_put_replaces_the_whole_config_and_strips_unknown_fields(wsim):
    configure(wsim, hook("http://127.0.0.1:9/a", foo=1, hmac={"key": "k", "algo": "md5"}))
    kept = call(wsim, "GET", "/api/sessions/default").json()["config"]
    assert kept == {"webhooks": [{"url": "http://127.0.0.1:9/a", "events": ["session.status"], "hmac": {"key": "k"}}]}
    assert "config" not in call(wsim, "PUT", "/api/sessions/default", json={}).json()


@pytest.mark.parametrize("webhook, message", [
    ({"url": "not-a-url", "events": []}, "config.webhooks.0.url must be a URL address"),
    ({"url": "http://127.0.0.1:9/"}, "config.webhooks.0.events must be an array"),
    ({"url": "http://127.0.0.1:9/", "events": ["bogus"]}, "each value in config.webhooks.0.events"),
    ({"url": "http://127.0.0.1:9/", "events": [], "retries": {"policy": "random"}}, "retries.policy"),
    ({"url": "http://127.0.0.1:9/", "events": [], "retries": {"attempts": "3"}},
     "config.webhooks.0.retries.attempts must be a number"),
])
def test_bad_webhook_configs_are_400(wsim, webhook, message):
    response = call(wsim, "PUT", "/api/sessions/default", json={"config": {"webhooks": [webhook]}})
    assert response.status_code == 400 and message in " ".join(response.json()["message"])


def test_start_twice_is_422_and_stop_is_idempotent(wsim):
    assert call(wsim, "POST", "/api/sessions/default/start").status_code == 201
    again = call(wsim, "POST", "/api/sessions/default/start")
    assert again.status_code == 422 and "already started" in again.json()["message"]
    for _ in range(2):
        stopped = call(wsim, "POST", "/api/sessions/default/stop")
        assert (stopped.status_code, stopped.json()["status"]) == (201, "STOPPED")


def test_qr_endpoint_in_each_status(wsim):
    stopped = call(wsim, "GET", "/api/default/auth/qr")
    assert stopped.status_code == 422 and stopped.json()["status"] == "STOPPED"
    assert stopped.json()["expected"] == ["SCAN_QR_CODE"]
    call(wsim, "POST", "/api/sessions/default/start")
    wait_for(lambda: call(wsim, "GET", "/api/sessions/default").json()["status"] == "SCAN_QR_CODE", 5, "a QR")
    raw = call(wsim, "GET", "/api/default/auth/qr?format=raw").json()["value"]
    assert raw == wsim.control("GET", "instances/default")["qr"]
    image = call(wsim, "GET", "/api/default/auth/qr", headers={"Accept": "application/json"}).json()
    assert image["mimetype"] == "image/png" and image["data"].startswith("iVBOR")
    assert call(wsim, "GET", "/api/default/auth/qr?format=image").content.startswith(b"\x89PNG")
    code = call(wsim, "POST", "/api/default/auth/request-code", json={"phoneNumber": "5511999990000"})
    assert code.status_code == 201 and len(code.json()["code"]) == 9
    call(wsim, "DELETE", "/api/sessions/default")
    assert call(wsim, "GET", "/api/default/auth/qr").json() == {"error": 'Session "default" does not exist',
                                                              "session": "default"}


# -- webhooks -------------------------------------------------------------------------------------

def test_signed_webhooks_carry_ids_headers_and_an_hmac_of_the_raw_body(wsim, hooks):
    configure(wsim, hook(hooks.url + "/ok", hmac={"key": "hmac-secret-1"},
                         customHeaders=[{"name": "X-Custom", "value": "abc"}]), start=True)
    first = hooks.wait(1)[0]
    headers, body = first["headers"], first["body"]
    assert body["id"].startswith("evt_") and len(body["id"]) == 30 and body["event"] == "session.status"
    assert headers["X-Webhook-Timestamp"] == str(body["timestamp"]) and len(headers["X-Webhook-Request-Id"]) == 17
    assert headers["X-Custom"] == "abc" and headers["User-Agent"] == "WAHA/2026.2.1"
    assert headers["X-Webhook-Hmac-Algorithm"] == "sha512"
    assert headers["X-Webhook-Hmac"] == hmac.new(b"hmac-secret-1", first["raw"], hashlib.sha512).hexdigest()
    assert first["raw"] == json.dumps(body, separators=(",", ":")).encode()
    assert [s["status"] for s in body["payload"]["statuses"]] == ["STARTING"]


def test_any_failure_is_retried_16_deliveries_by_default(wsim, hooks):
    hooks.statuses["/fail"] = [500]
    configure(wsim, hook(hooks.url + "/fail"), hook(hooks.url + "/auth", retries={"policy": "constant",
                                                                                   "delaySeconds": 1, "attempts": 2}))
    hooks.statuses["/auth"] = [401]
    call(wsim, "POST", "/api/sessions/default/start")
    first_id = hooks.wait(1, "/fail")[0]["body"]["id"]
    wait_for(lambda: len([r for r in hooks.requests if r["body"]["id"] == first_id and r["path"] == "/fail"]) == 16,
             10, "16 deliveries")
    copies = [r for r in hooks.requests if r["body"]["id"] == first_id and r["path"] == "/fail"]
    assert len({(r["raw"], r["headers"]["X-Webhook-Request-Id"], r["headers"]["X-Webhook-Hmac"] if "X-Webhook-Hmac"
                 in r["headers"] else None) for r in copies}) == 1
    auth_id = hooks.wait(1, "/auth")[0]["body"]["id"]
    wait_for(lambda: len([r for r in hooks.requests if r["body"]["id"] == auth_id and r["path"] == "/auth"]) == 3, 5,
             "3 deliveries of a 401")


def test_put_on_a_running_session_restarts_it_old_hooks_hear_stopped(wsim, hooks):
    configure(wsim, hook(hooks.url + "/old"), start=True)
    hooks.wait(1, "/old")
    configure(wsim, hook(hooks.url + "/new"))
    wait_for(lambda: statuses(hooks, "/new")[:1] == ["STARTING"], 5, "STARTING on the new webhook")
    assert "STOPPED" in statuses(hooks, "/old") and "STOPPED" not in statuses(hooks, "/new")


def test_config_is_lost_on_restart(wsim, hooks):
    configure(wsim, hook(hooks.url + "/ok"), start=True)
    wsim.control("POST", "restart")
    session = call(wsim, "GET", "/api/sessions/default").json()
    assert (session["status"], session["config"]) == ("STOPPED", None)


def test_messages_acks_and_chats(wsim, hooks):
    configure(wsim, hook(hooks.url + "/m", events=["message", "message.ack"]), start=True)
    wait_for(lambda: call(wsim, "GET", "/api/sessions/default").json()["status"] == "SCAN_QR_CODE", 5, "QR")
    wsim.control("POST", "instances/default/scan", {"number": "5511999990000"})
    ids = wsim.control("POST", "instances/default/messages", {"text": "hi", "count": 2})["ids"]
    wsim.control("POST", "instances/default/ack", {"id": ids[0]})
    received = hooks.wait(3, "/m")
    # Each delivery is its own POST series: they may land in any order.
    assert sorted(r["body"]["event"] for r in received) == ["message", "message", "message.ack"]
    assert received[0]["body"]["me"]["id"] == "5511999990000@c.us"
    ack = next(r for r in received if r["body"]["event"] == "message.ack")
    assert ack["body"]["payload"]["ackName"] == "READ"
    chats = call(wsim, "GET", "/api/default/chats").json()
    assert [c["id"] for c in chats] == ["5511988887777@c.us"]
    messages = call(wsim, "GET", f"/api/default/chats/{chats[0]['id']}/messages?limit=10").json()
    assert {m["id"] for m in messages} == set(ids)


# -- /ws ------------------------------------------------------------------------------------------

def ws_url(sim, query):
    return sim.base_url.replace("http://", "ws://") + "/ws?" + query


def close_of(client) -> tuple[int, str]:
    """The close frame the server sent first: (code, reason)."""
    opcode, frame = client.recv_data_frame(True)
    assert opcode == websocket.ABNF.OPCODE_CLOSE
    return int.from_bytes(frame.data[:2], "big"), frame.data[2:].decode()


def test_ws_without_the_key_in_the_query_is_closed_1008(wsim):
    for query, headers in [("session=default", []), ("x-api-key=wrong", []),
                           ("session=default", [f"X-Api-Key: {wsim.api_key}"])]:
        client = websocket.create_connection(ws_url(wsim, query), header=headers, timeout=5)
        assert close_of(client) == (1008, "Unauthorized")
        client.close()


def test_ws_frames_are_the_webhook_envelope_with_the_same_id(wsim, hooks):
    client = websocket.create_connection(ws_url(wsim, f"session=other&events=session.status&X-Api-Key={wsim.api_key}"),
                                         timeout=5)
    configure(wsim, hook(hooks.url + "/ok"), start=True)
    frame = json.loads(client.recv())
    assert frame["event"] == "session.status" and frame["session"] == "default"
    assert frame["id"] == hooks.wait(1)[0]["body"]["id"]
    client.close()


# -- 2024.10.8 ------------------------------------------------------------------------------------

def test_2024_sends_no_id_no_hmac_and_never_retries(wsim_2024, hooks):
    hooks.statuses["/fail"] = [500]
    configure(wsim_2024, hook(hooks.url + "/fail", hmac={"key": "k"}, retries={"attempts": 3}), start=True)
    first = hooks.wait(1, "/fail")[0]
    assert "id" not in first["body"] and "timestamp" not in first["body"]
    assert not any(name.startswith("X-Webhook") for name in first["headers"])
    assert first["body"]["payload"] == {"name": "default", "status": "STARTING"}
    star = call(wsim_2024, "PUT", "/api/sessions/default",
                json={"config": {"webhooks": [hook(hooks.url, events=["*"])]}})
    assert star.status_code == 400
    wait_for(lambda: len(statuses(hooks, "/fail")) >= 2, 5, "the SCAN_QR_CODE status")
    assert len(wsim_2024.control("GET", "deliveries")) == len(hooks.requests)  # one attempt each


def test_2024_ws_takes_only_star_sessions(wsim_2024):
    refused = websocket.create_connection(ws_url(wsim_2024, "session=default"), timeout=5)
    code, reason = close_of(refused)
    assert code == 4001 and "use session=*" in json.loads(reason)["error"]
    refused.close()
    client = websocket.create_connection(ws_url(wsim_2024, "session=*&events=*"), timeout=5)
    call(wsim_2024, "POST", "/api/sessions/default/start")
    assert json.loads(client.recv())["payload"]["status"] == "STARTING"
    client.close()


def test_2024_ws_carries_session_status_only_even_with_events_star(wsim_2024):
    """Why the gateway refuses websocket mode on 2024.10.8: messages never reach /ws."""
    client = websocket.create_connection(ws_url(wsim_2024, "session=*&events=*"), timeout=5)
    call(wsim_2024, "POST", "/api/sessions/default/start")
    wait_for(lambda: wsim_2024.control("GET", "instances/default")["session"]["status"] == "SCAN_QR_CODE", 5,
             "SCAN_QR_CODE")
    wsim_2024.control("POST", "instances/default/scan", {})
    wsim_2024.control("POST", "instances/default/messages", {"count": 2})
    wsim_2024.control("POST", "instances/default/emit", {"event": "session.status",
                                                         "payload": {"name": "default", "status": "LAST"}})
    frames = []
    while not frames or frames[-1]["payload"]["status"] != "LAST":
        frames.append(json.loads(client.recv()))
    client.close()
    assert {frame["event"] for frame in frames} == {"session.status"}
    assert [frame["payload"]["status"] for frame in frames] == ["STARTING", "SCAN_QR_CODE", "WORKING", "LAST"]


def test_2024_core_checks_no_api_key(wsim_2024):
    """2024.10.8 Core reads WHATSAPP_API_KEY but never checks it (the key guard came with later versions)."""
    for key in (None, "wrong"):
        assert call(wsim_2024, "GET", "/api/sessions?all=true", key=key).status_code == 200
