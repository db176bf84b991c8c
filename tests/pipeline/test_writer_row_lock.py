"""Several writers on one busy instance (PostgreSQL): a message never waits for another's lock on the instance row."""
from __future__ import annotations

import gevent
import pytest

from gateway.extensions import db
from gateway.ingest.pipeline import Target
from gateway.models import Instance, ProviderServer, Tenant, utcnow

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)


def test_a_message_is_stored_while_another_writer_holds_the_instance_row(app, store):
    with app.app_context():
        server = ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        row = Instance(tenant=Tenant(name="Acme"), server=server, name="sales")
        db.session.add(row)
        db.session.commit()
        target = Target(row.id, row.tenant_id, row.name, "evolution")
    pipeline = app.extensions["gateway"].pipeline

    def submit(envelope):
        with app.app_context():
            return pipeline.handle(target, envelope, "webhook")

    with app.app_context(), db.engine.connect() as other_writer:
        # Another worker's batch, between its UPDATE of the row and its commit.
        other_writer.execute(db.update(Instance).where(Instance.id == target.instance_id).values(last_event_at=utcnow()))
        message = gevent.spawn(submit, {"event": "messages.upsert", "instance": "sales", "data": {"key": {"id": "M1"}}})
        message.join(timeout=10)
        assert message.successful() and message.value is not None, "the message waited for the row lock"
        state = gevent.spawn(submit, {"event": "connection.update", "instance": "sales",
                                      "data": {"instance": "sales", "state": "open", "statusReason": 200}})
        other_writer.rollback()
    state.join(timeout=10)
    assert state.successful() and store.instance("sales").connection_state == "open"  # a fact waits, then applies
