"""The one way to reach Redis: a client built from REDIS_URL, and key names under the app's prefix.

Every cross-process piece (the bus, leases, cache invalidation) uses these helpers, so a test
can run several gateways on one Redis under a prefix of its own without them seeing each other.
"""
from __future__ import annotations

import redis
from flask import Flask
from redis.backoff import NoBackoff
from redis.retry import Retry

# Seconds: a Redis that does not answer must never hold a caller longer than this.
CONNECT_TIMEOUT = 2.0
SOCKET_TIMEOUT = 5.0
# One connection attempt per call, so the bounds above hold for the whole call. Every caller has its own
# answer to a failure (the bus relay's back-off, a lease's validity window, the next reconcile pass or
# heartbeat), and a command retried after a timeout may have run twice (a PUBLISH sent twice, a lease's
# SET NX that succeeded read as refused). redis-py's default depends on the constructor (Redis() retries
# ten times with a back-off, seconds against a closed port; from_url() does not retry): set it here.
RETRY = Retry(NoBackoff(), retries=0)
# Every client of Redis gets these, the rate limiter's storage included (gateway/limits.py).
CLIENT_OPTIONS = {"socket_connect_timeout": CONNECT_TIMEOUT, "socket_timeout": SOCKET_TIMEOUT, "retry": RETRY,
                  "health_check_interval": 0}


def redis_from_config(app: Flask) -> redis.Redis | None:
    """A client for the app's REDIS_URL, or None when Redis is not configured (the embedded default)."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    return redis_at(url, f"gateway:{app.name}")


def redis_at(url: str, client_name: str = "gateway") -> redis.Redis:
    """A client for `url` with the timeouts and the retry policy above."""
    return redis.Redis.from_url(url, client_name=client_name, **CLIENT_OPTIONS)


def redis_key(app: Flask, *parts: object) -> str:
    """A key or channel name under REDIS_PREFIX (`gateway:` by default): `redis_key(app, "bus")`."""
    return app.config.get("REDIS_PREFIX", "gateway:") + ":".join(str(part) for part in parts)
