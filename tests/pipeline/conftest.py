"""The app served over real HTTP on loopback, so the simulator delivers webhooks to it, plus helpers
to read what the pipeline stored.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from gateway.extensions import db
from gateway.models import Event, Instance
from gateway.simulator.testing import wait_for
from tests.live_server import serve
from tests.connections.conftest import api, create, provider, register_server, server_id  # noqa: F401
from tests.ingest.conftest import envelope  # noqa: F401


@pytest.fixture
def live(database_url, sim):
    """The app serving on a free port, with PUBLIC_URL pointing at it (so webhooks come here)."""
    with serve(database_url) as server:
        yield server


@pytest.fixture
def app(live):
    return live.app


@dataclass
class Store:
    """What the pipeline stored, read straight from the database."""

    app: object

    def events(self, instance: str | None = None, name: str | None = None) -> list[Event]:
        with self.app.app_context():
            query = db.select(Event).join(Instance).order_by(Event.id)
            if instance is not None:
                query = query.where(Instance.name == instance)
            if name is not None:
                query = query.where(Event.name == name)
            return list(db.session.execute(query).scalars())

    def message_sources(self, instance: str) -> dict[str, list[str]]:
        """Message key id -> the source of every stored messages.upsert with that id."""
        found: dict[str, list[str]] = {}
        for event in self.events(instance, "messages.upsert"):
            found.setdefault(event.payload["data"]["key"]["id"], []).append(event.source)
        return found

    def ack_sources(self, instance: str) -> dict[tuple[str, str], list[str]]:
        """(message key id, status) -> the source of every stored messages.update for it."""
        found: dict[tuple[str, str], list[str]] = {}
        for event in self.events(instance, "messages.update"):
            data = event.payload["data"]
            found.setdefault((data["keyId"], data["status"]), []).append(event.source)
        return found

    def wait_acks(self, instance: str, acks, timeout: float = 10.0) -> dict[tuple[str, str], list[str]]:
        wanted = set(acks)
        return wait_for(lambda: (found := self.ack_sources(instance)) and wanted <= set(found) and found,
                        timeout, f"{len(wanted)} acks stored")

    def wait_messages(self, instance: str, ids, timeout: float = 10.0) -> dict[str, list[str]]:
        wanted = set(ids)
        return wait_for(lambda: (found := self.message_sources(instance)) and wanted <= set(found) and found,
                        timeout, f"{len(wanted)} messages stored")

    def instance(self, name: str) -> Instance:
        with self.app.app_context():
            instance = db.session.execute(db.select(Instance).where(Instance.name == name)).scalar_one()
            db.session.expunge(instance)
            return instance


@pytest.fixture
def store(app):
    return Store(app)
