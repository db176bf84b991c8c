"""Instance life cycle on the provider and here: create (with its delivery mode), import, connect, delete."""
from __future__ import annotations

import re

from .connections.manager import ConnectionManager, WebhookChoice
from .connections.channels import channels_of
from .connections.settings import selection
from .extensions import db
from .models import ConnectionState, DeliveryMode, Instance, ProviderServer, new_webhook_secret, utcnow
from .servers import provider
from .providers.errors import ProviderNotFound

# Evolution puts the name in URL paths and socket namespaces; keep it to what survives both.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


class InstanceError(ValueError):
    """A request about instances that cannot be carried out; the message says why."""


def parse_mode(value: object) -> DeliveryMode:
    try:
        return DeliveryMode(value)
    except ValueError:
        raise InstanceError("mode must be one of none, webhook, websocket.") from None


def create_instance(manager: ConnectionManager, tenant_id: int, server: ProviderServer, name: str,
                    mode: DeliveryMode, choice: WebhookChoice, websocket_events: list[str] | None) -> Instance:
    """Create on the provider with the chosen mode's block (the only one: blocks are stored enabled)."""
    if not NAME.match(name or ""):
        raise InstanceError("name must be 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit.")
    if db.session.execute(db.select(Instance.id).where(
            (Instance.name == name) & ((Instance.tenant_id == tenant_id) | (Instance.server_id == server.id)))).first():
        raise InstanceError(f'An instance named "{name}" already exists.')
    if mode is DeliveryMode.WEBSOCKET and not manager.websocket_enabled:
        raise InstanceError("WebSocket delivery is turned off on this gateway (WEBSOCKET_ENABLED=false).")
    # Not in the session (a backref does not cascade): nothing is written until the provider has the instance.
    instance = Instance(tenant_id=tenant_id, server=server, name=name, webhook_secret=new_webhook_secret(),
                        webhook_base64=True if choice.base64 is None else choice.base64,
                        webhook_by_events=bool(choice.by_events),
                        delivery_mode=mode.value, connection_state=ConnectionState.CLOSE.value)
    instance.webhook_events = selection(instance, choice.events)
    instance.websocket_events = selection(instance, websocket_events)
    channels_of(instance).create(mode.value)
    db.session.add(instance)
    db.session.commit()
    if mode is DeliveryMode.WEBSOCKET:
        manager.listeners.start(instance.id)
    manager.announce(tenant_id, instance.id)
    return instance


def import_instances(manager: ConnectionManager, tenant_id: int, server: ProviderServer,
                     names: list[str] | None) -> list[Instance]:
    """Take over instances that already exist on the server; each starts in mode none and is synced.

    Their current delivery (often a webhook pointing elsewhere) is reported as drift but left in
    place until the operator chooses a mode here: importing must not cut anyone's traffic.
    """
    known = set(db.session.execute(db.select(Instance.name).where(Instance.server_id == server.id)).scalars())
    remote = [item.name for item in provider(server).fetch_instances()]
    wanted = [name for name in remote if name not in known and (names is None or name in names)]
    missing = sorted(set(names or ()) - set(remote))
    if missing:
        raise InstanceError(f"Not on the server: {', '.join(missing)}.")
    taken = set(db.session.execute(db.select(Instance.name).where(
        Instance.tenant_id == tenant_id, Instance.name.in_(wanted))).scalars())
    imported = [Instance(tenant_id=tenant_id, server_id=server.id, name=name, reapply_on_drift=False)
                for name in wanted if name not in taken]
    db.session.add_all(imported)
    db.session.commit()
    for instance in imported:
        manager.sync(instance)  # announces each
    return imported


def connect(manager: ConnectionManager, instance: Instance) -> dict:
    """Start connecting and return the QR (Evolution answers after a few seconds)."""
    qr = provider(instance.server).connect(instance.name)
    if qr.base64:
        instance.qr_code, instance.qr_pairing_code, instance.qr_updated_at = qr.base64, qr.pairing_code, utcnow()
        instance.connection_state = ConnectionState.CONNECTING.value
        db.session.commit()
        manager.announce(instance.tenant_id, instance.id)
    return {"count": qr.count, "code": qr.code, "base64": qr.base64, "pairingCode": qr.pairing_code}


def pairing_code(manager: ConnectionManager, instance: Instance, phone_number: str) -> dict:
    """Ask the provider for a pairing code; it is shown in the QR panel too."""
    code = provider(instance.server).request_code(instance.name, phone_number)
    if code:
        instance.qr_pairing_code = code
        db.session.commit()
        manager.announce(instance.tenant_id, instance.id)
    return {"pairingCode": code}


def logout(manager: ConnectionManager, instance: Instance) -> None:
    provider(instance.server).logout(instance.name)
    instance.qr_code = instance.qr_pairing_code = instance.qr_updated_at = None
    instance.connection_state = ConnectionState.CLOSE.value
    db.session.commit()
    manager.announce(instance.tenant_id, instance.id)


def delete(manager: ConnectionManager, instance: Instance) -> None:
    """Delete on the provider and here; already gone there is fine.

    The provider deletes asynchronously and keeps the name "in use" meanwhile, so wait for it
    to be gone: a re-create of the same name right after must not be refused.
    """
    client = provider(instance.server)
    try:
        client.delete(instance.name)
        client.wait_deleted(instance.name)
    except ProviderNotFound:
        pass
    tenant_id, instance_id = instance.tenant_id, instance.id
    manager.listeners.stop(instance_id)
    db.session.delete(instance)
    db.session.commit()
    manager.announce(tenant_id, instance_id)
