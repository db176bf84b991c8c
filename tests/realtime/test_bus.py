"""The in-process bus: topic index, one copy per subscriber, and the direct frame writer."""
from __future__ import annotations

import socket

import gevent
import pytest

from gateway.connections.backoff import Backoff
from gateway.ingest.pipeline import LiveEvent
from gateway.realtime.bus import Bus, BusStatus, instance_topic, tenant_topic
from gateway.realtime.hub import FrameWriter, InstanceChanged, text_frame
from gateway.realtime.relay import RedisBus, decode, encode


class Recorder:
    """A subscriber that remembers what it got, and counts how often its topics were read."""

    def __init__(self, *topics: str):
        self._topics = set(topics)
        self.reads = 0
        self.items: list = []

    @property
    def topics(self) -> set[str]:
        self.reads += 1
        return self._topics

    def put(self, item) -> None:
        self.items.append(item)


def event(event_id: int = 1, instance_id: int = 7) -> LiveEvent:
    return LiveEvent(event_id, 1, instance_id, "sales", "messages.upsert", "webhook",
                     "2026-11-26T10:00:00+00:00", None, {"data": {"text": "hé"}})


def test_publish_reaches_only_the_followers_of_its_topics():
    bus = Bus()
    sales, support, tenant = Recorder(instance_topic(7)), Recorder(instance_topic(8)), Recorder(tenant_topic(1))
    for subscriber in (sales, support, tenant):
        bus.attach(subscriber)
    assert bus.publish([tenant_topic(1), instance_topic(7)], "news") == 2
    assert (sales.items, support.items, tenant.items) == (["news"], [], ["news"])


def test_a_subscriber_of_both_topics_gets_one_copy():
    bus = Bus()
    both = bus.subscribe([tenant_topic(1), instance_topic(7)])
    assert bus.publish([tenant_topic(1), instance_topic(7)], "news") == 1
    assert both.drain(timeout=0) == (["news"], 0)


def test_publishing_does_not_look_at_other_subscriptions():
    """The old bus intersected every subscription's topics on each publish; the index reads none."""
    bus = Bus()
    bystanders = [bus.attach(Recorder(instance_topic(number))) for number in range(100, 1100)]
    reads = sum(subscriber.reads for subscriber in bystanders)
    bus.publish([instance_topic(7)], "news")
    assert sum(subscriber.reads for subscriber in bystanders) == reads
    assert all(not subscriber.items for subscriber in bystanders)


def test_follow_and_unfollow_change_what_arrives_and_leave_no_empty_topic_behind():
    bus = Bus()
    subscriber = bus.attach(Recorder())
    bus.follow(subscriber, instance_topic(7))
    bus.publish([instance_topic(7)], "first")
    bus.unfollow(subscriber, instance_topic(7))
    bus.publish([instance_topic(7)], "second")
    assert subscriber.items == ["first"]
    assert bus.followers_of([instance_topic(7)]) == []
    assert not bus._by_topic  # an index of topics nobody follows would only grow


def test_unsubscribe_removes_every_topic_and_a_follow_after_it_does_not_come_back():
    bus = Bus()
    subscriber = bus.attach(Recorder(tenant_topic(1), instance_topic(7)))
    bus.unsubscribe(subscriber)
    bus.follow(subscriber, instance_topic(8))  # a late client frame after the socket closed
    assert bus.publish([tenant_topic(1), instance_topic(7), instance_topic(8)], "news") == 0
    assert bus.subscriber_count == 0 and not bus._by_topic


def test_broadcast_reaches_everyone_whatever_they_follow():
    bus = Bus()
    quiet, tenant = bus.attach(Recorder()), bus.attach(Recorder(tenant_topic(1)))
    bus.broadcast(BusStatus(degraded=True, since="2026-11-26T10:00:00+00:00"))
    assert len(quiet.items) == len(tenant.items) == 1


def test_a_slow_subscription_loses_the_oldest_and_counts_them():
    bus = Bus()
    slow = bus.subscribe([tenant_topic(1)], maxsize=3)
    for number in range(5):
        bus.publish([tenant_topic(1)], number)
    assert slow.drain(timeout=0) == ([2, 3, 4], 2)


def test_without_redis_the_app_keeps_the_in_process_bus(app):
    services = app.extensions["gateway"]
    assert type(services.bus) is Bus and app.extensions["redis"] is None
    subscription = services.bus.subscribe([tenant_topic(1)])
    services.manager.announce(1, 5)  # delivered at once, in this process, with nothing in between
    items, _ = subscription.drain(timeout=0)
    assert [(item.tenant_id, item.instance_id) for item in items] == [(1, 5)]


def test_with_redis_the_app_relays_over_it(tmp_path, redis_url):
    from tests.conftest import build_app

    app = build_app(f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL=redis_url, REDIS_PREFIX="test-relay-kind:")
    assert isinstance(app.extensions["gateway"].bus, RedisBus)
    assert app.extensions["gateway"].bus.channel == "test-relay-kind:bus"


@pytest.mark.parametrize("item", [event(), InstanceChanged(1, 7)], ids=["event", "instance"])
def test_bus_messages_round_trip(item):
    origin, topics, decoded = decode(encode("me", [tenant_topic(1)], item))
    assert (origin, topics) == ("me", [tenant_topic(1)])
    if isinstance(item, LiveEvent):
        assert decoded == item and decoded.frame_json == item.frame_json
    else:  # a fresh sequence number in the receiving process: its pages re-render
        assert (decoded.tenant_id, decoded.instance_id) == (1, 7)


@pytest.mark.parametrize("message", [b"not json", b"[]", b'{"kind": "event"}',
                                     b'{"origin": "x", "topics": [], "kind": "magic", "item": {}}'])
def test_anything_else_on_the_channel_is_refused(message):
    with pytest.raises(ValueError):
        decode(message)


def test_the_listener_parses_only_what_a_client_here_follows_from_another_process(caplog):
    bus = RedisBus(None, "bus", lambda *args: None, Backoff(0.1, 1.0))
    followed = bus.subscribe([tenant_topic(1)])
    broken = b"\n{not json"
    for message in (b"elsewhere " + tenant_topic(2).encode() + broken,  # nobody here follows tenant 2
                    bus.origin.encode() + b" " + tenant_topic(1).encode() + broken):  # ours, delivered already
        bus._relay(message)
    assert followed.drain(timeout=0) == ([], 0) and not caplog.records  # passed over, never parsed
    bus._relay(encode("elsewhere", [tenant_topic(1)], InstanceChanged(1, 7)))
    [item], _ = followed.drain(timeout=0)
    assert (item.tenant_id, item.instance_id) == (1, 7)


def test_items_that_stay_in_their_process_are_not_encoded():
    assert encode("me", [], BusStatus(degraded=True)) is None


# -- the direct frame writer ---------------------------------------------------------------------

@pytest.fixture
def pair():
    server, client = socket.socketpair()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    yield server, client
    server.close()
    client.close()


def spawn(_name, target, *args):
    return gevent.spawn(target, *args)


def read_frames(sock: socket.socket, count: int) -> list[bytes]:
    """Parse `count` unmasked text frames off the socket."""
    buffer, frames = b"", []

    def need(size):
        nonlocal buffer
        while len(buffer) < size:
            chunk = sock.recv(65536)
            assert chunk, "the writer closed the socket"
            buffer += chunk

    while len(frames) < count:
        need(2)
        length, offset = buffer[1] & 0x7F, 2
        if length == 126:
            need(4)
            length, offset = int.from_bytes(buffer[2:4], "big"), 4
        elif length == 127:
            need(10)
            length, offset = int.from_bytes(buffer[2:10], "big"), 10
        need(offset + length)
        frames.append(buffer[offset:offset + length])
        buffer = buffer[offset + length:]
    return frames


def skipped(count: int) -> bytes:
    return text_frame(f"skipped {count}")


def test_a_reader_that_keeps_up_gets_every_frame_without_a_flusher(pair):
    server, client = pair
    writer = FrameWriter(server, spawn, 10, skipped)
    for number in range(5):
        writer.send(text_frame(f"frame {number}"))
        assert writer._flusher is None
    assert read_frames(client, 5) == [f"frame {number}".encode() for number in range(5)]


def test_a_stalled_reader_never_blocks_the_publisher_and_is_told_what_it_missed(pair):
    server, client = pair
    writer = FrameWriter(server, spawn, 3, skipped)
    big = [text_frame(f"{number:04d}" + "x" * 20_000) for number in range(20)]
    with gevent.Timeout(1, AssertionError("send() waited for the reader")):
        for frame in big:
            writer.send(frame)  # runs in this greenlet and must return at once each time
    assert writer.skipped > 0 and len(writer._waiting) == 3
    frames = read_frames(client, 1 + 1 + 3)  # the frame begun, the skipped marker, the last three
    assert frames[0][:4] == b"0000" and frames[0] == big[0][4:]
    assert frames[1] == f"skipped {20 - 1 - 3}".encode()
    assert [frame[:4] for frame in frames[2:]] == [b"0017", b"0018", b"0019"]
    gevent.sleep(0)
    assert writer._flusher is None and writer.open


def test_a_gone_reader_closes_the_writer(pair):
    server, client = pair
    client.close()
    writer = FrameWriter(server, spawn, 3, skipped)
    for _ in range(3):
        writer.send(text_frame("x" * 10_000))
        gevent.sleep(0.01)
    assert not writer.open
