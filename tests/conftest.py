"""Shared fixtures: the app on a fresh database, users and tokens, and the Evolution simulator.

The suite runs gevent-patched, like gunicorn's gevent worker (wsgi.py), so that the background
greenlets (socket clients, the event writer) run as they do in production.
"""
from __future__ import annotations

from gevent import monkey

monkey.patch_all()

import functools
import os
import uuid

import gevent
import psycopg
import pytest
import redis
from hypothesis import settings
from sqlalchemy.engine import make_url

from gateway import create_app
from gateway.tokens import issue_token
from gateway.extensions import db
from gateway.models import Role, Tenant, User

PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"

# Property tests check behaviour, not speed: a per-example deadline only fails them when the two
# shared cores are busy (the benches in bench/ measure speed).
settings.register_profile("gateway", deadline=None)
settings.load_profile("gateway")

if os.environ.get("PYTEST_XDIST_WORKER"):
    # An xdist worker waits for its next test on an event that execnet's reader thread, started
    # before the patching, sets from outside gevent. A watcher that never fires keeps the gevent loop
    # waiting for that wake-up, where it would otherwise end the wait at once with LoopExit.
    _WAKEABLE = gevent.get_hub().loop.async_()
    _WAKEABLE.start(lambda: None)


@pytest.fixture(scope="session")
def postgres_server():
    """The loopback PostgreSQL server; a test that needs it fails (never skips) when it is down."""
    try:
        with psycopg.connect(PG_ADMIN_URL, connect_timeout=5):
            pass
    except psycopg.OperationalError as error:
        pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is required and did not answer: {error}")
    return PG_ADMIN_URL


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"gateway_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield str(make_url(postgres_server).set(drivername="postgresql+psycopg", database=name))
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def build_app(database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PUBLIC_URL": "http://127.0.0.1:5999",
        "LOG_LEVEL": "WARNING",
        "PROVIDER_TIMEOUT": 5.0,
        # A quiet instance's namespace appears only at its next event: do not wait long for it.
        "SOCKET_JOIN_TIMEOUT": 0.3,
        "SOCKET_BACKOFF_BASE": 0.05,
        "SOCKET_BACKOFF_CAP": 0.5,
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture(params=["sqlite"])
def database_url(request, tmp_path):
    """SQLite by default; tests that must also hold on PostgreSQL parametrize this indirectly."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def app(database_url):
    app = build_app(database_url)
    yield app
    # The test's socket clients end with it, not join the next tests' instances on the shared simulator.
    app.extensions["gateway"].supervisor.stop_all()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@functools.cache
def password_hash(password: str) -> str:
    """The stored form of `password` as User.set_password makes it, once per run (it costs about 0.1 s
    of CPU on purpose)."""
    user = User()
    user.set_password(password)
    return user.password_hash


@pytest.fixture
def make_user(app):
    """Create a user (and its tenant when new); returns the user's id."""

    def make(email: str = "admin@example.com", tenant: str = "Acme", role: Role = Role.ADMIN,
             password: str = "correct horse") -> int:
        with app.app_context():
            owner = db.session.execute(db.select(Tenant).where(Tenant.name == tenant)).scalar_one_or_none()
            user = User(tenant=owner or Tenant(name=tenant), email=email, role=role.value,
                        password_hash=password_hash(password))
            db.session.add(user)
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def token_for(app):
    """An API token for a user id, as the bearer header a program would send."""

    def make(user_id: int) -> dict[str, str]:
        with app.app_context():
            return {"Authorization": f"Bearer {issue_token(db.session.get(User, user_id), 'tests')}"}

    return make


@pytest.fixture
def login(client):
    """Log the test client in through the real form (the test config keeps CSRF on)."""

    def do(email: str = "admin@example.com", password: str = "correct horse"):
        return client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": csrf_token(client)})

    return do


def csrf_token(client) -> str:
    """The CSRF token a real browser would read from the page."""
    html = client.get("/login").get_data(as_text=True)
    marker = 'name="csrf-token" content="'
    start = html.index(marker) + len(marker)
    return html[start:html.index('"', start)]


def _simulator_process(**options):
    """A simulator subprocess for the fixture's scope, stopped afterwards."""
    from gateway.simulator.testing import start_simulator

    running = start_simulator(**options)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def simulator():
    """One Evolution simulator process for the whole run."""
    yield from _simulator_process()


@pytest.fixture
def sim(simulator):
    """The simulator, reset to an empty server for this test."""
    simulator.reset()
    return simulator


@pytest.fixture(scope="session")
def global_sim():
    """A second simulator with WEBSOCKET_GLOBAL_EVENTS and a QR limit of 2."""
    yield from _simulator_process(global_events=True, qr_limit=2)


@pytest.fixture
def gsim(global_sim):
    """The global-events simulator, reset; its sockets dropped afterwards so no client lingers."""
    global_sim.reset()
    yield global_sim
    global_sim.control("POST", "sockets/drop")


def _waha_process(version: str):
    from gateway.simulator.testing import start_waha_simulator

    running = start_waha_simulator(version=version)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def waha_simulator():
    """One WAHA 2026.2.1 simulator process for the whole run (WAHA's waits shortened)."""
    yield from _waha_process("2026.2.1")


@pytest.fixture(scope="session")
def waha_simulator_2024():
    """One WAHA 2024.10.8 simulator: no ids, no HMAC, no retries, a session.status-only /ws."""
    yield from _waha_process("2024.10.8")


@pytest.fixture
def wsim(waha_simulator):
    """The WAHA simulator back at boot (`default` STOPPED, config null)."""
    waha_simulator.reset()
    yield waha_simulator
    waha_simulator.control("POST", "sockets/drop")


@pytest.fixture
def wsim_2024(waha_simulator_2024):
    waha_simulator_2024.reset()
    yield waha_simulator_2024
    waha_simulator_2024.control("POST", "sockets/drop")


@pytest.fixture
def unused_port():
    """A loopback port nothing listens on."""
    from gateway.simulator.testing import free_port

    return free_port()


@pytest.fixture(scope="session")
def redis_server():
    """The loopback Redis; a test that needs it fails (never skips) when it is down."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} is required and did not answer: {error}")
    return REDIS_URL


@pytest.fixture
def redis_url(redis_server):
    return redis_server


@pytest.fixture
def redis_prefix():
    """A prefix of this test's own, so gateways of other tests on the same Redis never hear it."""
    return f"test-{uuid.uuid4().hex[:12]}:"


@pytest.fixture
def redis_client(redis_server, redis_prefix):
    """A client of the shared Redis; this test's keys are deleted afterwards."""
    client = redis.Redis.from_url(redis_server)
    yield client
    keys = list(client.scan_iter(match=redis_prefix + "*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def redis_proxy(redis_server):
    """A proxy to the shared Redis that the test can cut (tests/redis_support.py)."""
    from tests.redis_support import RedisProxy

    proxy = RedisProxy()
    yield proxy
    proxy.stop()
