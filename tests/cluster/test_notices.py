"""An instance changed in one process empties the receiver cache of every other process (Redis pub/sub)."""
from __future__ import annotations

import pytest

from gateway.extensions import db
from gateway.models import Instance, ProviderServer, Tenant, utcnow
from gateway.simulator.testing import wait_for
from tests.conftest import build_app


@pytest.fixture
def two_processes(postgres_url, redis_server, redis_prefix, redis_client):
    """Two apps on one database and one Redis prefix; the first listens for notices."""
    first, second = (build_app(postgres_url, REDIS_URL=redis_server, REDIS_PREFIX=redis_prefix) for _ in range(2))
    with first.app_context():
        server = ProviderServer(name="s", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        db.session.add(Instance(tenant=Tenant(name="Acme"), server=server, name="sales"))
        db.session.commit()
    services = first.extensions["gateway"]
    services.background.spawn("notices", services.cluster.notices.run)
    yield first, second
    services.cluster.notices.stop()
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


def cached(app) -> bool:
    return ("sales", "evolution") in app.extensions["gateway"].targets._entries


def test_a_secret_changed_elsewhere_reaches_the_first_process_cache(two_processes, redis_client, redis_prefix):
    first, second = two_processes
    with first.app_context():
        (candidate,) = first.extensions["gateway"].targets.named("sales", "evolution")
    assert cached(first)
    with second.app_context():
        instance = db.session.execute(db.select(Instance).where(Instance.name == "sales")).scalar_one()
        instance.webhook_secret = "rotated-secret"
        db.session.commit()
    wait_for(lambda: not cached(first), timeout=5, what="the first process to forget the old secret")
    with first.app_context():
        (fresh,) = first.extensions["gateway"].targets.named("sales", "evolution")
    assert fresh.secret == "rotated-secret" != candidate.secret


def test_an_instance_deleted_elsewhere_leaves_the_first_process_cache(two_processes):
    first, second = two_processes
    with first.app_context():
        first.extensions["gateway"].targets.named("sales", "evolution")
    assert cached(first)
    with second.app_context():
        db.session.delete(db.session.execute(db.select(Instance).where(Instance.name == "sales")).scalar_one())
        db.session.commit()
    wait_for(lambda: not cached(first), timeout=5, what="the first process to forget the deleted instance")


def test_columns_no_other_process_reads_send_no_notice(two_processes, redis_client, redis_prefix):
    first, second = two_processes
    listener = redis_client.pubsub(ignore_subscribe_messages=True)
    listener.subscribe(redis_prefix + "instances")
    with second.app_context():
        instance = db.session.execute(db.select(Instance).where(Instance.name == "sales")).scalar_one()
        instance.last_sync_at = utcnow()
        db.session.commit()
        instance.delivery_mode = "webhook"
        db.session.commit()
    heard = [listener.get_message(timeout=2.0) for _ in range(2)]
    listener.close()
    assert len([message for message in heard if message]) == 1
