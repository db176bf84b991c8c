"""A batch that holds events stored before is stored atomically on PostgreSQL: its new events and
their instance changes are committed together, or neither is (no crash window between them)."""
from __future__ import annotations

import pytest

from gateway.extensions import db
from tests.ingest.conftest import connection, message, sales, send, stored_events

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

QR = {"qrcode": {"instance": "sales", "pairingCode": "WZYEH1YY", "code": "2@abc", "base64": "data:image/png;base64,QR"}}


@pytest.fixture
def pipeline(app):
    return app.extensions["gateway"].pipeline


@pytest.fixture
def lift_open_refusal(app):
    """The database refuses to mark the instance open (the store fails after its INSERT ran) until the
    function this returns is called."""
    with app.app_context():
        db.session.execute(db.text(
            "CREATE FUNCTION refuse_open() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'injected: the instance may not open'; END $$"))
        db.session.execute(db.text(
            "CREATE TRIGGER refuse_open BEFORE UPDATE ON instance FOR EACH ROW "
            "WHEN (NEW.connection_state = 'open') EXECUTE FUNCTION refuse_open()"))
        db.session.commit()

    def lift():
        with app.app_context():
            db.session.execute(db.text("DROP TRIGGER refuse_open ON instance"))
            db.session.commit()
    return lift


@pytest.mark.parametrize("source", ["webhook", "catchup"])  # a catch-up's batch goes to the transaction at once
def test_a_mixed_batch_applies_exactly_its_new_events_changes(app, target, pipeline, source):
    closed = connection("close", "2026-11-23T04:00:00.000Z")
    assert send(pipeline, target, [closed]).stored == 1
    qr = {"event": "qrcode.updated", "instance": "sales", "data": QR}
    # The stored event comes last: were its changes applied, the instance would be closed again.
    counts = send(pipeline, target, [qr, message("M1"), closed], source)
    assert (counts.sent, counts.acknowledged, counts.stored, counts.duplicated) == (3, 3, 2, 1)
    events = stored_events(app)
    assert [event.name for event in events] == ["connection.update", "qrcode.updated", "messages.upsert"]
    instance = sales(app)
    assert (instance.connection_state, instance.qr_code, instance.qr_pairing_code) == (
        "connecting", "data:image/png;base64,QR", "WZYEH1YY")
    assert instance.last_event_at == events[-1].received_at


def test_a_mixed_batch_failing_after_its_insert_commits_none_of_it(app, target, pipeline, lift_open_refusal):
    assert send(pipeline, target, [message("M0")]).stored == 1
    opened = connection("open", "2026-11-23T04:00:01.000Z")
    counts = send(pipeline, target, [message("M0"), opened, message("M1")])
    # M1 has no change that fails: once the batch failed, it is stored on its own, as before.
    assert (counts.sent, counts.acknowledged, counts.stored, counts.duplicated) == (3, 2, 1, 1)
    assert counts.errors == ["the event could not be stored"]
    assert [event.name for event in stored_events(app)] == ["messages.upsert", "messages.upsert"]
    assert sales(app).connection_state == "unknown"
    lift_open_refusal()
    retried = send(pipeline, target, [opened])  # the provider's retry
    assert (retried.sent, retried.acknowledged, retried.stored, retried.duplicated) == (1, 1, 1, 0)
    assert sales(app).connection_state == "open"
    assert len(stored_events(app)) == 3
