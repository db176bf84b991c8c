"""Real gunicorn masters for the cluster tests: each with its own workers, all on one database and one Redis;
or one gunicorn of one worker without Redis (the embedded mode). CLI commands beside them in processes of their own."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from gateway.accounts import create_user
from gateway.extensions import db
from gateway.models import Event, Instance, ProviderServer, Role
from gateway.simulator.testing import free_port, wait_for
from gateway.tokens import issue_token

ROOT = Path(__file__).resolve().parents[2]


class Gateway:
    """One gunicorn master and its workers at `base_url`."""

    def __init__(self, process: subprocess.Popen, base_url: str, log_path: str):
        self.process = process
        self.base_url = base_url
        self.log_path = log_path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        Path(self.log_path).unlink(missing_ok=True)

    def log(self) -> str:
        return Path(self.log_path).read_text(errors="replace")


def environment(database_url: str, redis_url: str | None, prefix: str | None, **settings) -> dict[str, str]:
    """A gateway process's environment: on Redis with `prefix` when `redis_url` is set, else without it."""
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "REDIS_PREFIX")}
    if redis_url is not None:
        env |= {"REDIS_URL": redis_url, "REDIS_PREFIX": prefix}
    return env | {"DATABASE_URL": database_url, "SECRET_KEY": "cluster-test-key", "LOG_LEVEL": "WARNING",
                  **{key: str(value) for key, value in settings.items()}}


def start_gateway(database_url: str, redis_url: str | None, prefix: str | None, workers: int = 2,
                  **settings) -> Gateway:
    """`gunicorn wsgi:app` with WEB_CONCURRENCY=`workers`, background jobs on, short leases; waits for /healthz."""
    port = free_port()
    env = environment(database_url, redis_url, prefix, **{
        "WEB_CONCURRENCY": workers, "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "BACKGROUND_JOBS": "1", "CLUSTER_LEASE_TTL": "3", "CLUSTER_RECONCILE_EVERY": "0.5",
        "SOCKET_BACKOFF_BASE": "0.05", "SOCKET_BACKOFF_CAP": "0.5", "SOCKET_JOIN_TIMEOUT": "0.5",
        "SYNC_INTERVAL": "3600", "API_LIMIT_TOKEN": "100000 per minute", "API_LIMIT_TENANT": "100000 per minute",
        **settings,
    })
    log = tempfile.NamedTemporaryFile(prefix="gateway-", suffix=".log", delete=False)
    process = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "--bind", f"127.0.0.1:{port}",
                                "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    log.close()
    gateway = Gateway(process, f"http://127.0.0.1:{port}", log.name)
    try:
        wait_for(lambda: _answers(gateway), timeout=30, what="gunicorn to serve")
    except Exception:
        output = gateway.log()
        gateway.stop()
        raise AssertionError(f"gunicorn did not come up:\n{output}")
    return gateway


def _answers(gateway: Gateway) -> bool:
    if gateway.process.poll() is not None:
        raise AssertionError(f"gunicorn exited:\n{gateway.log()}")
    try:
        return requests.get(gateway.base_url + "/healthz", timeout=2).status_code == 200
    except requests.RequestException:  # not listening yet, or a worker still booting
        return False


class Watch:
    """Polls `sample()` on a thread until stopped; keeps every answer so a test can look for a bad one."""

    def __init__(self, sample, every: float = 0.05):
        self.sample, self.every = sample, every
        self.seen: list = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Watch:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.seen.append(self.sample())
            self._stop.wait(self.every)


def elapsed_until(predicate, timeout: float, what: str) -> float:
    began = time.monotonic()
    wait_for(predicate, timeout=timeout, what=what)
    return time.monotonic() - began


class Cluster:
    """The shared database (read directly), the simulator, and the masters A and B (and any more)."""

    def __init__(self, app, sim, token, server_id, gateways):
        self.app, self.sim, self.token, self.server_id = app, sim, token, server_id
        self.gateways = gateways
        self.a = gateways[0]
        self.b = gateways[1] if len(gateways) > 1 else None  # one master: only `a`

    def call(self, gateway, method, path, json=None):
        response = requests.request(method, gateway.base_url + path, json=json, timeout=30,
                                    headers={"Authorization": f"Bearer {self.token}"})
        assert response.status_code < 300, (path, response.status_code, response.text)
        return response.json()

    def create(self, name, mode="none"):
        return self.call(self.a, "POST", "/api/instances", {"name": name, "server_id": self.server_id, "mode": mode})

    def holders(self) -> dict[str, list[int]]:
        """Instance name -> pids holding its socket, as the registry says."""
        held: dict[str, list[int]] = {}
        for process in self.call(self.a, "GET", "/api/cluster")["processes"]:
            for socket in process["sockets"]:
                for name in socket["instances"]:
                    held.setdefault(name, []).append(process["pid"])
        return held

    def sockets(self) -> dict[str, int]:
        return self.sim.control("GET", "sockets")

    def channels(self, name) -> tuple[bool, bool]:
        """(webhook on, websocket on) at the provider."""
        state = self.sim.control("GET", f"instances/{name}")
        return bool((state["webhook"] or {}).get("enabled")), bool((state["websocket"] or {}).get("enabled"))

    def logs(self) -> str:
        return "".join(gateway.log() for gateway in self.gateways)

    def stored_ids(self, name) -> Counter:
        with self.app.app_context():
            keys = db.session.execute(db.select(Event.dedupe_key).join(Instance).where(
                Instance.name == name, Event.name == "messages.upsert")).scalars().all()
            db.session.remove()
        return Counter(keys)


def seeded_app(database_url: str, sim):
    """An app on a fresh database holding an administrator and the simulator's server: (app, the
    administrator's API token, the server's id)."""
    from tests.conftest import build_app

    app = build_app(database_url)
    with app.app_context():
        user = create_user("Acme", "admin@example.com", "correct horse battery", Role.ADMIN)
        server = ProviderServer(name="sim", kind="evolution", base_url=sim.base_url, api_key=sim.api_key)
        db.session.add(server)
        db.session.commit()
        return app, issue_token(user, "tests"), server.id


@contextmanager
def running_cluster(database_url: str, sim, redis_url: str | None, prefix: str | None, masters: int = 2,
                    before_start=None, workers: int = 2, **settings) -> Iterator[Cluster]:
    """An administrator with a token and the simulator's server in a fresh database, then `masters`
    gunicorn masters of `workers` workers each; `before_start(app)` may add rows first. Stopped afterwards."""
    app, token, server_id = seeded_app(database_url, sim)
    if before_start is not None:
        with app.app_context():
            before_start(app)
    gateways = []
    try:
        for _ in range(masters):
            gateways.append(start_gateway(database_url, redis_url, prefix, workers=workers, **settings))
        yield Cluster(app, sim, token, server_id, gateways)
    finally:
        for gateway in gateways:
            gateway.stop()
        with app.app_context():
            db.engine.dispose()


def run_cli(env: dict[str, str], *args: str) -> tuple[subprocess.CompletedProcess, int]:
    """`flask --app app ...` in a process of its own with the environment `env`; (result, its pid)."""
    process = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "app", *args], cwd=ROOT, env=env,
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err), process.pid
