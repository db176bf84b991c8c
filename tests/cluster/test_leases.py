"""Leases on the real Redis: one holder, rising fencing tokens, renewal, and giving up before expiry."""
from __future__ import annotations

import pytest

from gateway.cluster.leases import Lease, holder_of
from gateway.redis_client import redis_at
from gateway.simulator.testing import wait_for


class Clock:
    """A clock the test moves, for the holder's own view of its lease."""

    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def lease(client, prefix, owner, ttl=5.0, margin=1.0, clock=None):
    return Lease(client, prefix + "lease:socket", owner, ttl, margin, **({"clock": clock} if clock else {}))


def test_only_one_process_holds_a_lease_and_each_tenure_has_a_larger_token(redis_client, redis_prefix):
    first, second = lease(redis_client, redis_prefix, "a:1"), lease(redis_client, redis_prefix, "b:2")
    assert first.acquire() and first.held()
    assert not second.acquire() and not second.held()
    assert holder_of(redis_client, redis_prefix + "lease:socket") == ("a:1", first.token)
    first_token = first.token
    first.release()
    assert not first.held()
    assert second.acquire()
    assert second.token > first_token
    assert holder_of(redis_client, redis_prefix + "lease:socket")[0] == "b:2"


def test_a_lease_handed_back_with_a_linger_is_free_only_once_it_has_passed(redis_client, redis_prefix):
    first, second = lease(redis_client, redis_prefix, "a:1"), lease(redis_client, redis_prefix, "b:2")
    assert first.acquire()
    first.release(linger=0.5)
    assert not first.held()
    assert not second.acquire(), "the lease was free before the closed socket could be seen closed"
    wait_for(second.acquire, timeout=5, what="the lease free after the linger")
    assert 0 < redis_client.pttl(redis_prefix + "lease:socket") <= 5000  # the new tenure's own life


def test_renewal_keeps_the_lease_and_fails_once_another_holds_it(redis_client, redis_prefix):
    first = lease(redis_client, redis_prefix, "a:1", ttl=0.3, margin=0.1)
    assert first.acquire()
    assert first.renew()
    redis_client.delete(redis_prefix + "lease:socket")  # expired in Redis (the holder was paused)
    second = lease(redis_client, redis_prefix, "b:2")
    assert second.acquire()
    assert not first.renew() and not first.held()
    first.release()  # a stale holder never deletes the new holder's lease
    assert holder_of(redis_client, redis_prefix + "lease:socket")[0] == "b:2"


def test_a_holder_counts_its_lease_lost_before_redis_lets_it_go(redis_client, redis_prefix):
    clock = Clock()
    holder = lease(redis_client, redis_prefix, "a:1", ttl=5.0, margin=1.0, clock=clock)
    assert holder.acquire()
    clock.now += 3.9
    assert holder.held()
    clock.now += 0.2  # 4.1 s after the renewal was sent: inside Redis's 5 s, outside ttl - margin
    assert not holder.held()
    assert redis_client.pttl(redis_prefix + "lease:socket") > 0


def test_redis_away_means_no_lease_taken_and_the_holder_gives_up_on_its_clock(redis_server, redis_prefix,
                                                                            unused_port):
    clock = Clock()
    dead = redis_at(f"redis://127.0.0.1:{unused_port}/0")  # the gateway's own client, as in production
    orphan = Lease(dead, redis_prefix + "lease:x", "a:1", 5.0, 1.0, clock=clock)
    assert not orphan.acquire()
    live = Lease(redis_at(redis_server), redis_prefix + "lease:x", "a:1", 5.0, 1.0, clock=clock)
    assert live.acquire()
    live.client = dead
    clock.now += 1.0
    assert live.renew()  # still within its window: keeps the socket while Redis blinks
    clock.now += 3.5
    assert not live.renew() and not live.held()


def test_a_margin_as_long_as_the_lease_is_refused(redis_client, redis_prefix):
    with pytest.raises(ValueError):
        lease(redis_client, redis_prefix, "a:1", ttl=2.0, margin=2.0)
