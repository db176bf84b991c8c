"""Can providers reach the gateway? PUBLIC_URL's default, the self-check (at start and in Settings, with
a banner), and the row flag of an instance whose webhooks never came."""
from __future__ import annotations

import socket
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from gateway.config import Config
from gateway.connections.unheard import newly_unheard, opened_unheard, unheard_since
from gateway.extensions import db
from gateway.models import Instance, Role, utcnow
from gateway.selfcheck import identity
from gateway.simulator.testing import wait_for
from tests.conftest import build_app, csrf_token
from tests.live_server import LiveServer

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("env, expected", [
    ({"PORT": "5712"}, "http://127.0.0.1:5712"),
    ({}, "http://127.0.0.1:5000"),
    ({"PORT": "5712", "PUBLIC_URL": "https://gw.example.com/"}, "https://gw.example.com"),
])
def test_public_url_defaults_to_the_address_served(monkeypatch, tmp_path, env, expected):
    for name in ("PORT", "PUBLIC_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert Config(tmp_path).PUBLIC_URL == expected


def test_healthz_names_this_gateway_and_no_other(app, tmp_path):
    other = build_app(f"sqlite:///{tmp_path / 'other.sqlite3'}", SECRET_KEY="another-secret")
    assert app.test_client().get("/healthz").json == {"status": "ok", "gateway": identity(app)}
    assert identity(other) != identity(app)


def check(live, url: str):
    live.app.config["PUBLIC_URL"] = url
    with live.app.app_context():
        return live.app.extensions["gateway"].selfcheck.run()


def test_self_check_passes_when_public_url_is_this_gateway(live):
    assert check(live, live.url).problem is None


def test_self_check_reports_no_answer(live, unused_port):
    outcome = check(live, f"http://127.0.0.1:{unused_port}")
    assert not outcome.ok and outcome.problem.startswith(f"no answer from http://127.0.0.1:{unused_port}")


def test_self_check_reports_another_application(live, sim):
    outcome = check(live, sim.base_url)
    assert outcome.problem == f"{sim.base_url}/healthz answered HTTP 404: another application is listening there"


def test_self_check_reports_another_gateway(live, tmp_path):
    listener = socket.create_server(("127.0.0.1", 0))
    other = LiveServer(build_app(f"sqlite:///{tmp_path / 'other.sqlite3'}", SECRET_KEY="another-secret"),
                       listener.getsockname()[1])
    other.start(listener)
    try:
        outcome = check(live, other.url)
    finally:
        other.stop()
    assert outcome.problem == f"{other.url} answers, but it is not this gateway (another application or another gateway)"


def test_self_check_runs_at_start_in_a_background_greenlet(live):
    services = live.app.extensions["gateway"]
    assert services.selfcheck.latest is None  # building the app checked nothing
    services.start(live.app)
    outcome = wait_for(lambda: services.selfcheck.latest, 10, "the start-up self-check")
    assert outcome.ok and outcome.url == live.url


def test_settings_runs_the_check_and_every_page_shows_the_banner(live, make_user, login, unused_port):
    client = live.app.test_client()
    make_user()
    make_user("viewer@example.com", role=Role.VIEWER)
    live.app.config["PUBLIC_URL"] = f"http://127.0.0.1:{unused_port}"
    login_as(client, "admin@example.com")
    settings = client.get("/settings").get_data(as_text=True)
    assert 'hx-trigger="load"' in settings and "self-check-banner" not in settings  # not checked yet
    answer = client.post("/settings/self-check", headers={"X-CSRFToken": csrf_token(client), "HX-Request": "true"})
    assert answer.status_code == 200
    assert 'data-self-check="failed"' in answer.get_data(as_text=True)
    assert f"no answer from http://127.0.0.1:{unused_port}" in answer.get_data(as_text=True)
    login_as(client, "viewer@example.com")
    page = client.get("/").get_data(as_text=True)
    assert 'id="self-check-banner"' in page and "Webhooks will not arrive." in page
    assert client.post("/settings/self-check", headers={"X-CSRFToken": csrf_token(client)}).status_code == 403


def login_as(client, email: str) -> None:
    client.post("/login", data={"email": email, "password": "correct horse", "csrf_token": csrf_token(client)})


def _instance(**fields):
    base = {"delivery_mode": "webhook", "connection_state": "open", "open_seen_at": NOW - timedelta(seconds=300)}
    return SimpleNamespace(**(base | fields))


@pytest.mark.parametrize("fields, last_webhook, flagged", [
    ({}, None, True),
    ({}, NOW - timedelta(seconds=400), True),      # only webhooks from before it connected
    ({}, NOW - timedelta(seconds=100), False),     # a webhook arrived since
    ({"open_seen_at": NOW - timedelta(seconds=30)}, None, False),  # not long enough yet
    ({"delivery_mode": "websocket"}, None, False),
    ({"connection_state": "close"}, None, False),
    ({"open_seen_at": None}, None, False),         # the webhook announced the connection
    ({"open_seen_at": (NOW - timedelta(seconds=300)).replace(tzinfo=None)}, None, True),  # SQLite's naive UTC
])
def test_unheard_since(fields, last_webhook, flagged):
    assert bool(unheard_since(_instance(**fields), 120, NOW, last_webhook)) is flagged


@pytest.mark.parametrize("before, mode, state, learned", [
    ("connecting", "webhook", "open", True),
    ("open", "webhook", "open", False),
    ("connecting", "websocket", "open", False),
    ("connecting", "webhook", "close", False),
])
def test_a_sync_learns_of_a_connection_the_webhook_never_announced(before, mode, state, learned):
    assert opened_unheard(SimpleNamespace(connection_state=before, delivery_mode=mode), state) is learned


def _connect_and_sync(api, sim, create, name="sales"):
    create(name, mode="webhook")
    sim.control("POST", f"instances/{name}/scan", {"number": "5511999990000"})
    assert api.post(f"/api/instance-management/sync/{name}").status_code == 200


def test_an_instance_whose_webhooks_never_come_is_flagged_on_its_row(live, api, sim, create, client, login,
                                                                    make_user, unused_port):
    live.app.config.update(PUBLIC_URL=f"http://127.0.0.1:{unused_port}", UNHEARD_WEBHOOK_AFTER=0)
    _connect_and_sync(api, sim, create)
    make_user()
    login()
    page = client.get("/").get_data(as_text=True)
    assert 'data-flag="unheard-webhook"' in page
    assert f"can reach PUBLIC_URL (http://127.0.0.1:{unused_port})" in page


def test_an_instance_whose_webhooks_arrive_is_not_flagged(live, api, sim, create, store, client, login, make_user):
    live.app.config.update(UNHEARD_WEBHOOK_AFTER=0)
    _connect_and_sync(api, sim, create)
    wait_for(lambda: store.events("sales", "connection.update"), 10, "connection.update by webhook")
    make_user()
    login()
    assert 'data-flag="unheard-webhook"' not in client.get("/").get_data(as_text=True)


def test_the_periodic_job_renders_a_row_again_when_its_flag_appears(live, api, sim, create, unused_port):
    live.app.config.update(PUBLIC_URL=f"http://127.0.0.1:{unused_port}")
    _connect_and_sync(api, sim, create)
    with live.app.app_context():
        assert [i.name for i in newly_unheard(after=0, every=60)] == ["sales"]
        assert newly_unheard(after=120, every=60) == []          # not yet
        instance = db.session.execute(db.select(Instance)).scalar_one()
        instance.open_seen_at = utcnow() - timedelta(seconds=300)
        db.session.commit()
        assert newly_unheard(after=0, every=60) == []            # flagged long ago: already rendered
