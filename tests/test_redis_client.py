"""The Redis client keeps its module's promise: one connection attempt per call, never a retry, so a
Redis that is down fails the call at once (refused) or within the module's timeouts (silent)."""
from __future__ import annotations

import gevent
import pytest
import redis
from gevent.server import StreamServer

from gateway.redis_client import redis_at


class CountingListener:
    """A loopback port that counts the connections it accepts, then closes each at once (a Redis that
    is there but fails every call) or, `silent`, holds it without a word (a Redis that hangs)."""

    def __init__(self, silent: bool = False):
        self.silent = silent
        self.accepted = 0
        self.held: list = []
        self.server = StreamServer(("127.0.0.1", 0), self._accept)
        self.server.start()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.server.server_port}/0"

    def _accept(self, connection, _address) -> None:
        self.accepted += 1
        if self.silent:
            self.held.append(connection)
            gevent.sleep(30)  # the handler's return would close it
        connection.close()

    def stop(self) -> None:
        for connection in self.held:
            connection.close()
        self.server.stop(timeout=1)


@pytest.fixture
def listener():
    running = CountingListener()
    yield running
    running.stop()


# What the gateway asks of Redis: the relay, the leases and fencing tokens, the registry, the notices.
CALLS = {
    "ping": lambda client: client.ping(),
    "publish": lambda client: client.publish("bus", b"item"),
    "fencing token": lambda client: client.incr("lease:x:fence"),
    "lease acquire": lambda client: client.set("lease:x", "a:1 1", nx=True, px=6000),
    "lease renew": lambda client: client.eval("return 1", 1, "lease:x"),
    "relay batch": lambda client: client.pipeline(transaction=False).publish("bus", b"item").execute(),
    "heartbeat": lambda client: client.pipeline().set("process:a", "{}").zadd("processes", {"a": 1}).execute(),
    "subscribe": lambda client: client.pubsub().subscribe("instances"),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS)
def test_a_call_to_a_redis_that_fails_makes_one_connection_attempt(listener, call):
    with pytest.raises(redis.ConnectionError):
        call(redis_at(listener.url))
    assert listener.accepted == 1


def test_a_call_to_a_closed_port_fails_with_a_connection_error(unused_port):
    with pytest.raises(redis.ConnectionError):
        redis_at(f"redis://127.0.0.1:{unused_port}/0").ping()


def test_a_call_to_a_redis_that_hangs_times_out_once_and_is_not_sent_again():
    silent = CountingListener(silent=True)
    try:
        with pytest.raises(redis.TimeoutError):
            redis_at(silent.url).ping()
        assert silent.accepted == 1
    finally:
        silent.stop()


def test_the_rate_limiters_redis_storage_gets_the_same_timeouts_and_no_retries(tmp_path, listener):
    from gateway.limits import limiter
    from gateway.redis_client import CONNECT_TIMEOUT, RETRY, SOCKET_TIMEOUT
    from tests.conftest import build_app

    app = build_app(f"sqlite:///{tmp_path}/limits.db", RATELIMIT_STORAGE_URI=listener.url)
    try:
        options = limiter.storage.storage.connection_pool.connection_kwargs
        assert (options["socket_connect_timeout"], options["socket_timeout"]) == (CONNECT_TIMEOUT, SOCKET_TIMEOUT)
        assert options["retry"] is RETRY
        assert not limiter.storage.check()  # down: one attempt, answered as not there
        assert listener.accepted == 1
    finally:
        app.extensions["gateway"].shutdown()
