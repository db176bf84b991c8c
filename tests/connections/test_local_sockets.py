"""One process without Redis: the server's sockets follow the database, and hear what CLI commands commit."""
from __future__ import annotations

import pytest

from gateway.change_watch import ChangeWatch
from gateway.changes import changed_tenants, counts
from gateway.connections.locks import instance_lock
from gateway.extensions import db
from gateway.models import DeliveryMode, Instance, Tenant
from tests.connections.conftest import register_server


@pytest.fixture
def sales(app, sim):
    """An instance "sales" in mode none, with no socket; its id."""
    server_id = register_server(app, sim)
    with app.app_context():
        instance = Instance(tenant=Tenant(name="Acme"), server_id=server_id, name="sales")
        db.session.add(instance)
        db.session.commit()
        return instance.id


def set_mode(app, instance_id: int, mode: DeliveryMode) -> None:
    """The mode as another process commits it: in the database only."""
    with app.app_context():
        db.session.get(Instance, instance_id).delivery_mode = mode.value
        db.session.commit()


def test_a_reconcile_opens_what_the_database_wants_and_closes_what_it_no_longer_wants(app, sales):
    sockets = app.extensions["gateway"].sockets
    set_mode(app, sales, DeliveryMode.WEBSOCKET)
    with app.app_context():
        sockets.reconcile()
    assert sockets.status_of(sales) is not None
    set_mode(app, sales, DeliveryMode.WEBHOOK)
    with app.app_context():
        sockets.reconcile()
    assert sockets.status_of(sales) is None and not sockets.carried


def test_a_reconcile_leaves_a_switch_under_way_here_alone(app, sales):
    sockets = app.extensions["gateway"].sockets
    with app.app_context():
        with instance_lock(sales):  # a switch to websocket opened the socket and has not committed yet
            sockets.start(sales)
            sockets.reconcile()
            assert sockets.status_of(sales) is not None
        sockets.reconcile()  # the switch failed without undoing it: the database's word stands
    assert sockets.status_of(sales) is None


@pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)  # each has its own upsert
def test_only_a_process_that_holds_no_socket_counts_its_changes_and_only_what_others_read(app, sales):
    sockets = app.extensions["gateway"].sockets
    set_mode(app, sales, DeliveryMode.WEBHOOK)  # the server's own change: nobody else to tell
    with app.app_context():
        assert counts() == {}
        tenant_id = db.session.get(Instance, sales).tenant_id
    sockets.holder = False  # as during a CLI command (gateway/cli.py)
    set_mode(app, sales, DeliveryMode.WEBSOCKET)
    with app.app_context():
        db.session.get(Instance, sales).drift = True  # read by no other process
        db.session.commit()
        assert counts() == {tenant_id: 1}
        db.session.delete(db.session.get(Instance, sales))
        db.session.commit()
        assert counts() == {tenant_id: 2}
    assert sockets.status_of(sales) is None  # nor did its switch open a socket


def test_the_server_hears_the_tenants_whose_instances_changed(app, sales):
    watch, heard = ChangeWatch(every=60), []
    watch.listeners.append(heard.append)
    with app.app_context():
        watch.look()
        app.extensions["gateway"].sockets.holder = False
        tenant_id = db.session.get(Instance, sales).tenant_id
        db.session.get(Instance, sales).webhook_secret = "rotated"
        db.session.commit()
        watch.look()
        watch.look()
    assert heard == [{tenant_id}]


@pytest.mark.parametrize(("before", "now", "changed"), [
    ({}, {}, set()),
    ({1: 3}, {1: 3, 2: 1}, {2}),
    ({1: 3, 2: 1}, {1: 4, 2: 1}, {1}),
    ({1: 3, 2: 1}, {2: 1}, {1}),  # the tenant went, and its instances with it
])
def test_changed_tenants(before, now, changed):
    assert changed_tenants(before, now) == changed
