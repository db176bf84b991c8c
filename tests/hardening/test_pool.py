"""Defect 1: a webhook waiting for the event writer holds no database connection, so a burst of
webhooks on a cold worker cannot take every pooled connection and starve the writer (PostgreSQL).
"""
from __future__ import annotations

import gevent
import pytest

from tests.hardening.conftest import serve

BURST = 16


@pytest.fixture
def small_pool(postgres_url):
    """A cold app on PostgreSQL with two pooled connections and no overflow: a request that kept its
    connection while waiting for the writer would leave the writer none (it waits 3 s, then fails).
    """
    yield from serve(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 2, "max_overflow": 0,
                                                               "pool_timeout": 3})


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer not-a-token"}], ids=["plain", "bearer"])
def test_a_burst_of_webhooks_on_a_cold_worker_is_stored_with_a_small_pool(small_pool, envelope, headers):
    """A bearer header makes the request look its user up first: that read must not outlive it either."""
    def deliver(n: int) -> int:
        body = {**envelope("messages.upsert", {"key": {"id": f"3EB0POOL{n}"}}), "instance": "sales"}
        return small_pool.post(body, headers=headers, timeout=20).status_code

    jobs = [gevent.spawn(deliver, n) for n in range(BURST)]
    gevent.joinall(jobs, timeout=30)
    assert [job.value for job in jobs] == [200] * BURST
    assert len(small_pool.events()) == BURST


def test_the_pool_is_sized_from_the_configuration(monkeypatch, tmp_path):
    from gateway.config import Config

    monkeypatch.setenv("DB_POOL_SIZE", "7")
    monkeypatch.setenv("DB_MAX_OVERFLOW", "3")
    monkeypatch.setenv("DB_POOL_TIMEOUT", "4.5")
    options = Config(tmp_path).SQLALCHEMY_ENGINE_OPTIONS
    assert (options["pool_size"], options["max_overflow"], options["pool_timeout"]) == (7, 3, 4.5)
