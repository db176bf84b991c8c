"""Invariants the database itself enforces, on SQLite and on PostgreSQL."""
import pytest
from sqlalchemy.exc import IntegrityError

from gateway.connections.settings import delivery_flags
from gateway.extensions import db
from gateway.models import Event, Instance, ProviderServer, Tenant

both_databases = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


def add_instance(name="main", mode="none", tenant_name="Acme"):
    tenant = db.session.execute(db.select(Tenant).where(Tenant.name == tenant_name)).scalar_one_or_none()
    server = db.session.execute(db.select(ProviderServer)).scalar_one_or_none() or ProviderServer(
        name="evo", kind="evolution", base_url="http://127.0.0.1:1", api_key="k" * 20)
    instance = Instance(tenant=tenant or Tenant(name=tenant_name), server=server, name=name, delivery_mode=mode)
    db.session.add(instance)
    db.session.commit()
    return instance


@both_databases
@pytest.mark.parametrize("mode", ["both", "webhook,ws", "", "WEBHOOK"])
def test_check_constraint_refuses_an_invalid_delivery_mode(app, mode):
    with app.app_context():
        with pytest.raises(IntegrityError):
            add_instance(mode=mode)


@both_databases
def test_valid_modes_are_stored_and_flags_derive_from_them(app):
    with app.test_request_context():
        for mode in ("none", "webhook", "websocket"):
            flags = delivery_flags(add_instance(name=mode, mode=mode))
            assert flags["webhookEnabled"] == (mode == "webhook")
            assert flags["websocketEnabled"] == (mode == "websocket")
            assert flags["webhookConfig"]["events"] == ["MESSAGES_UPSERT", "MESSAGES_UPDATE"]


@both_databases
def test_instance_name_is_unique_per_server(app):
    with app.app_context():
        add_instance()
        with pytest.raises(IntegrityError):
            add_instance(tenant_name="Other")


@both_databases
def test_event_dedupe_key_is_unique_per_instance(app):
    with app.app_context():
        instance = add_instance()
        event = dict(tenant_id=instance.tenant_id, instance_id=instance.id, name="messages.upsert",
                     source="webhook", dedupe_key="ABC:upsert", payload={})
        db.session.add(Event(**event))
        db.session.commit()
        db.session.add(Event(**{**event, "source": "websocket"}))
        with pytest.raises(IntegrityError):
            db.session.commit()
