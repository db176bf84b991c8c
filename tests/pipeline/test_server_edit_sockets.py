"""Changing a server's global-events flag moves its websocket instances to the right kind of socket."""
from __future__ import annotations

from gateway.simulator.testing import wait_for
from tests.connections.conftest import register_server


def socket_state(api, name: str) -> str | None:
    return (api.get(f"/api/instance-management/state/{name}").json["socket"] or {}).get("state")


def test_flipping_global_events_reconnects_websocket_instances_and_events_keep_arriving(
        app, api, gsim, store, make_user, token_for):
    admin = token_for(make_user())
    server_id = register_server(app, gsim, global_events=False)
    assert api.post("/api/instances", json={"name": "sales", "server_id": server_id, "mode": "websocket"}).status_code == 201
    assert api.post("/api/instances", json={"name": "quiet", "server_id": server_id, "mode": "none"}).status_code == 201
    supervisor = app.extensions["gateway"].supervisor
    # Evolution opens an instance's namespace at its first event: one message, caught up at the join.
    first = gsim.control("POST", "instances/sales/messages", {"count": 1})["ids"]
    assert set(store.wait_messages("sales", first)) == set(first)
    wait_for(lambda: socket_state(api, "sales") == "connected", what="the instance socket joined")
    sales_id = store.instance("sales").id

    flipped = api.client.patch(f"/api/servers/{server_id}", json={"global_events": True}, headers=admin)
    assert flipped.status_code == 200, flipped.json
    assert sales_id not in supervisor.instance_clients
    assert sorted(supervisor.global_clients[server_id].routes) == ["sales"]  # only websocket-mode instances
    wait_for(lambda: socket_state(api, "sales") == "connected", what="the server's root socket joined")
    sent = gsim.control("POST", "instances/sales/messages", {"count": 2})["ids"]
    assert set(sent) <= set(store.wait_messages("sales", sent))

    back = api.client.patch(f"/api/servers/{server_id}", json={"global_events": False}, headers=admin)
    assert back.status_code == 200
    assert server_id not in supervisor.global_clients and sales_id in supervisor.instance_clients
    wait_for(lambda: socket_state(api, "sales") == "connected", what="the instance socket joined again")
    again = gsim.control("POST", "instances/sales/messages", {"count": 2})["ids"]
    assert set(again) <= set(store.wait_messages("sales", again))
