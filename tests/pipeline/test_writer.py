"""Group commit: a batch with repeats inside and across it stores each event once and applies changes in order."""
from __future__ import annotations

import gevent
import pytest

from gateway.extensions import db
from gateway.ingest.pipeline import Target
from gateway.models import Instance, ProviderServer, Tenant


pytestmark = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def targets(app):
    with app.app_context():
        server = ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        tenant = Tenant(name="Acme")
        rows = [Instance(tenant=tenant, server=server, name=name) for name in ("sales", "support")]
        db.session.add_all(rows)
        db.session.commit()
        return [Target(row.id, row.tenant_id, row.name, "evolution") for row in rows]


def connection(name, state, at):
    return {"event": "connection.update", "instance": name, "date_time": at,
            "data": {"instance": name, "state": state, "statusReason": 200}}


def message(name, key):
    return {"event": "messages.upsert", "instance": name, "data": {"key": {"id": key}}}


def test_concurrent_submissions_with_repeats_store_each_event_once(app, targets, store):
    pipeline = app.extensions["gateway"].pipeline
    sales, support = targets
    work = [(sales, message("sales", f"M{n % 20}")) for n in range(60)]
    work += [(support, message("support", f"M{n % 20}")) for n in range(60)]
    work += [(sales, connection("sales", "connecting", "2026-11-23T04:00:00.000Z")),
             (sales, connection("sales", "open", "2026-11-23T04:00:01.000Z"))]

    def submit(target, envelope):
        with app.app_context():
            return pipeline.handle(target, envelope, "webhook")

    results = [job.value for job in gevent.joinall([gevent.spawn(submit, *item) for item in work], raise_error=True)]
    stored = [result for result in results if result is not None]
    assert len(stored) == len(set(stored)) == 42  # 20 messages per instance and two connection updates
    assert len(store.events()) == 42
    assert store.instance("sales").connection_state == "open"  # the later event wins within a batch
    assert store.instance("support").last_event_at is not None


def test_a_repeat_in_a_batch_leaves_the_instance_as_the_new_events_set_it(app, targets, store):
    """A batch that repeats a stored event applies only the new events' changes: on PostgreSQL the
    batch's one statement must not apply the changes it would have had if every event were new."""
    pipeline = app.extensions["gateway"].pipeline
    sales = targets[0]
    closed = connection("sales", "close", "2026-11-23T04:00:00.000Z")
    with app.app_context():
        pipeline.handle(sales, closed, "webhook")
        pipeline.handle(sales, connection("sales", "open", "2026-11-23T04:00:01.000Z"), "webhook")
        ids = pipeline.handle_all(sales, [closed, message("sales", "M1")], "webhook")  # one batch
    assert ids[0] is None and ids[1] is not None
    assert store.instance("sales").connection_state == "open"
    assert len(store.events()) == 3
