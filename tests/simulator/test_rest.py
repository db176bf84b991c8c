"""REST endpoints of the simulator against the observed Evolution 2.3.6 contract."""
from __future__ import annotations

import pytest

from gateway.simulator.evolution.catalog import EVENTS
from gateway.simulator.testing import wait_for

UNAUTHORIZED = {"status": 401, "error": "Unauthorized", "response": {"message": "Unauthorized"}}


def error(status: int, reason: str, *messages):
    return {"status": status, "error": reason, "response": {"message": list(messages)}}


def test_welcome(api):
    body = api("GET", "/", key=None).json()
    assert (body["status"], body["version"]) == (200, "2.3.6")
    assert body["message"] == "Welcome to the Evolution API, it is working!"


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_missing_or_wrong_key_is_401(api, key):
    api.create("inst1")
    for method, path in [("GET", "/instance/fetchInstances"), ("GET", "/instance/connectionState/inst1"),
                         ("POST", "/instance/create")]:
        response = api(method, path, key=key, json={"instanceName": "new"})
        assert (response.status_code, response.json()) == (401, UNAUTHORIZED)


def test_create_without_a_name_hits_every_row(api):
    """Prisma's `where: {name: undefined}` matches all rows, so the name check says "undefined"."""
    api.create("any")
    response = api("POST", "/instance/create", json={"integration": "WHATSAPP-BAILEYS"})
    assert (response.status_code, response.json()) == (
        403, error(403, "Forbidden", 'This name "undefined" is already in use.'))


def test_instance_token_opens_only_its_own_instance(api):
    mine = api.create("mine", token="mine-token")
    api.create("other")
    assert mine["hash"] == "mine-token"
    assert api("GET", "/instance/connectionState/mine", key="mine-token").json() == {
        "instance": {"instanceName": "mine", "state": "close"}}
    assert api("GET", "/instance/connectionState/other", key="mine-token").status_code == 401
    listed = api("GET", "/instance/fetchInstances", key="mine-token").json()
    assert [row["name"] for row in listed] == ["mine"]
    assert api("GET", "/instance/fetchInstances?instanceName=other", key="mine-token").status_code == 401
    response = api("POST", "/instance/create", key="mine-token",
                   json={"instanceName": "x", "integration": "WHATSAPP-BAILEYS"})
    assert (response.status_code, response.json()) == (401, UNAUTHORIZED)


def test_unknown_instance_is_404_before_auth(api):
    response = api("GET", "/instance/connectionState/ghost", key=None)
    assert (response.status_code, response.json()) == (
        404, error(404, "Not Found", 'The "ghost" instance does not exist'))


def test_create_answer_shape(api):
    body = api.create("shape", qrcode=False)
    assert body["instance"] == {"instanceName": "shape", "instanceId": body["instance"]["instanceId"],
                                "integration": "WHATSAPP-BAILEYS", "webhookWaBusiness": None,
                                "accessTokenWaBusiness": "", "status": "close"}
    assert body["hash"] == body["hash"].upper() and len(body["hash"]) == 36
    assert (body["webhook"], body["websocket"]) == ({}, {})
    assert "qrcode" not in body


def test_create_with_qrcode_starts_connecting(api):
    body = api.create("qr", qrcode=True)
    assert body["instance"]["status"] == "connecting"
    assert body["qrcode"]["base64"].startswith("data:image/png;base64,")
    assert body["qrcode"]["count"] == 1 and body["qrcode"]["pairingCode"] is None


@pytest.mark.parametrize("body, status, expected", [
    ({"instanceName": "x"}, 400, error(400, "Bad Request", "Invalid integration")),
    ({"instanceName": "x", "integration": "NOPE"}, 400, error(400, "Bad Request", "Invalid integration")),
    ({"instanceName": "", "integration": "WHATSAPP-BAILEYS"}, 400,
     error(400, "Bad Request", ['The "instanceName" cannot be empty'])),
    ({"instanceName": 5, "integration": "WHATSAPP-BAILEYS"}, 400,
     error(400, "Bad Request", ["instanceName is not of a type(s) string"])),
])
def test_create_rejections(api, body, status, expected):
    response = api("POST", "/instance/create", json=body)
    assert (response.status_code, response.json()) == (status, expected)


def test_duplicate_name_is_403(api):
    api.create("dup")
    response = api("POST", "/instance/create", json={"instanceName": "dup", "integration": "WHATSAPP-BAILEYS"})
    assert (response.status_code, response.json()) == (
        403, error(403, "Forbidden", 'This name "dup" is already in use.'))


def test_create_blocks_are_stored_enabled_and_flat_fields_ignored(api):
    api.create("blocks", webhook={"url": "http://127.0.0.1:9/h", "enabled": False, "events": []},
               websocket={"enabled": False, "events": ["MESSAGES_UPSERT"]},
               webhookUrl="http://127.0.0.1:9/flat", webhookByEvents=True)
    hook = api("GET", "/webhook/find/blocks").json()
    assert (hook["enabled"], hook["url"], hook["webhookByEvents"]) == (True, "http://127.0.0.1:9/h", False)
    assert hook["events"] == list(EVENTS)
    assert api("GET", "/websocket/find/blocks").json()["enabled"] is True
    api.create("flat", webhookUrl="http://127.0.0.1:9/flat", webhookByEvents=True)
    assert api("GET", "/webhook/find/flat").json() is None


def test_create_block_without_events_fails_and_removes(api):
    response = api("POST", "/instance/create", json={
        "instanceName": "noev", "integration": "WHATSAPP-BAILEYS", "webhook": {"url": "http://127.0.0.1:9/h"}})
    assert (response.status_code, response.json()) == (
        400, error(400, "Bad Request", "Cannot read properties of undefined (reading 'length')"))
    wait_for(lambda: api("POST", "/instance/create", json={
        "instanceName": "noev", "integration": "WHATSAPP-BAILEYS"}).status_code == 201, what="name freed")


def test_fetch_instances_shape_and_404(api):
    created = api.create("f1", number="5511999990000")
    row = api("GET", "/instance/fetchInstances?instanceName=f1").json()[0]
    assert list(row)[:10] == ["id", "name", "connectionStatus", "ownerJid", "profileName", "profilePicUrl",
                              "integration", "number", "businessId", "token"]
    assert (row["id"], row["token"], row["connectionStatus"], row["number"]) == (
        created["instance"]["instanceId"], created["hash"], "close", "5511999990000")
    assert {"Websocket", "Setting", "_count"} <= set(row) and "Webhook" not in row
    assert row["_count"] == {"Message": 0, "Contact": 0, "Chat": 0}
    response = api("GET", "/instance/fetchInstances?instanceName=nope")
    assert (response.status_code, response.json()) == (404, error(404, "Not Found", 'Instance "nope" not found'))


def test_connect_scan_and_state(api, sim):
    api.create("c1")
    qr = api("GET", "/instance/connect/c1").json()
    assert set(qr) == {"pairingCode", "code", "base64", "count"} and qr["code"].startswith("2@")
    assert api("GET", "/instance/connectionState/c1").json()["instance"]["state"] == "connecting"
    sim.control("POST", "instances/c1/scan", json={"number": "5511999990000", "profileName": "Alice"})
    assert api("GET", "/instance/connect/c1").json() == {"instance": {"instanceName": "c1", "state": "open"}}
    row = api("GET", "/instance/fetchInstances?instanceName=c1").json()[0]
    assert (row["ownerJid"], row["profileName"], row["connectionStatus"]) == (
        "5511999990000@s.whatsapp.net", "Alice", "open")


def test_connect_with_a_number_answers_a_pairing_code_with_every_qr(api, sim):
    """connectToWhatsapp(number) on a closed instance: each QR then carries requestPairingCode's code;
    a connecting instance answers its current QR and ignores a number (instance.controller.ts)."""
    api.create("pc")
    qr = api("GET", "/instance/connect/pc?number=5511999990000").json()
    assert len(qr["pairingCode"]) == 8 and qr["pairingCode"].isalnum() and qr["code"].startswith("2@")
    assert api("GET", "/instance/connect/pc?number=5511999990000").json() == qr
    sim.control("POST", "instances/pc/qr")  # the next code, still for that number
    assert api("GET", "/instance/connect/pc").json()["pairingCode"] not in (None, qr["pairingCode"])
    api.create("plain")
    api("GET", "/instance/connect/plain")
    assert api("GET", "/instance/connect/plain?number=5511999990000").json()["pairingCode"] is None


def test_logout(api, sim):
    api.create("lo")
    response = api("DELETE", "/instance/logout/lo")
    assert (response.status_code, response.json()) == (
        400, error(400, "Bad Request", 'The "lo" instance is not connected'))
    api("GET", "/instance/connect/lo")
    assert api("DELETE", "/instance/logout/lo").json() == {
        "status": "SUCCESS", "error": False, "response": {"message": "Instance logged out"}}
    assert api("GET", "/instance/connectionState/lo").json()["instance"]["state"] == "close"


def test_delete_is_asynchronous(api):
    api.create("gone")
    response = api("DELETE", "/instance/delete/gone")
    assert (response.status_code, response.json()) == (
        200, {"status": "SUCCESS", "error": False, "response": {"message": "Instance deleted"}})
    # Still in use and still listed until the rows are purged (~300 ms).
    again = api("POST", "/instance/create", json={"instanceName": "gone", "integration": "WHATSAPP-BAILEYS"})
    assert again.status_code == 403
    assert "gone" in [row["name"] for row in api("GET", "/instance/fetchInstances").json()]
    wait_for(lambda: "gone" not in [r["name"] for r in api("GET", "/instance/fetchInstances").json()],
             what="rows purged")
    assert api("GET", "/instance/connectionState/gone").status_code == 404
    api.create("gone")


def test_restart(api, sim):
    api.create("rs")
    assert api("POST", "/instance/restart/rs").json() == {"error": True, "message": "[object Object]"}
    api("GET", "/instance/connect/rs")
    sim.control("POST", "instances/rs/scan", json={})
    assert api("POST", "/instance/restart/rs").json()["instance"]["state"] == "open"


HOOK = "http://127.0.0.1:9/hook"


def test_webhook_set_and_find(api):
    api.create("wh")
    assert api("GET", "/webhook/find/wh").json() is None
    response = api("POST", "/webhook/set/wh", json={"webhook": {
        "enabled": True, "url": HOOK, "events": ["MESSAGES_UPSERT"], "byEvents": True, "base64": True,
        "headers": {"X-Token": "t"}}})
    assert response.status_code == 201
    record = response.json()
    assert list(record) == ["id", "url", "headers", "enabled", "events", "webhookByEvents", "webhookBase64",
                            "createdAt", "updatedAt", "instanceId"]
    assert (record["url"], record["headers"], record["events"], record["webhookByEvents"],
            record["webhookBase64"]) == (HOOK, {"X-Token": "t"}, ["MESSAGES_UPSERT"], True, True)
    assert api("GET", "/webhook/find/wh").json() == record


def test_webhook_snake_case_is_ignored(api):
    api.create("snake")
    record = api("POST", "/webhook/set/snake", json={"webhook": {
        "enabled": True, "url": HOOK, "events": [], "webhook_by_events": True, "webhook_base64": True}}).json()
    assert (record["webhookByEvents"], record["webhookBase64"], record["events"]) == (False, False, list(EVENTS))


@pytest.mark.parametrize("body, status, message", [
    ({"url": HOOK, "enabled": True}, 400, [['instance requires property "webhook"']]),
    ({"webhook": {"enabled": True, "url": HOOK, "events": ["connection.update"]}}, 400,
     [["webhook.events[0] is not one of enum values: " + ",".join(EVENTS)]]),
    ({"webhook": {"enabled": True, "url": ""}}, 400, [['The "url" cannot be empty']]),
    ({"webhook": {"enabled": "yes", "url": HOOK}}, 400, [["webhook.enabled is not of a type(s) boolean"]]),
    ({"webhook": {"url": HOOK}}, 400, [['webhook requires property "enabled"']]),
    ({"webhook": {"enabled": True, "url": HOOK}}, 500, "Cannot read properties of undefined (reading 'length')"),
])
def test_webhook_set_rejections(api, body, status, message):
    api.create("bad")
    response = api("POST", "/webhook/set/bad", json=body)
    reason = "Bad Request" if status == 400 else "Internal Server Error"
    assert (response.status_code, response.json()) == (
        status, {"status": status, "error": reason, "response": {"message": message}})


def test_webhook_disable_keeps_url_and_forgets_events(api):
    api.create("off")
    api("POST", "/webhook/set/off", json={"webhook": {"enabled": True, "url": HOOK, "events": ["CALL"]}})
    record = api("POST", "/webhook/set/off", json={"webhook": {"url": HOOK, "enabled": False}}).json()
    assert (record["enabled"], record["url"], record["events"]) == (False, HOOK, [])


def test_websocket_set_and_find(api):
    api.create("ws")
    assert api("GET", "/websocket/find/ws").json() is None
    response = api("POST", "/websocket/set/ws", json={"websocket": {"enabled": True, "events": ["CALL"]}})
    assert response.status_code == 201
    record = response.json()
    assert list(record) == ["id", "enabled", "events", "createdAt", "updatedAt", "instanceId"]
    assert api("GET", "/websocket/find/ws").json() == record
    assert api("POST", "/websocket/set/ws", json={"websocket": {"enabled": True, "events": []}}).json()[
        "events"] == list(EVENTS)
    missing = api("POST", "/websocket/set/ws", json={"websocket": {"enabled": True}})
    assert (missing.status_code, missing.json()["response"]["message"]) == (
        500, "Cannot read properties of undefined (reading 'length')")


def test_find_messages(api, sim):
    api.create("fm")
    old = sim.control("POST", "instances/fm/messages", json={"text": "old", "timestamp": 1_700_000_000})["ids"]
    new = sim.control("POST", "instances/fm/messages", json={"text": "new", "count": 3,
                                                            "timestamp": 1_800_000_000})["ids"]
    everything = api("POST", "/chat/findMessages/fm", json={}).json()["messages"]
    assert (everything["total"], everything["pages"], everything["currentPage"]) == (4, 1, 1)
    assert everything["records"][-1]["key"]["id"] == old[0]
    record = everything["records"][0]
    assert set(record) == {"id", "key", "pushName", "messageType", "message", "messageTimestamp", "instanceId",
                           "source", "contextInfo", "MessageUpdate"}
    by_id = api("POST", "/chat/findMessages/fm", json={"where": {"key": {"id": new[1]}}}).json()["messages"]
    assert [r["key"]["id"] for r in by_id["records"]] == [new[1]]
    window = {"gte": "2023-11-14T00:00:00Z", "lte": "2023-11-15T00:00:00Z"}
    dated = api("POST", "/chat/findMessages/fm", json={"where": {"messageTimestamp": window}}).json()
    assert [r["message"]["conversation"] for r in dated["messages"]["records"]] == ["old"]
    paged = api("POST", "/chat/findMessages/fm", json={"page": 2, "offset": 3}).json()["messages"]
    assert (paged["pages"], paged["currentPage"], len(paged["records"])) == (2, 2, 1)


def test_unknown_route_is_express_404(api):
    response = api("GET", "/nope/thing")
    assert (response.status_code, response.json()) == (404, error(404, "Not Found", "Cannot GET /nope/thing"))
