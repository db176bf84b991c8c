"""The app served in-process by gevent's WSGI server on loopback, on SQLite or PostgreSQL, with one
webhook-mode instance: what the hardening tests send real HTTP requests to.
"""
from __future__ import annotations

import json
import socket
from dataclasses import dataclass

import pytest
import requests
from gevent.pywsgi import WSGIServer

from gateway.providers.evolution.channels import WEBHOOK_PATH
from gateway.extensions import db
from gateway.models import Event, Instance, ProviderServer, Tenant
from gateway.simulator.serving import PromptHandler
from tests.conftest import build_app
from tests.ingest.conftest import envelope  # noqa: F401


@dataclass
class Served:
    """An app on a loopback port, with the instance `sales` and its webhook secret."""

    app: object
    url: str
    secret: str

    @property
    def hook(self) -> str:
        return f"{self.url}{WEBHOOK_PATH}/{self.secret}"

    def post(self, body, url: str | None = None, **kw) -> requests.Response:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json", **kw.pop("headers", {})}
        return requests.post(url or self.hook, data=data, headers=headers, timeout=kw.pop("timeout", 30), **kw)

    def get(self, path: str, **kw) -> requests.Response:
        return requests.get(self.url + path, timeout=30, **kw)

    def instance(self) -> Instance:
        with self.app.app_context():
            instance = db.session.execute(db.select(Instance).where(Instance.name == "sales")).scalar_one()
            db.session.expunge(instance)
            return instance

    def events(self) -> list[Event]:
        with self.app.app_context():
            return list(db.session.execute(db.select(Event).order_by(Event.id)).scalars())


def serve(database_url: str, **config):
    """Build the app, seed `sales`, serve it; yields a Served and tears everything down."""
    app = build_app(database_url, **config)
    with app.app_context():
        server = ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9", api_key="unused-key")
        instance = Instance(tenant=Tenant(name="Acme"), server=server, name="sales", delivery_mode="webhook")
        db.session.add(instance)
        db.session.commit()
        secret = instance.webhook_secret
    app.extensions["gateway"].targets.clear()  # cold, as after a start
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(256)
    server = WSGIServer(listener, app, log=None, error_log=None, handler_class=PromptHandler)  # as gunicorn, no Nagle
    server.start()
    yield Served(app, f"http://127.0.0.1:{listener.getsockname()[1]}", secret)
    server.stop(timeout=1)
    app.extensions["gateway"].shutdown()
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def served(database_url):
    yield from serve(database_url)
