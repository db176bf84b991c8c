"""One connection per provider server: every instance namespace joined, refused and retried on its own
over the same engine.io connection, against the simulator."""
from __future__ import annotations

import gevent
import pytest

from gateway.connections.backoff import Backoff
from gateway.connections.multiplex import ServerSocket
from gateway.providers import provider_for
from gateway.simulator.testing import wait_for


@pytest.fixture
def server_socket(sim, provider):
    """A ServerSocket on the simulator carrying the given instances (created there in websocket mode);
    returns it with the events each namespace received and the batches of joins handed over."""
    sockets = []

    def start(*names):
        for name in names:
            provider.rest("POST", "/instance/create", {"instanceName": name, "integration": "WHATSAPP-BAILEYS",
                                                       "websocket": {"enabled": True, "events": ["MESSAGES_UPSERT"]}})
        events, batches = {name: [] for name in names}, []
        carried = ServerSocket(1, provider_for("evolution").socket_address(sim), "sim", spawn, batches.append,
                               Backoff(0.05, 0.2), namespace_retry=0.1, connect_timeout=2.0)
        for number, name in enumerate(names):
            carried.add(f"/{name}", name, number + 1, lambda event, data, name=name: events[name].append(data))
        sockets.append(carried)
        return carried, events, batches

    yield start
    for carried in sockets:
        carried.stop()
    sim.control("POST", "sockets/drop")


def spawn(name: str, target, *args) -> gevent.Greenlet:
    return gevent.spawn(target, *args)


def state(carried: ServerSocket, name: str) -> str:
    return carried.members[f"/{name}"].state


def message_id(data) -> str:
    return data["data"]["key"]["id"]


def test_a_namespace_refused_until_its_first_event_does_not_block_the_others(sim, server_socket):
    carried, events, batches = server_socket("busy", "quiet")
    # "busy" has had an event, so Evolution has its namespace; "quiet" has none yet.
    sim.control("POST", "instances/busy/messages", {})
    wait_for(lambda: state(carried, "busy") == "connected" and state(carried, "quiet") == "awaiting_first_event",
             what="busy joined while quiet is refused")
    [sent] = sim.control("POST", "instances/busy/messages", {})["ids"]
    wait_for(lambda: sent in [message_id(d) for d in events["busy"]], what="busy's event")
    status = carried.members["/quiet"].status()
    # Neutral, polled on the fixed interval: not a failure.
    assert (status["last_error"], status["failures"]) == ("Invalid namespace", 0)
    assert status["next_attempt_at"] is not None
    sim.control("POST", "instances/quiet/messages", {})  # Evolution creates the namespace now
    wait_for(lambda: state(carried, "quiet") == "connected", what="quiet joined on its own retry")
    assert carried.members["/quiet"].status()["next_attempt_at"] is None
    assert set(carried.client.namespaces) == {"/busy", "/quiet"}  # one engine.io connection carries both
    wait_for(lambda: sorted(join for batch in batches for join in batch) == [(1, True), (2, True)],
             what="each first join handed over once")


def test_a_dropped_connection_rejoins_every_namespace_and_hands_them_over_together(sim, server_socket):
    carried, events, batches = server_socket("one", "two", "three")
    for name in ("one", "two", "three"):
        sim.control("POST", f"instances/{name}/messages", {})
    wait_for(lambda: all(state(carried, n) == "connected" for n in ("one", "two", "three")), timeout=15,
             what="all joined")
    wait_for(lambda: sum(len(batch) for batch in batches) == 3, timeout=15, what="the first joins handed over")
    first_connection = carried.client
    batches.clear()
    sim.control("POST", "sockets/drop")
    wait_for(lambda: carried.client is not first_connection
             and all(state(carried, n) == "connected" for n in ("one", "two", "three")), timeout=15,
             what="all joined again")
    wait_for(lambda: sum(len(batch) for batch in batches) == 3, timeout=15, what="the joins handed over")
    assert sorted(join for batch in batches for join in batch) == [(1, False), (2, False), (3, False)]
    assert len(batches) < 3  # joined on one connection, resynced in a batch, not one greenlet each
    assert all(carried.members[f"/{n}"].reconnects == 1 for n in ("one", "two", "three"))
    [sent] = sim.control("POST", "instances/three/messages", {})["ids"]
    wait_for(lambda: sent in [message_id(d) for d in events["three"]], timeout=15, what="an event after the rejoin")


def test_removing_one_instance_leaves_only_its_own_namespace(sim, server_socket):
    carried, events, _ = server_socket("stays", "goes")
    for name in ("stays", "goes"):
        sim.control("POST", f"instances/{name}/messages", {})
    wait_for(lambda: state(carried, "stays") == "connected" and state(carried, "goes") == "connected",
             what="both joined")
    connection = carried.client
    carried.remove("/goes")
    assert set(carried.client.namespaces) == {"/stays"} and carried.client is connection
    [gone] = sim.control("POST", "instances/goes/messages", {})["ids"]
    [kept] = sim.control("POST", "instances/stays/messages", {})["ids"]
    wait_for(lambda: kept in [message_id(d) for d in events["stays"]], what="the remaining namespace's event")
    assert gone not in [message_id(d) for d in events["goes"]]
    assert state(carried, "stays") == "connected" and carried.client is connection


def test_the_last_namespace_left_during_a_tick_still_closes_the_connection(sim, server_socket):
    carried, _, _ = server_socket("busy")
    sim.control("POST", "instances/busy/messages", {})
    wait_for(lambda: state(carried, "busy") == "connected", what="busy joined")
    carried.add("/late", "late", 2, lambda event, data: None)  # wakes the scheduler into its 50 ms tick
    gevent.sleep(0)  # (a yield, not a wait: the scheduler enters the tick)
    carried.remove("/late")
    carried.remove("/busy")  # the last one: stop() lands inside the tick
    wait_for(lambda: carried.client is None, what="the engine.io connection to close")
