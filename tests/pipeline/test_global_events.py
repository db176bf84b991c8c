"""A server in global-events mode: one root socket routes frames by instance; unknown instances ignored."""
from __future__ import annotations

import requests

from gateway.simulator.testing import wait_for
from tests.connections.conftest import register_server




def test_one_root_socket_carries_each_instance_to_its_own_events(app, api, gsim, store):
    server_id = register_server(app, gsim, global_events=True)
    for name in ("sales", "support"):
        response = api.post("/api/instances", json={"name": name, "server_id": server_id, "mode": "websocket"})
        assert response.status_code == 201, response.json
    wait_for(lambda: api.get("/api/instance-management/state/support").json["socket"]["state"] == "connected",
             what="the root socket joined")
    # Created on the provider behind the gateway's back: its frames reach the root socket too.
    created = requests.post(gsim.base_url + "/instance/create", headers={"apikey": gsim.api_key}, timeout=10,
                            json={"instanceName": "stranger", "integration": "WHATSAPP-BAILEYS"})
    assert created.status_code == 201, created.text
    sent = {name: gsim.control("POST", f"instances/{name}/messages", {"count": 2})["ids"]
            for name in ("sales", "support", "stranger")}
    assert set(store.wait_messages("sales", sent["sales"])) == set(sent["sales"])
    assert set(store.wait_messages("support", sent["support"])) == set(sent["support"])
    assert {e.payload["instance"] for e in store.events()} == {"sales", "support"}


def test_an_instance_added_after_the_root_socket_joined_is_resynchronised(app, api, gsim, store):
    server_id = register_server(app, gsim, global_events=True)
    api.post("/api/instances", json={"name": "sales", "server_id": server_id, "mode": "websocket"})
    wait_for(lambda: api.get("/api/instance-management/state/sales").json["socket"]["state"] == "connected",
             what="the root socket joined")
    api.post("/api/instances", json={"name": "support", "server_id": server_id, "mode": "none"})
    gsim.control("POST", "instances/support/qr")  # waiting for a scan, before its events were carried
    assert api.post("/api/instance-management/websocket/support", json={}).status_code == 200
    wait_for(lambda: store.instance("support").qr_code, what="the current QR read at the join")
    assert store.instance("support").connection_state == "connecting"

