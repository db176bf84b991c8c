"""Catch-up per instance when the one connection that carries a server's namespaces is cut."""
from __future__ import annotations

from gateway.simulator.testing import wait_for
from tests.pipeline.test_catchup import joined


def test_each_instance_catches_up_what_a_cut_connection_missed(api, create, sim, store):
    """Through the supervisor: two instances on one server, a network cut, and every message stored once."""
    for name in ("sales", "support"):
        create(name=name, mode="websocket")
        store.wait_messages(name, sim.control("POST", f"instances/{name}/messages", {})["ids"])
        wait_for(lambda: joined(api, name), what=f"{name} joined")
    supervisor = api.client.application.extensions["gateway"].supervisor
    assert len(supervisor.server_sockets) == 1
    sim.control("POST", "sockets/drop", {"for": 1.0})
    wait_for(lambda: not joined(api, "sales"), what="the drop noticed")
    missed = {name: sim.control("POST", f"instances/{name}/messages", {"count": 2})["ids"]
              for name in ("sales", "support")}
    for name, ids in missed.items():
        wait_for(lambda: joined(api, name), timeout=10, what=f"{name} rejoined")
        found = store.wait_messages(name, ids)
        assert {found[key][0] for key in ids} <= {"catchup", "websocket"} and all(len(found[k]) == 1 for k in ids)
