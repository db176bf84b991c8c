"""Redis for the cluster tests: the loopback server (fail, never skip, when down) and a key prefix per test."""
from __future__ import annotations

import uuid

import pytest
import redis

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture(scope="session")
def redis_server():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} is required and did not answer: {error}")
    return REDIS_URL


@pytest.fixture
def redis_prefix():
    """A prefix of this test's own, so gateways of other tests on the same Redis never see it."""
    return f"test-{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def redis_client(redis_server, redis_prefix):
    client = redis.Redis.from_url(redis_server)
    yield client
    keys = list(client.scan_iter(match=redis_prefix + "*"))
    if keys:
        client.delete(*keys)
