"""A catch-up still running when the gateway shuts down stores nothing and starts no event writer (which
would keep the shutdown waiting); the next start reads the same window again."""
from __future__ import annotations

import gevent

from gateway.extensions import db
from gateway.services import services
from tests.conftest import build_app
from tests.pipeline.test_catchup_webhook import lost  # noqa: F401


def writers(app) -> list[gevent.Greenlet]:
    return [greenlet for greenlet in app.extensions["gateway"].background.pool if greenlet.name == "event-writer"]


def test_a_catch_up_after_the_writer_stopped_stores_nothing_and_the_next_start_does(app, database_url, lost, store):
    running = writers(app)
    app.extensions["gateway"].writer.stop()
    gevent.joinall(running, timeout=10)
    with app.app_context():
        services().resync.on_join(store.instance("sales").id, first=False)  # a join just before the shutdown
    assert store.message_sources("sales") == {}
    assert writers(app) == []
    restarted = build_app(database_url)
    try:
        with restarted.app_context():
            services().catch_up_webhooks()
        assert store.wait_messages("sales", lost) == {key: ["catchup"] for key in lost}
    finally:
        restarted.extensions["gateway"].shutdown()
        with restarted.app_context():
            db.engine.dispose()
