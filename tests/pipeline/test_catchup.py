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


def test_acks_sent_while_the_socket_was_cut_are_caught_up_once_each(api, create, sim, store):
    """Defect 6: catch-up replayed only messages.upsert, so every ack of the gap was lost for good."""
    create(mode="websocket")
    before = sim.control("POST", "instances/sales/messages", {"count": 3})["ids"]
    store.wait_messages("sales", before)
    wait_for(lambda: joined(api, "sales"), what="the socket client joined")
    live_ack = (before[0], "DELIVERY_ACK")
    sim.control("POST", "instances/sales/ack", {"id": live_ack[0], "status": live_ack[1]})
    store.wait_acks("sales", [live_ack])
    sim.control("POST", "sockets/drop", {"for": 1.0})  # a network cut: handshakes refused for 1 s
    wait_for(lambda: not joined(api, "sales"), what="the drop noticed")
    during = sim.control("POST", "instances/sales/messages", {"count": 2})["ids"]
    gap_acks = [(key, status) for key in before + during for status in ("DELIVERY_ACK", "READ")][1:]
    for key, status in gap_acks:
        sim.control("POST", "instances/sales/ack", {"id": key, "status": status})
    wait_for(lambda: joined(api, "sales"), timeout=10, what="the socket client rejoined")
    found = store.wait_acks("sales", gap_acks + [live_ack])
    assert found == {live_ack: ["websocket"], **{ack: ["catchup"] for ack in gap_acks}}
    messages = store.wait_messages("sales", during)
    assert sorted(messages) == sorted(before + during) and all(len(s) == 1 for s in messages.values())
    assert {messages[key][0] for key in during} == {"catchup"}
