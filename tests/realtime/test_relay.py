"""The bus across processes over the real loopback Redis: events and announcements reach every
process's clients, and a Redis outage is shown, survived and recovered from.
"""
from __future__ import annotations

import json
import os
import time

import gevent
import greenlet
import pytest
import redis
from gevent.pywsgi import WSGIServer

from bench.common import gunicorn
from gateway.connections.backoff import Backoff
from gateway.extensions import db
from gateway.models import Event
from gateway.realtime.bus import tenant_topic
from gateway.realtime.hub import InstanceChanged
from gateway.realtime.relay import RedisBus, decode
from gateway.redis_client import redis_from_config
from gateway.simulator.testing import free_port, wait_for
from tests.conftest import build_app

from tests.realtime.conftest import receive_until, seed, stream_socket, ui_socket, webhook

pytestmark = pytest.mark.timeout(90)


def is_event(frame: str) -> bool:
    return json.loads(frame).get("type") == "whatsapp:message_received"


@pytest.fixture
def two_gunicorns(postgres_url, redis_url, redis_prefix):
    """Two gunicorn masters (gevent, one worker each) on one PostgreSQL database and one Redis."""
    seed_app = build_app(postgres_url)
    seeded = seed(seed_app)
    with seed_app.app_context():
        db.engine.dispose()
    env = os.environ | {"DATABASE_URL": postgres_url, "REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix,
                        "SECRET_KEY": "test-secret-key", "BACKGROUND_JOBS": "false", "LOG_LEVEL": "WARNING"}
    processes = []
    try:
        for _ in range(2):
            port = free_port()
            processes.append((gunicorn(env | {"PUBLIC_URL": f"http://127.0.0.1:{port}"}, port, connections=100),
                              f"http://127.0.0.1:{port}"))
        yield [url for _, url in processes], seeded
    finally:
        for process, _ in processes:
            process.terminate()
            process.wait(10)


def test_a_webhook_to_process_a_reaches_stream_and_page_clients_of_process_b(two_gunicorns):
    (a, b), seeded = two_gunicorns
    stream = stream_socket(b, seeded["token"])
    page = ui_socket(b, seeded["email"], seeded["password"])
    gevent.sleep(0.2)  # B's listener subscribes to the channel on its first client

    started = time.monotonic()
    assert webhook(a, seeded["secret"], 1).json()["status"] == "stored"
    frame = json.loads(receive_until(stream, is_event, timeout=1.0))
    row = receive_until(page, lambda html: f'id="instance-{seeded["instance_id"]}"' in html, timeout=1.0)
    elapsed = time.monotonic() - started

    assert frame["instance"] == "sales" and frame["data"]["message"]["conversation"] == "message 1"
    assert 'hx-swap-oob="true"' in row and elapsed < 1.0
    # and the other way round, with the writer in B and the reader in A
    back = stream_socket(a, seeded["token"])
    gevent.sleep(0.2)
    assert webhook(b, seeded["secret"], 2).json()["status"] == "stored"
    assert json.loads(receive_until(back, is_event, timeout=1.0))["data"]["message"]["conversation"] == "message 2"
    # B's own client got B's event once, straight from B's publisher and not again through Redis
    assert json.loads(receive_until(stream, is_event, timeout=1.0))["id"] != frame["id"]
    with pytest.raises(AssertionError):
        receive_until(stream, is_event, timeout=0.5)
    for ws in (stream, page, back):
        ws.close()


def spawn(_name, target, *args):
    return gevent.spawn(target, *args)


def test_an_instance_announcement_reaches_the_other_process(redis_url, redis_prefix, tmp_path):
    app = build_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL=redis_url)
    client, channel = redis_from_config(app), redis_prefix + "bus"
    writer_bus, reader_bus = (RedisBus(client, channel, spawn, Backoff(0.05, 0.2)) for _ in range(2))
    try:
        page = reader_bus.subscribe([tenant_topic(1)])
        wait_for(lambda: client.pubsub_numsub(channel)[0][1] == 1, timeout=5, what="the reader's subscription")
        writer_bus.publish([tenant_topic(1)], InstanceChanged(1, 42))
        items, _ = page.drain(timeout=2)
        assert [(item.tenant_id, item.instance_id) for item in items] == [(1, 42)]
    finally:
        writer_bus.stop()
        reader_bus.stop()
        with app.app_context():
            db.engine.dispose()


class Served:
    """An app behind a gevent WSGI server on a free loopback port."""

    def __init__(self, app):
        self.app = app
        self.server = WSGIServer(("127.0.0.1", 0), app, log=None, error_log=None)
        self.server.start()
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.stop(timeout=1)
        self.app.extensions["gateway"].shutdown()
        with self.app.app_context():
            db.engine.dispose()


@pytest.fixture
def pair_behind_proxy(tmp_path, redis_url, redis_prefix, redis_proxy):
    """Process A on Redis directly and process B through a proxy the test can cut, one SQLite file."""
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    a = Served(build_app(database, REDIS_URL=redis_url, REDIS_PREFIX=redis_prefix))
    b = Served(build_app(database, REDIS_URL=redis_proxy.url, REDIS_PREFIX=redis_prefix))
    seeded = seed(a.app)
    yield a, b, seeded
    for served in (a, b):
        served.stop()


def stored_count(app) -> int:
    with app.app_context():
        count = db.session.execute(db.select(db.func.count(Event.id))).scalar_one()
        db.session.close()
        return count


def test_a_redis_outage_is_shown_survived_and_recovered_from(pair_behind_proxy, redis_proxy):
    a, b, seeded = pair_behind_proxy
    stream = stream_socket(b.url, seeded["token"])
    page = ui_socket(b.url, seeded["email"], seeded["password"])
    assert b.app.extensions["gateway"].bus.status.degraded is False
    assert b.app.test_client().get("/readyz").status_code == 200

    redis_proxy.cut()
    degraded = json.loads(receive_until(stream, lambda frame: "gateway:degraded" in frame, timeout=5))
    assert degraded["type"] == degraded["event"] == "gateway:degraded" and degraded["since"]
    assert "banner degraded" in receive_until(page, lambda html: 'id="live-status"' in html, timeout=5)
    assert b.app.test_client().get("/readyz").status_code == 503
    # a client arriving during the outage is told at once
    late = stream_socket(b.url, seeded["token"], instance=None)
    assert json.loads(late.recv()) == degraded

    # webhooks are still stored and acknowledged, on either process, and B's own clients still see B's
    answers = [webhook(served.url, seeded["secret"], number).json() for number, served in enumerate((a, b, b))]
    assert [answer["status"] for answer in answers] == ["stored"] * 3
    assert stored_count(a.app) == 3
    assert json.loads(receive_until(stream, is_event, timeout=2))["data"]["message"]["conversation"] == "message 1"

    redis_proxy.restore()
    recovered = json.loads(receive_until(stream, lambda frame: "gateway:recovered" in frame, timeout=10))
    assert recovered["since"] == degraded["since"]
    # the page drops the banner and renders the instance rows again from the database
    receive_until(page, lambda html: 'id="live-status"' in html and "banner" not in html, timeout=5)
    receive_until(page, lambda html: 'id="instance-rows"' in html, timeout=5)
    assert b.app.test_client().get("/readyz").status_code == 200

    # and A's news reaches B's clients again
    wait_for(lambda: _numsub(a) == 2, timeout=5, what="both listeners back on the channel")
    assert webhook(a.url, seeded["secret"], 9).json()["status"] == "stored"
    frame = receive_until(stream, lambda frame: is_event(frame) and "message 9" in frame, timeout=2)
    assert json.loads(frame)["instance"] == "sales"
    for ws in (stream, page, late):
        ws.close()


def _numsub(served: Served) -> int:
    bus = served.app.extensions["gateway"].bus
    return bus.client.pubsub_numsub(bus.channel)[0][1]


def test_the_writer_never_waits_for_redis(tmp_path, redis_url, redis_proxy, redis_prefix):
    """With Redis cut, publishing returns at once; what was published meanwhile is sent once it answers."""
    app = build_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL=redis_proxy.url)
    channel = redis_prefix + "bus"
    bus = RedisBus(redis_from_config(app), channel, spawn, Backoff(0.05, 0.2))
    watcher = redis.Redis.from_url(redis_url).pubsub(ignore_subscribe_messages=True)
    watcher.subscribe(channel)
    redis_proxy.cut()
    try:
        # Waiting for Redis would mean yielding to the hub: publishing must not switch greenlets at all.
        switches = []
        previous = greenlet.settrace(lambda event, args: switches.append(event))
        try:
            for number in range(100):
                bus.publish([tenant_topic(1)], InstanceChanged(1, number))
        finally:
            greenlet.settrace(previous)
        assert switches == []
        wait_for(lambda: bus.status.degraded, timeout=5, what="the bus noticing")
        gevent.sleep(0.3)  # a few failed attempts
        redis_proxy.restore()
        received = []

        def all_sent():
            while (message := watcher.get_message(timeout=0.1)) is not None:
                received.append(decode(message["data"])[2].instance_id)
            return len(received) >= 100

        wait_for(all_sent, timeout=10, what="every item sent")
        assert received == list(range(100))
    finally:
        watcher.close()
        bus.stop()
        with app.app_context():
            db.engine.dispose()
