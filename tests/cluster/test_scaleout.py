"""Two gunicorn masters x two workers on one PostgreSQL and one Redis, with the simulator: each upstream
socket held by exactly one process, taken over after kill -9, jobs run once, toggles consistent.
"""
from __future__ import annotations

import os
import random
import signal
from collections import Counter

import gevent
import pytest
import requests

from gateway.extensions import db
from gateway.models import AuditEntry, Instance, ProviderServer, Tenant
from gateway.simulator.testing import wait_for
from tests.cluster.gateways import Watch, elapsed_until, running_cluster
from tests.redis_support import RedisProxy


@pytest.fixture
def cluster(postgres_url, sim, redis_server, redis_prefix, redis_client):
    with running_cluster(postgres_url, sim, redis_server, redis_prefix) as cluster:
        yield cluster


def most_sockets(cluster) -> int:
    return max(cluster.sockets().values(), default=0)


def test_sockets_switched_through_b_are_held_once_spread_and_taken_over_after_kill_9(cluster):
    names = [f"inst{n:02d}" for n in range(20)]
    for name in names:
        cluster.create(name)
    pool = gevent.pool.Pool(5)
    pool.map(lambda name: cluster.call(cluster.b, "POST", f"/api/instances/{name}/mode", {"mode": "websocket"}),
             names)
    for name in names:  # an instance's namespace exists from its first event on
        cluster.sim.control("POST", f"instances/{name}/messages", {"text": "first"})
    wait_for(lambda: all(cluster.sockets().get(f"/{n}") == 1 for n in names), timeout=20,
             what="one socket per instance on the simulator")
    def spread_and_each_held_once():
        held = cluster.holders()  # a socket being handed over to balance is briefly held by nobody
        spread = len({pid for pids in held.values() for pid in pids}) >= 3
        return spread and sorted(held) == names and all(len(pids) == 1 for pids in held.values()) and held

    with Watch(lambda: most_sockets(cluster)) as watch:
        holders = wait_for(spread_and_each_held_once, timeout=30, what="the sockets spread, each held once")
    assert max(watch.seen) == 1, "two processes held one instance's socket at once"

    def connected_since(name):
        socket = cluster.call(cluster.a, "GET", f"/api/instance-management/state/{name}")["socket"] or {}
        return socket.get("connected_since")

    first_since = connected_since("inst00")
    with Watch(lambda: cluster.sockets().get("/inst00", 0)) as watch:
        for gateway in (cluster.a, cluster.b, cluster.a, cluster.b):  # whichever worker answers, and holds
            cluster.call(gateway, "POST", "/api/instances/inst00/reconnect")
        wait_for(lambda: connected_since("inst00") not in (None, first_since), timeout=30,
                 what="the holder to reconnect the socket")
    assert max(watch.seen) == 1

    victim = Counter(pids[0] for pids in holders.values()).most_common(1)[0][0]
    carried = [name for name, pids in holders.items() if pids == [victim]]
    emitted: dict[str, list[str]] = {name: [] for name in carried}

    def emit_until_stopped(stop):
        while not stop.is_set():
            for name in carried:
                emitted[name] += cluster.sim.control("POST", f"instances/{name}/messages", {"text": "gap"})["ids"]
            stop.wait(0.1)

    stop = gevent.event.Event()
    emitter = gevent.spawn(emit_until_stopped, stop)
    gevent.sleep(0.5)
    with Watch(lambda: most_sockets(cluster)) as watch:
        os.kill(victim, signal.SIGKILL)
        took = elapsed_until(lambda: all(pids and victim not in pids for name, pids in cluster.holders().items()
                                         if name in carried) and
                             all(cluster.sockets().get(f"/{n}") == 1 for n in carried),
                             timeout=10, what="another process to hold the dead one's sockets")
        stop.wait(1.0)
        stop.set()
        emitter.join()
    print(f"takeover after kill -9: {took:.1f} s for {len(carried)} sockets")
    assert max(watch.seen) == 1
    for name in carried:
        wait_for(lambda: all(any(i in key for key in cluster.stored_ids(name)) for i in emitted[name]),
                 timeout=15, what=f"every message emitted to {name} during the gap stored")
        counts = cluster.stored_ids(name)
        assert all(sum(n for key, n in counts.items() if i in key) == 1 for i in emitted[name])


def test_twenty_togglers_over_both_masters_leave_one_truth_and_never_two_sockets(cluster):
    cluster.create("sales", mode="websocket")
    cluster.sim.control("POST", "instances/sales/messages", {"text": "first"})  # the namespace exists
    wait_for(lambda: cluster.sockets().get("/sales") == 1, timeout=10, what="the first socket")

    def toggler(seed):
        rng = random.Random(seed)
        for _ in range(3):
            gateway = rng.choice([cluster.a, cluster.b])
            cluster.call(gateway, "POST", "/api/instances/sales/mode", {"mode": rng.choice(["webhook", "websocket"])})

    with Watch(lambda: (cluster.sockets().get("/sales", 0), cluster.channels("sales"))) as watch:
        gevent.joinall([gevent.spawn(toggler, seed) for seed in range(20)], raise_error=True)
        state = cluster.call(cluster.a, "GET", "/api/instance-management/state/sales")
        wanted = 1 if state["mode"] == "websocket" else 0
        wait_for(lambda: cluster.sockets().get("/sales", 0) == wanted, timeout=10, what="the socket to follow")
    assert max(sockets for sockets, _ in watch.seen) <= 1, "two sockets were open for one instance"
    assert (True, True) not in [channels for _, channels in watch.seen], "the provider had both channels on"
    assert cluster.channels("sales") == (state["mode"] == "webhook", state["mode"] == "websocket")


def test_only_the_leader_catches_up_at_start_once(postgres_url, sim, redis_server, redis_prefix, redis_client):
    names = ["hook1", "hook2"]

    def webhook_instances(app):
        server = db.session.execute(db.select(ProviderServer)).scalar_one()
        tenant_id = db.session.execute(db.select(Tenant.id)).scalar_one()
        db.session.add_all(Instance(tenant_id=tenant_id, server=server, name=name, delivery_mode="webhook")
                           for name in names)
        db.session.commit()

    with running_cluster(postgres_url, sim, redis_server, redis_prefix, before_start=webhook_instances,
                         LOG_LEVEL="INFO") as cluster:
        # Four workers: one runs it; the other three give up once the window has passed.
        wait_for(lambda: cluster.logs().count('"job": "catch-up at start"') == 4, timeout=30,
                 what="every worker to settle the start catch-up")
        logs = cluster.logs()
    assert logs.count('"msg": "one-off job ran here"') == 1
    assert logs.count('"reason": "gateway start"') == len(names)


@pytest.fixture
def syncing(postgres_url, sim, redis_server, redis_prefix, redis_client):
    """The cluster with a two-second sync interval."""
    with running_cluster(postgres_url, sim, redis_server, redis_prefix, SYNC_INTERVAL=2) as cluster:
        yield cluster


def test_the_periodic_sync_runs_once_per_interval_and_repairs_drift_once(syncing):
    syncing.create("drifty", mode="webhook")
    url = syncing.sim.control("GET", "instances/drifty")["webhook"]["url"]

    def last_sync():
        with syncing.app.app_context():
            value = db.session.execute(db.select(Instance.last_sync_at).where(Instance.name == "drifty")).scalar()
            db.session.remove()
            return value

    with Watch(last_sync, every=0.1) as watch:
        gevent.sleep(8.2)
    syncs = len({value for value in watch.seen if value is not None})
    assert 3 <= syncs <= 5, f"{syncs} syncs in 8 s at a 2 s interval over 4 processes"

    with syncing.app.app_context():
        before = db.session.execute(db.select(db.func.count()).select_from(AuditEntry)).scalar()
    response = requests.post(f"{syncing.sim.base_url}/webhook/set/drifty", timeout=10, headers={
        "apikey": syncing.sim.api_key}, json={"webhook": {"enabled": False, "url": url}})
    assert response.status_code == 201
    wait_for(lambda: syncing.sim.control("GET", "instances/drifty")["webhook"]["enabled"], timeout=6,
             what="the sync to re-apply the webhook")
    gevent.sleep(4.5)  # two more intervals: nobody repairs it again
    with syncing.app.app_context():
        repairs = db.session.execute(db.select(AuditEntry.action).where(AuditEntry.id > before)).scalars().all()
    assert repairs.count("instance.mode") == 1


@pytest.fixture
def behind_proxy(postgres_url, sim, redis_server, redis_prefix, redis_client):
    """The cluster reaching Redis through a proxy the test can cut."""
    proxy = RedisProxy()
    try:
        with running_cluster(postgres_url, sim, proxy.url, redis_prefix) as cluster:
            cluster.proxy = proxy
            yield cluster
    finally:
        proxy.stop()


def webhook_body(number: int) -> dict:
    return {"event": "messages.upsert", "instance": "hooked", "date_time": "2026-11-26T10:00:00.000Z",
            "data": {"key": {"remoteJid": "5511988887777@s.whatsapp.net", "fromMe": False, "id": f"CUT{number:06d}"},
                     "pushName": "Bob", "message": {"conversation": f"message {number}"},
                     "messageType": "conversation", "messageTimestamp": 1764151200 + number}}


def test_a_redis_cut_under_webhook_load_loses_no_acknowledged_webhook_and_never_doubles_a_socket(behind_proxy):
    cluster = behind_proxy
    cluster.create("hooked", mode="webhook")
    sockets = [f"ws{n}" for n in range(4)]
    for name in sockets:
        cluster.create(name, mode="websocket")
        cluster.sim.control("POST", f"instances/{name}/messages", {"text": "first"})
    wait_for(lambda: all(cluster.sockets().get(f"/{n}") == 1 for n in sockets), timeout=15, what="the sockets")
    with cluster.app.app_context():
        secret = db.session.execute(db.select(Instance.webhook_secret).where(Instance.name == "hooked")).scalar()
        db.session.remove()
    acknowledged, stop = [], gevent.event.Event()

    def post_webhooks(gateway, start):
        number = start
        while not stop.is_set():
            try:
                response = requests.post(f"{gateway.base_url}/api/webhooks/evolution/{secret}",
                                         json=webhook_body(number), timeout=10)
                if response.status_code == 200:
                    acknowledged.append(f"CUT{number:06d}")
            except requests.RequestException:
                pass  # not acknowledged: the sender would retry it
            number += 1
            stop.wait(0.02)

    with Watch(lambda: most_sockets(cluster)) as watch:
        posters = [gevent.spawn(post_webhooks, gateway, start) for gateway, start in
                   ((cluster.a, 0), (cluster.b, 500_000))]
        gevent.sleep(1.0)
        before_cut = len(acknowledged)
        cluster.proxy.cut()
        gevent.sleep(10.0)
        during_cut = len(acknowledged) - before_cut
        cluster.proxy.restore()
        gevent.sleep(1.0)
        stop.set()
        gevent.joinall(posters)
        wait_for(lambda: all(cluster.sockets().get(f"/{n}") == 1 for n in sockets), timeout=15,
                 what="the sockets held again after Redis returned")
    assert during_cut > 0, "webhooks were not acknowledged while Redis was away"
    assert max(watch.seen) <= 1, "two processes held one socket during the Redis cut"
    stored = cluster.stored_ids("hooked")
    missing = [key for key in acknowledged if not any(key in stored_key for stored_key in stored)]
    assert not missing, f"{len(missing)} acknowledged webhooks were not stored"
