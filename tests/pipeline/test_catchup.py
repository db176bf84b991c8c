"""Socket delivery with gaps: what a dropped socket missed comes back by catch-up, exactly once."""
from __future__ import annotations

from gateway.simulator.testing import wait_for


def joined(api, name):
    socket = api.get(f"/api/instance-management/state/{name}").json["socket"]
    return socket and socket["state"] == "connected"


def test_a_socket_down_while_messages_flow_loses_none_and_duplicates_none(api, create, sim, store):
    create(mode="websocket")
    first = sim.control("POST", "instances/sales/messages", {"count": 2})["ids"]  # creates the namespace
    store.wait_messages("sales", first)
    wait_for(lambda: joined(api, "sales"), what="the socket client joined")
    ids, missed, live = list(first), [], []
    for _ in range(3):
        # A restart cuts the socket and forgets the namespace: no client can join until the next
        # message recreates it, so the first message of every burst reaches no socket at all.
        sim.control("POST", "restart")
        wait_for(lambda: not joined(api, "sales"), what="the drop noticed")
        burst = sim.control("POST", "instances/sales/messages", {"count": 5})["ids"]
        wait_for(lambda: joined(api, "sales"), what="the socket client rejoined")
        store.wait_messages("sales", burst[:1])  # caught up: the provider was read after the rejoin
        after = sim.control("POST", "instances/sales/messages", {"count": 3})["ids"]
        ids, missed, live = ids + burst + after, missed + burst[:1], live + after
    found = store.wait_messages("sales", ids)
    assert sorted(found) == sorted(ids)
    assert all(len(sources) == 1 for sources in found.values()), found
    assert {found[key][0] for key in missed} == {"catchup"}
    assert {found[key][0] for key in live} == {"websocket"}
    assert store.instance("sales").connection_state == "close"  # read from the provider at every join
