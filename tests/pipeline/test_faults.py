"""Fault runs: while messages and acks flow, the socket is cut, the provider restarts with webhook
retries pending, or forgets the webhook until a sync heals it. Every message and every ack the
simulator emitted must end up stored exactly once; the counts are printed and asserted exactly.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

import pytest

from gateway.simulator.testing import wait_for

STEPS = 40
pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@dataclass
class Traffic:
    """A number in use: a message per step, the previous one delivered, the one before read."""

    sim: object
    name: str = "sales"
    messages: list[str] = field(default_factory=list)
    acks: list[tuple[str, str]] = field(default_factory=list)

    def step(self) -> None:
        [key] = self.sim.control("POST", f"instances/{self.name}/messages", {})["ids"]
        self.messages.append(key)
        for back, status in ((2, "DELIVERY_ACK"), (3, "READ")):
            if len(self.messages) >= back:
                self.ack(self.messages[-back], status)

    def ack(self, key: str, status: str) -> None:
        self.sim.control("POST", f"instances/{self.name}/ack", {"id": key, "status": status})
        self.acks.append((key, status))

    def run(self, steps: int, pace: float = 0.02) -> None:
        """`steps` steps, paced so that a fault lands in the middle of the flow."""
        pause = threading.Event()
        for _ in range(steps):
            self.step()
            pause.wait(pace)


def tally(store, traffic: Traffic) -> dict[str, int]:
    """Sent, acknowledged, stored (distinct, of those sent) and duplicated, for messages and acks."""
    keys = [event.payload["data"]["key"]["id"] for event in store.events(traffic.name, "messages.upsert")]
    acks = [(event.payload["data"]["keyId"], event.payload["data"]["status"])
            for event in store.events(traffic.name, "messages.update")]
    return {"sent": len(traffic.messages), "acknowledged": len(traffic.acks),
            "messages_stored": len(set(keys) & set(traffic.messages)), "acks_stored": len(set(acks) & set(traffic.acks)),
            "duplicated": len(keys) - len(set(keys)) + len(acks) - len(set(acks))}


def recovered(store, traffic: Traffic) -> int:
    """Messages and acks stored by catch-up: proof that the fault really lost them on the way."""
    return sum(1 for name in ("messages.upsert", "messages.update")
               for event in store.events(traffic.name, name) if event.source == "catchup")


def settle(api, store, traffic: Traffic) -> dict[str, int]:
    """Wait until everything sent is stored, then catch up once more: nothing may be stored twice."""
    complete = {"messages_stored": len(traffic.messages), "acks_stored": len(traffic.acks)}
    wait_for(lambda: {k: tally(store, traffic)[k] for k in complete} == complete, timeout=20,
             what=f"{complete} stored")
    assert api.post(f"/api/instances/{traffic.name}/catch-up").json["recovered"] == 0
    counts = tally(store, traffic)
    print(counts | {"recovered_by_catchup": recovered(store, traffic)})
    assert recovered(store, traffic) > 0, "the fault lost nothing: the test did not test catch-up"
    return counts


def expected(traffic: Traffic) -> dict[str, int]:
    sent, acked = len(traffic.messages), len(traffic.acks)
    return {"sent": sent, "acknowledged": acked, "messages_stored": sent, "acks_stored": acked, "duplicated": 0}


def socket_joined(api) -> bool:
    socket = api.get("/api/instance-management/state/sales").json["socket"]
    return bool(socket) and socket["state"] == "connected"


@pytest.fixture
def opened(create, sim, store):
    def make(mode: str) -> Traffic:
        create(mode=mode)
        sim.control("POST", "instances/sales/scan", {})
        wait_for(lambda: store.instance("sales").connection_state == "open", what="open")
        return Traffic(sim)

    return make


def test_a_socket_cut_in_the_middle_of_the_flow(api, opened, sim, store):
    """(a) The network cut lasts 2 s here, not 10: the client fails, backs off (capped at 0.5 s in
    tests), rejoins and catches up from the last stored event minus the margin in the same way;
    a longer cut only widens the window read back."""
    traffic = opened("websocket")
    wait_for(lambda: socket_joined(api), what="the socket joined")
    traffic.run(STEPS // 2)
    sim.control("POST", "sockets/drop", {"for": 2.0})
    traffic.run(STEPS // 2)
    wait_for(lambda: socket_joined(api), timeout=10, what="the socket rejoined")
    traffic.run(5)
    assert settle(api, store, traffic) == expected(traffic) == {
        "sent": STEPS + 5, "acknowledged": 2 * (STEPS + 5) - 3, "messages_stored": STEPS + 5,
        "acks_stored": 2 * (STEPS + 5) - 3, "duplicated": 0}


def test_a_provider_restart_with_webhook_retries_pending(api, live, opened, sim, store):
    """(b) The receiver stops answering, Evolution queues retries, restarts (its retries live in memory
    only) and reconnects the instance; that connection.update open, retried until the receiver is
    back, makes the gateway read the window back."""
    traffic = opened("webhook")
    traffic.run(STEPS // 2)
    live.stop()
    traffic.run(STEPS // 2)
    wait_for(lambda: any(d.get("error") for d in sim.control("GET", "deliveries")), what="failed deliveries")
    sim.control("POST", "restart")
    live.start()
    traffic.run(5)
    assert settle(api, store, traffic) == expected(traffic)
    assert len(traffic.messages) == STEPS + 5


def test_a_forgotten_webhook_healed_by_sync(api, opened, sim, provider, store):
    """(c) The provider loses the webhook; everything sent meanwhile goes nowhere until the sync
    re-applies it and catches the window up."""
    traffic = opened("webhook")
    traffic.run(STEPS // 2)
    url = provider.webhook("sales")["url"]
    provider.rest("POST", "/webhook/set/sales", {"webhook": {"enabled": False, "url": url}})
    traffic.run(STEPS // 2)
    synced = api.post("/api/instance-management/sync/sales").json
    assert "re-applied webhook" in synced["driftReason"]
    traffic.run(5)
    assert settle(api, store, traffic) == expected(traffic)
    assert len(traffic.messages) == STEPS + 5
