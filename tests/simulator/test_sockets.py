"""Socket.io side of the simulator: handshake auth, namespaces appearing on first use, routing."""
from __future__ import annotations

import pytest
import requests
import socketio

from gateway.simulator.testing import wait_for

ENVELOPE_KEYS = ["event", "instance", "data", "server_url", "date_time", "apikey"]


@pytest.mark.parametrize("query, headers, message", [
    ("", {}, "apiKey is required"),
    ("&apikey=wrong", {}, "Invalid global token"),
    ("", {"apikey": "wrong"}, "Invalid global token"),
])
def test_handshake_refused_with_403(sim, query, headers, message):
    response = requests.get(f"{sim.base_url}/socket.io/?EIO=4&transport=polling{query}", headers=headers,
                            timeout=5)
    assert (response.status_code, response.json()) == (403, {"code": 4, "message": message})


def test_handshake_accepts_any_instance_token(api, sim):
    token = api.create("tok", token="tok-token")["hash"]
    response = requests.get(f"{sim.base_url}/socket.io/?EIO=4&transport=polling&apikey={token}", timeout=5)
    assert response.status_code == 200 and response.text.startswith("0{")


def test_python_client_refused_without_key(listen):
    listener = listen(["/"], key=None, connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        listener.connect()


def test_instance_namespace_invalid_until_first_event(api, sim, listen):
    api.create("late")
    api("POST", "/websocket/set/late", json={"websocket": {"enabled": True, "events": []}})
    early = listen(["/late"], connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        early.connect()
    assert early.errors == [("/late", {"message": "Invalid namespace"})]
    sim.control("POST", "instances/late/qr")
    late = listen(["/late"])
    assert late.connects == ["/late"]


def test_events_routed_to_their_namespace_with_envelope(api, sim, listen):
    created = api.create("alpha", websocket={"enabled": True, "events": []})
    api.create("beta", websocket={"enabled": True, "events": []})
    sim.control("POST", "instances/alpha/qr")
    sim.control("POST", "instances/beta/qr")
    listener = listen(["/alpha", "/beta"])
    sim.control("POST", "instances/alpha/scan", json={"number": "5511999990000", "profileName": "Alice"})
    opened = listener.wait("/alpha", "connection.update")
    assert list(opened) == ["event", "instance", "data", "server_url", "date_time", "sender", "apikey"]
    assert opened["data"] == {"instance": "alpha", "wuid": "5511999990000@s.whatsapp.net", "profileName": "Alice",
                              "profilePictureUrl": None, "state": "open", "statusReason": 200}
    assert (opened["sender"], opened["apikey"]) == ("5511999990000@s.whatsapp.net", created["hash"])
    assert opened["server_url"] == sim.base_url and opened["date_time"].endswith("Z")
    sim.control("POST", "instances/beta/messages", json={"text": "hi beta"})
    upsert = listener.wait("/beta", "messages.upsert")
    assert list(upsert) == ENVELOPE_KEYS  # beta never connected: no sender
    assert upsert["data"]["message"] == {"conversation": "hi beta"}
    assert "messages.upsert" not in listener.names("/alpha")


def test_only_selected_events_reach_the_namespace(api, sim, listen):
    api.create("sel", websocket={"enabled": True, "events": ["MESSAGES_UPSERT"]})
    sim.control("POST", "instances/sel/messages", json={"text": "first"})  # makes the namespace exist
    listener = listen(["/sel"])
    sim.control("POST", "instances/sel/qr")
    sim.control("POST", "instances/sel/messages", json={"text": "second"})
    listener.wait("/sel", "messages.upsert")
    assert listener.names("/sel") == ["messages.upsert"]


def test_disabled_websocket_sends_nothing_and_creates_no_namespace(api, sim):
    api.create("quiet")
    api("POST", "/websocket/set/quiet", json={"websocket": {"enabled": False}})
    sim.control("POST", "instances/quiet/qr")
    assert sim.control("GET", "instances/quiet")["namespaceLive"] is False


def test_root_namespace_silent_without_global_events(api, sim, listen):
    api.create("rooted", websocket={"enabled": True, "events": []})
    root = listen(["/", "/rooted"])
    sim.control("POST", "instances/rooted/messages", json={"text": "x"})
    root.wait("/rooted", "messages.upsert")
    assert root.names("/") == []


def test_root_namespace_gets_everything_with_global_events(gsim, listen):
    root = listen(["/"], running=gsim)
    requests.post(gsim.base_url + "/instance/create", headers={"apikey": gsim.api_key}, timeout=5,
                  json={"instanceName": "g1", "integration": "WHATSAPP-BAILEYS"})
    created = root.wait("/", "instance.create")
    assert created["data"]["instanceName"] == "g1"
    gsim.control("POST", "instances/g1/emit", json={"event": "groups.update", "data": [{"id": "1@g.us"}]})
    assert root.wait("/", "groups.update")["data"] == [{"id": "1@g.us"}]


def test_drop_makes_clients_reconnect(api, sim, listen):
    api.create("drop", websocket={"enabled": True, "events": []})
    listener = listen(["/drop"], reconnection=True)
    sim.control("POST", "sockets/drop")
    wait_for(lambda: listener.connects.count("/drop") == 2, what="reconnect")
    sim.control("POST", "instances/drop/messages", json={"text": "after"})
    listener.wait("/drop", "messages.upsert")


def test_restart_makes_namespaces_invalid_again(api, sim, listen):
    api.create("rst", websocket={"enabled": True, "events": []})
    listen(["/rst"])
    sim.control("POST", "restart")
    assert sim.control("GET", "instances/rst")["websocket"]["enabled"] is True
    again = listen(["/rst"], connect=False)
    with pytest.raises(socketio.exceptions.ConnectionError):
        again.connect()
    assert again.errors == [("/rst", {"message": "Invalid namespace"})]
