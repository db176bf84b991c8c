"""The `/_sim/` control API: faults, QR limit, arbitrary events, acks, reset, state."""
from __future__ import annotations

import time

import requests

from gateway.simulator.evolution.payloads import find_messages
from gateway.simulator.evolution.schema import WEBHOOK, errors


def test_fault_answers_given_status_then_clears(api, sim):
    api.create("f")
    sim.control("POST", "faults", json={"method": "GET", "path": "/instance/connectionState/", "status": 503,
                                         "times": 2})
    for _ in range(2):
        response = api("GET", "/instance/connectionState/f")
        assert (response.status_code, response.json()["error"]) == (503, "Service Unavailable")
    assert api("GET", "/instance/connectionState/f").status_code == 200


def test_fault_custom_body_method_filter_and_clear(api, sim):
    api.create("g")
    sim.control("POST", "faults", json={"method": "POST", "path": "/webhook/set", "status": 500,
                                         "body": {"boom": True}, "times": 5})
    assert api("GET", "/webhook/find/g").status_code == 200  # other method: untouched
    response = api("POST", "/webhook/set/g", json={})
    assert (response.status_code, response.json()) == (500, {"boom": True})
    sim.control("DELETE", "faults")
    assert api("POST", "/webhook/set/g", json={}).status_code == 400


def test_fault_delay_only(api, sim):
    sim.control("POST", "faults", json={"path": "/", "status": None, "delay": 0.3})
    started = time.monotonic()
    assert api("GET", "/").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_qr_limit(gsim):
    requests.post(gsim.base_url + "/instance/create", headers={"apikey": gsim.api_key}, timeout=5,
                  json={"instanceName": "lim", "integration": "WHATSAPP-BAILEYS", "webhook": {}})
    for _ in range(2):
        assert gsim.control("POST", "instances/lim/qr")["state"] == "connecting"
    state = gsim.control("POST", "instances/lim/qr")
    assert (state["state"], state["qrcodeCount"]) == ("close", 0)


def test_qr_limit_events(gsim, listen):
    root = listen(["/"], running=gsim)
    requests.post(gsim.base_url + "/instance/create", headers={"apikey": gsim.api_key}, timeout=5,
                  json={"instanceName": "lim2", "integration": "WHATSAPP-BAILEYS"})
    for _ in range(3):
        gsim.control("POST", "instances/lim2/qr")
    refused = root.wait("/", "connection.update")["data"]
    assert refused == {"instance": "lim2", "state": "refused", "statusReason": 428}
    limit = [d for _, e, d in root.events if e == "qrcode.updated"][-1]["data"]
    assert limit == {"message": "QR code limit reached, please login again", "statusCode": 500}


def test_ack_emits_messages_update(api, sim, hooks):
    api.create("ack", webhook={"url": hooks.url, "events": ["MESSAGES_UPSERT", "MESSAGES_UPDATE"]})
    (key_id,) = sim.control("POST", "instances/ack/messages", json={"text": "x", "fromMe": True})["ids"]
    sim.control("POST", "instances/ack/ack", json={"id": key_id, "status": "READ"})
    upsert, update = (r["body"]["data"] for r in hooks.wait(2))
    assert (upsert["pushName"], upsert["status"]) == ("Você", "SERVER_ACK")
    assert update == {"keyId": key_id, "remoteJid": upsert["key"]["remoteJid"], "fromMe": True, "status": "READ",
                      "instanceId": upsert["instanceId"], "messageId": update["messageId"]}
    record = api("POST", "/chat/findMessages/ack", json={}).json()["messages"]["records"][0]
    assert (record["id"], record["MessageUpdate"]) == (update["messageId"], [{"status": "READ"}])
    assert requests.post(f"{sim.base_url}/_sim/instances/ack/ack", json={"id": "nope"}, timeout=5).status_code == 404


def test_emit_any_event_and_describe(api, sim, hooks):
    api.create("any", webhook={"url": hooks.url, "events": ["CONTACTS_UPSERT"]}, token="any-token")
    sim.control("POST", "instances/any/emit", json={"event": "contacts.upsert", "data": [{"id": "1"}]})
    (posted,) = hooks.wait(1)
    assert (posted["body"]["event"], posted["body"]["data"]) == ("contacts.upsert", [{"id": "1"}])
    state = sim.control("GET", "instances/any")
    assert (state["token"], state["state"], state["messages"], state["webhook"]["url"]) == (
        "any-token", "close", 0, hooks.url)


def test_reset_forgets_everything(api, sim):
    api.create("r")
    sim.control("POST", "faults", json={"path": "/nothing", "status": 500})
    sim.reset()
    assert api("GET", "/instance/fetchInstances").json() == []
    assert sim.control("GET", "deliveries") == []
    assert requests.get(f"{sim.base_url}/_sim/instances/r", timeout=5).status_code == 404


def test_schema_messages_follow_the_npm_validator():
    assert errors({"webhook": {"enabled": True, "url": 1, "events": [3]}}, WEBHOOK) == [
        "webhook.url is not of a type(s) string",
        "webhook.events[0] is not of a type(s) string",
        "webhook.events[0] is not one of enum values: " + ",".join(WEBHOOK["properties"]["webhook"]["properties"][
            "events"]["items"]["enum"]),
    ]
    # The "cannot be empty" rule only applies when no other key is present.
    assert errors({"webhook": {"enabled": True, "url": "", "events": []}}, WEBHOOK) == []


def test_find_messages_needs_both_bounds():
    records = [{"id": "a", "key": {"id": "k"}, "messageTimestamp": 10, "source": "web", "messageType": "x"}]
    only_low = find_messages(records, {"where": {"messageTimestamp": {"gte": "2030-01-01T00:00:00Z"}}})
    assert only_low["messages"]["total"] == 1
    in_ms = find_messages(records, {"where": {"messageTimestamp": {"gte": 0, "lte": 20_000}}})
    assert in_ms["messages"]["total"] == 1


def test_revoke_emits_messages_delete_and_findmessages_keeps_every_status(api, sim, hooks):
    api.create("rev", webhook={"url": hooks.url, "events": ["MESSAGES_UPSERT", "MESSAGES_UPDATE", "MESSAGES_DELETE"]})
    (key_id,) = sim.control("POST", "instances/rev/messages", json={"text": "x"})["ids"]
    sim.control("POST", "instances/rev/ack", json={"id": key_id, "status": "DELIVERY_ACK"})
    sim.control("POST", "instances/rev/ack", json={"id": key_id, "status": "READ"})
    sim.control("POST", "instances/rev/revoke", json={"id": key_id})
    upsert, _, _, deleted = (r["body"] for r in hooks.wait(4))
    assert (deleted["event"], deleted["data"]) == ("messages.delete", upsert["data"]["key"])
    record = api("POST", "/chat/findMessages/rev", json={}).json()["messages"]["records"][0]
    assert record["MessageUpdate"] == [{"status": "DELIVERY_ACK"}, {"status": "READ"}, {"status": "DELETED"}]


def test_restart_reconnects_open_instances(api, sim, hooks):
    api.create("up", webhook={"url": hooks.url, "events": ["CONNECTION_UPDATE"]})
    sim.control("POST", "instances/up/scan", json={})  # connecting, then open
    hooks.wait(2)
    sim.control("POST", "restart")
    assert [r["body"]["data"]["state"] for r in hooks.wait(4)] == ["connecting", "open", "connecting", "open"]
