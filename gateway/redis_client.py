"""The one way to reach Redis: a client built from REDIS_URL, and key names under the app's prefix.

Every cross-process piece (the bus, leases, cache invalidation) uses these two helpers, so a test
can run several gateways on one Redis under a prefix of its own without them seeing each other.
"""
from __future__ import annotations

import redis
from flask import Flask

# Seconds: a Redis that does not answer must never hold a caller longer than this.
CONNECT_TIMEOUT = 2.0
SOCKET_TIMEOUT = 5.0


def redis_from_config(app: Flask) -> redis.Redis | None:
    """A client for the app's REDIS_URL, or None when Redis is not configured (the embedded default)."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    return redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=SOCKET_TIMEOUT,
                                health_check_interval=0, client_name=f"gateway:{app.name}")


def redis_key(app: Flask, *parts: object) -> str:
    """A key or channel name under REDIS_PREFIX (`gateway:` by default): `redis_key(app, "bus")`."""
    return app.config.get("REDIS_PREFIX", "gateway:") + ":".join(str(part) for part in parts)
