"""What both benchmarks need: a migrated, seeded database and gunicorn's gevent worker on a port."""
from __future__ import annotations

import os
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import requests
from sqlalchemy.engine import make_url

from gateway.simulator.testing import wait_for

ROOT = Path(__file__).resolve().parents[1]
INSTANCE = "bench"


@dataclass(frozen=True)
class Seeded:
    token: str
    webhook_secret: str


def seed(env: dict) -> Seeded:
    """Migrate, then one admin with an API token, a server row and a webhook-mode instance."""
    subprocess.run([str(ROOT / ".venv/bin/flask"), "--app", "app", "db", "upgrade"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    os.environ.update(env)
    from gateway import create_app
    from gateway.accounts import create_user
    from gateway.tokens import issue_token
    from gateway.extensions import db
    from gateway.models import Instance, ProviderServer, Role

    app = create_app({"BACKGROUND_JOBS": False})
    with app.app_context():
        user = create_user("Bench", "bench@example.com", "bench password", Role.ADMIN)
        server = ProviderServer(name="none", kind="evolution", base_url="http://127.0.0.1:9", api_key="unused-key")
        instance = Instance(tenant_id=user.tenant_id, server=server, name=INSTANCE, delivery_mode="webhook")
        db.session.add_all([server, instance])
        db.session.commit()
        seeded = Seeded(issue_token(user, "bench"), instance.webhook_secret)
        db.engine.dispose()
    app.extensions["gateway"].shutdown()
    return seeded


def gunicorn(env: dict, port: int, target: str = "wsgi:app", connections: int | None = 4000,
             workers: int = 1, log: Path | None = None) -> subprocess.Popen:
    """`gunicorn -k gevent -w <workers> <target>` on `port`, returned once it answers; the app's log
    (stdout) goes to `log`, or nowhere. `connections=None` leaves the worker connections to
    gunicorn.conf.py, which reads WORKER_CONNECTIONS as a deployment does."""
    sizing = ["--worker-connections", str(connections)] if connections else []
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-k", "gevent", "--workers", str(workers), *sizing,
         "--graceful-timeout", "1", "--bind", f"127.0.0.1:{port}", "--log-level", "warning", target],
        cwd=ROOT, env=env, stdout=log.open("ab") if log else subprocess.DEVNULL)

    def up():
        try:
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code > 0
        except requests.RequestException:
            return False

    try:
        wait_for(up, timeout=30, what=target)
    except AssertionError:
        process.terminate()
        raise
    return process


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile of latencies in seconds, in milliseconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


@contextmanager
def scratch_database(url: str, purpose: str) -> Iterator[str]:
    """A new, empty database for `purpose`: a file beside nothing else for SQLite; on PostgreSQL, one
    created on the server `url` names and dropped afterwards."""
    if url.split(":", 1)[0] == "sqlite":
        yield f"sqlite:///{tempfile.mkdtemp(prefix='gateway-bench-')}/{purpose}.sqlite3"
        return
    admin = make_url(url).set(drivername="postgresql")
    name = f"gateway_bench_{purpose}_{uuid.uuid4().hex[:8]}"
    admin_dsn = admin.render_as_string(hide_password=False)
    with psycopg.connect(admin_dsn, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def worker_cpu_seconds(master: subprocess.Popen) -> float:
    """CPU time (user + system) used so far by gunicorn's worker processes under `master`: a figure
    that holds on a machine shared with other loads, where requests per second do not."""
    ticks = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def process_cpu_seconds(name: str) -> float:
    """CPU time used so far by every process called `name` (PostgreSQL's server processes, say), with
    that of their children that have ended (a PostgreSQL backend whose connection closed)."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            line = stat.read_text()
        except OSError:  # ended meanwhile
            continue
        command, fields = line[line.index("(") + 1:line.rindex(")")], line.rsplit(")", 1)[1].split()
        if command == name:
            total += sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
    return total / ticks
