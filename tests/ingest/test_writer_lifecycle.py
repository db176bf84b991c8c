"""The event writer's greenlet and rounds: stopped, killed, or slower than its callers' timeout, it leaves
no caller hanging, and what it committed meanwhile is a duplicate when the caller tries again."""
from __future__ import annotations

import gevent
import pytest
from gevent.event import Event as Signal

from gateway.extensions import db
from gateway.ingest.pipeline import Pipeline
from gateway.ingest.writer import EventWriter, WriterStopped
from gateway.models import Instance, utcnow
from gateway.simulator.testing import wait_for
from tests.ingest.conftest import connection, message, sales, send, spawn_callers, stored_events, tally


class WatchedWriter:
    """An event writer whose greenlets the test sees, and that can be held after a commit, before it
    answers the commit's callers (as if its commit were slow)."""

    def __init__(self, app):
        self.spawn_in_app = app.extensions["gateway"].background.spawn
        self.greenlets = []
        self.release = Signal()
        self.release.set()
        self.held = Signal()
        self.writer = EventWriter(self._spawn, self._committed)
        self.pipeline = Pipeline(self.writer, app.extensions["gateway"].bus)

    def hold(self) -> None:
        """The next commit waits, once stored, until resume()."""
        self.held.clear()
        self.release.clear()

    def resume(self) -> None:
        self.release.set()

    def _spawn(self, name, target, *args):
        self.greenlets.append(self.spawn_in_app(name, target, *args))
        return self.greenlets[-1]

    def _committed(self, stored) -> None:
        self.held.set()
        self.release.wait()


@pytest.fixture
def subject(app):
    subject = WatchedWriter(app)
    yield subject
    subject.resume()
    subject.writer.stop()
    gevent.joinall(subject.greenlets, timeout=10)  # nothing left to run once the test's database is gone


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
def test_callers_of_a_killed_writer_fail_and_their_retry_starts_a_new_one(app, target, subject):
    subject.hold()
    committed = spawn_callers(subject.pipeline, target, [message("M1")])
    assert subject.held.wait(10)  # M1 is stored; its caller not yet answered
    queued = spawn_callers(subject.pipeline, target, [message("M2"), message("M3")])
    wait_for(lambda: subject.writer.queued == 2, what="the next round queued")
    subject.greenlets[0].kill()  # mid-round: M1 committed but not answered, M2 and M3 waiting for their round
    counts = tally(committed + queued)
    assert (counts.sent, counts.acknowledged) == (3, 0)
    assert set(counts.errors) == {"the event could not be stored"}
    subject.resume()
    retried = send(subject.pipeline, target, [message("M1"), message("M2"), message("M3")])
    assert (retried.sent, retried.acknowledged, retried.stored, retried.duplicated) == (3, 3, 2, 1)
    assert len(stored_events(app)) == 3
    assert len(subject.greenlets) == 2 and not subject.greenlets[1].dead


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_round_slower_than_the_timeout_fails_its_callers_and_its_commit_is_a_duplicate(app, target, subject):
    subject.writer.timeout = 0.5
    events = [connection("open", "2026-11-23T04:00:01.000Z"), message("M1")]
    with app.app_context(), db.engine.connect() as other_writer:
        # Another worker's batch, between its UPDATE of the row and its commit: a fact waits for it.
        other_writer.execute(db.update(Instance).where(Instance.id == target.instance_id).values(last_event_at=utcnow()))
        counts = send(subject.pipeline, target, events)
        assert (counts.sent, counts.acknowledged) == (2, 0)
        assert set(counts.errors) == {"the event writer did not answer in time"}
        other_writer.rollback()
    subject.writer.timeout = 30.0  # the retry waits for the slow round, then for its own
    retried = send(subject.pipeline, target, events)
    assert (retried.sent, retried.acknowledged, retried.stored, retried.duplicated) == (2, 2, 0, 2)
    assert len(stored_events(app)) == 2 and sales(app).connection_state == "open"


def test_a_submit_after_stop_fails_at_once_and_starts_no_writer(app, target, subject):
    assert send(subject.pipeline, target, [message("M1")]).stored == 1
    subject.writer.stop()
    subject.greenlets[0].join(10)
    assert subject.greenlets[0].dead
    with pytest.raises(WriterStopped, match="shutting down"):
        subject.pipeline.handle(target, message("M2"), "webhook")
    assert len(subject.greenlets) == 1
    assert len(stored_events(app)) == 1


def test_stop_stores_what_was_submitted_before_it(app, target, subject):
    """Events that wait for the next round when stop() comes are stored, not failed."""
    subject.hold()
    first = spawn_callers(subject.pipeline, target, [message("M1")])
    assert subject.held.wait(10)
    queued = spawn_callers(subject.pipeline, target, [message("M2"), message("M3")])
    wait_for(lambda: subject.writer.queued == 2, what="the next round queued")
    subject.writer.stop()
    subject.resume()
    counts = tally(first + queued)
    assert (counts.sent, counts.acknowledged, counts.stored) == (3, 3, 3)
    subject.greenlets[0].join(10)
    assert subject.greenlets[0].dead and len(subject.greenlets) == 1
