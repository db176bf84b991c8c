"""Catch-up per instance when the one connection that carries a server's namespaces is cut."""
from __future__ import annotations

from collections import Counter

from gateway.simulator.testing import wait_for
from tests.pipeline.test_catchup import joined

NAMES = ("sales", "support", "billing")


def test_each_instance_catches_up_what_a_cut_connection_missed_exactly_once(api, create, sim, store):
    """Through the supervisor: three instances on one server, a network cut, every instance
    resynchronised once after it (two at a time, so one greenlet takes several), every message stored once."""
    supervisor = api.client.application.extensions["gateway"].supervisor
    resyncs, resync = Counter(), supervisor.on_join

    def counted(instance_id, first):
        resync(instance_id, first)
        resyncs[instance_id, first] += 1

    supervisor.on_join, supervisor.resync_concurrency = counted, 2
    ids = {}
    for name in NAMES:
        ids[name] = create(name=name, mode="websocket")["id"]
        store.wait_messages(name, sim.control("POST", f"instances/{name}/messages", {})["ids"])
        wait_for(lambda: joined(api, name), what=f"{name} joined")
    assert len(supervisor.server_sockets) == 1
    wait_for(lambda: sum(resyncs.values()) == len(NAMES), what="the first joins resynchronised")
    sim.control("POST", "sockets/drop", {"for": 1.0})
    wait_for(lambda: not joined(api, "sales"), what="the drop noticed")
    missed = {name: sim.control("POST", f"instances/{name}/messages", {"count": 2})["ids"] for name in NAMES}
    for name, sent in missed.items():
        wait_for(lambda: joined(api, name), timeout=10, what=f"{name} rejoined")
        found = store.wait_messages(name, sent)
        assert {found[key][0] for key in sent} <= {"catchup", "websocket"} and all(len(found[k]) == 1 for k in sent)
    wait_for(lambda: sum(resyncs.values()) == 2 * len(NAMES), what="the rejoins resynchronised")
    assert resyncs == Counter({**{(i, True): 1 for i in ids.values()}, **{(i, False): 1 for i in ids.values()}})
