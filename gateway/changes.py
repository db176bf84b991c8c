"""How the other processes on the database hear of a committed change to an instance.

In a cluster the commit publishes a notice over Redis (gateway/cluster/notices.py). Without Redis (the
embedded default: one server process), a process that holds no sockets (a CLI command) counts the
change in the database, in the change's own transaction (InstanceChanges), and the server polls the
counts (gateway/change_watch.py). The server's own changes need no count: nobody else caches them.

Only what other processes cache or act on counts: a new or deleted instance, a column their webhook
receivers or socket holders read (WATCHED), or a setting of a server that its instances' sockets depend
on (desired.SOCKET_SETTINGS: each holder opens them again). Events touch last_event_at on every commit;
those stay local.
"""
from __future__ import annotations

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, object_session

from .connections.desired import SOCKET_SETTINGS
from .extensions import db
from .models import Instance, InstanceChanges, ProviderServer

WATCHED = ("name", "tenant_id", "webhook_secret", "delivery_mode", "server_id")
_UPSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def counts() -> dict[int, int]:
    """Changes counted so far, by tenant: what the server compares with what it saw last."""
    return dict(db.session.execute(db.select(InstanceChanges.tenant_id, InstanceChanges.changes)).all())


def changed_tenants(before: dict[int, int], now: dict[int, int]) -> set[int]:
    """The tenants whose count moved (or appeared, or went with its tenant) between two reads."""
    return {tenant_id for tenant_id in before.keys() | now.keys() if before.get(tenant_id) != now.get(tenant_id)}


def _count(connection: Connection, tenant_id: int) -> None:
    """One more change of the tenant's instances; the tenant's row is made by its first change."""
    table = InstanceChanges.__table__
    statement = _UPSERT[connection.dialect.name](table).values(tenant_id=tenant_id, changes=1)
    connection.execute(statement.on_conflict_do_update(index_elements=[table.c.tenant_id],
                                                       set_={"changes": table.c.changes + 1}))


@event.listens_for(Instance, "after_insert")
@event.listens_for(Instance, "after_delete")
def _instance_added_or_removed(_mapper, connection: Connection, instance: Instance) -> None:
    _tell(connection, instance, {instance.tenant_id})


@event.listens_for(Instance, "after_update")
def _instance_updated(_mapper, connection: Connection, instance: Instance) -> None:
    if _changed(instance, WATCHED):
        _tell(connection, instance, {instance.tenant_id})


@event.listens_for(ProviderServer, "after_update")
def _server_updated(_mapper, connection: Connection, server: ProviderServer) -> None:
    """A server's instances are the tenants' changes: their sockets are opened again wherever held."""
    if _changed(server, SOCKET_SETTINGS):
        tenants = connection.execute(db.select(Instance.tenant_id).distinct().where(
            Instance.server_id == server.id)).scalars()
        _tell(connection, server, set(tenants))


def _changed(row: Instance | ProviderServer, names: tuple[str, ...]) -> bool:
    state = inspect(row)
    return any(state.attrs[name].history.has_changes() for name in names)


def _tell(connection: Connection, row: Instance | ProviderServer, tenant_ids: set[int]) -> None:
    """Have the other processes hear of the change once it is committed (see the module's docstring)."""
    services = current_app.extensions.get("gateway") if has_app_context() else None
    if services is None or not tenant_ids:
        return
    if services.cluster is not None:
        session = object_session(row)
        if session is not None:
            session.info["instance_changed"] = True
    elif not services.sockets.holder:
        for tenant_id in sorted(tenant_ids):
            _count(connection, tenant_id)


@event.listens_for(Session, "after_commit")
def _tell_other_processes(session: Session) -> None:
    """In a cluster, other processes hear of a change only once it is committed, so what they re-read is
    the new truth."""
    if session.info.pop("instance_changed", False) and has_app_context():
        current_app.extensions["gateway"].cluster.notices.publish()
