"""Leases with fencing tokens: one holder of a name at a time, across processes, through Redis.

A lease is `SET key "<owner> <token>" NX PX ttl`; the token comes from INCR on a counter beside the
key, so every tenure has a number larger than any before it. The holder renews it well before it
expires and treats it as lost once a renewal has not succeeded within `ttl - margin`: the local
clock starts before each renewal is sent, so the holder gives the lease up before Redis lets anyone
else take it, even when it was paused or cut off from Redis.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

import redis

log = logging.getLogger(__name__)

# Renew only while the value is still ours, and end only our own tenure: compare-and-set in Redis.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = ("if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end "
            "if tonumber(ARGV[2]) > 0 then return redis.call('pexpire', KEYS[1], ARGV[2]) end "
            "return redis.call('del', KEYS[1])")


class Lease:
    """One name's lease as seen by one process: acquire, renew, release, and whether it still holds."""

    def __init__(self, client: redis.Redis, key: str, owner: str, ttl: float, margin: float,
                 clock: Callable[[], float] = time.monotonic):
        if margin >= ttl:
            raise ValueError("the safety margin must be shorter than the lease")
        self.client = client
        self.key = key
        self.owner = owner
        self.ttl = ttl
        self.margin = margin
        self.clock = clock
        self.token: int | None = None
        self._valid_until = 0.0

    @property
    def value(self) -> str:
        return f"{self.owner} {self.token}"

    def held(self) -> bool:
        """True while the last successful acquire or renewal is younger than `ttl - margin`."""
        return self.token is not None and self.clock() < self._valid_until

    def acquire(self) -> bool:
        """Take the lease if nobody holds it; a Redis failure counts as not taken."""
        started = self.clock()
        try:
            token = self.client.incr(self.key + ":fence")
            if not self.client.set(self.key, f"{self.owner} {token}", nx=True, px=self._ttl_ms):
                return False
        except redis.RedisError as error:
            log.warning("lease not acquired: Redis failed", extra={"fields": {"lease": self.key, "error": str(error)}})
            return False
        self.token, self._valid_until = token, started + self.ttl - self.margin
        return True

    def renew(self) -> bool:
        """Extend the lease; False when it is lost (taken over, expired, or unrenewed too long)."""
        if self.token is None:
            return False
        started = self.clock()
        try:
            renewed = self.client.eval(_RENEW, 1, self.key, self.value, self._ttl_ms)
        except redis.RedisError as error:
            log.warning("lease renewal failed", extra={"fields": {"lease": self.key, "error": str(error)}})
            return self.held()
        if not renewed:
            self.token = None
            return False
        self._valid_until = started + self.ttl - self.margin
        return True

    def release(self, linger: float = 0.0) -> None:
        """Give the lease up so another process need not wait for it to expire: at once, or once
        `linger` seconds have passed (what was closed under it has time to be seen closed)."""
        if self.token is None:
            return
        value, self.token = self.value, None
        try:
            self.client.eval(_RELEASE, 1, self.key, value, int(linger * 1000))
        except redis.RedisError:
            log.info("lease left to expire: Redis failed", extra={"fields": {"lease": self.key}})

    @property
    def _ttl_ms(self) -> int:
        return int(self.ttl * 1000)


def holder_of(client: redis.Redis, key: str) -> tuple[str, int] | None:
    """(owner, token) of whoever holds `key` now, or None."""
    value = client.get(key)
    if not value:
        return None
    owner, _, token = value.decode().rpartition(" ")
    return owner, int(token)
