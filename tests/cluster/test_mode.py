"""Several workers only on PostgreSQL + Redis: refused at start otherwise, with what to set."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gateway.cluster.mode import refusal
from gateway.cluster.ownership import fair_share

ROOT = Path(__file__).resolve().parents[2]
PG = "postgresql://postgres@127.0.0.1/gateway"


@pytest.mark.parametrize("workers, database, redis_url, wanted", [
    (1, None, None, None),
    (1, PG, None, None),
    (4, PG, "redis://127.0.0.1:6379/0", None),
    (2, "postgres://u@h/db", "redis://h", None),
    (2, None, "redis://127.0.0.1:6379/0", "DATABASE_URL=postgresql://"),
    (2, "sqlite:///x.sqlite3", "redis://h", "SQLite serves one process only"),
    (2, PG, None, "REDIS_URL=redis://"),
    (3, None, None, "DATABASE_URL=postgresql://... (SQLite serves one process only) and REDIS_URL"),
])
def test_refusal_says_what_to_set(workers, database, redis_url, wanted):
    reason = refusal(workers, database, redis_url)
    if wanted is None:
        assert reason is None
    else:
        assert wanted in reason and f"WEB_CONCURRENCY={workers}" in reason and "WEB_CONCURRENCY=1" in reason


@pytest.mark.parametrize("wanted, alive, share", [(20, 4, 5), (20, 3, 7), (1, 4, 1), (0, 2, 0), (5, 0, 5)])
def test_fair_share_lets_the_live_processes_hold_every_socket(wanted, alive, share):
    assert fair_share(wanted, alive) == share


def test_gunicorn_refuses_two_workers_on_sqlite_before_serving(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "REDIS_URL"}}
    env |= {"WEB_CONCURRENCY": "2", "SECRET_KEY": "x", "BACKGROUND_JOBS": "0"}
    done = subprocess.run([str(Path(sys.executable).parent / "gunicorn"), "--bind", "127.0.0.1:0", "wsgi:app"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "WEB_CONCURRENCY=2" in done.stderr and "REDIS_URL=redis://" in done.stderr
