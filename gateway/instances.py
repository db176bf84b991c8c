"""Instance life cycle on the provider and here: create (with its delivery mode), import, connect, delete."""
from __future__ import annotations

import re

from sqlalchemy import func

from . import audit, lengths
from .connections.manager import ConnectionManager, WebhookChoice
from .connections.channels import channels_of
from .connections.settings import retry_choice, selection, store_retries
from .extensions import db
from .i18n import Message, Refusal
from .models import ConnectionState, DeliveryMode, Instance, ProviderServer, new_webhook_secret, utcnow
from .servers import provider
from .providers.errors import ProviderNotFound

# Evolution puts the name in URL paths and socket namespaces; keep it to what survives both.
NAME = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9_.-]{{0,{lengths.INSTANCE_NAME - 1}}}$")
# In words, for the API's 422 and the form's help (translated with `limit` filled in).
NAME_RULE = ("1 to {limit} letters, digits, '.', '_' or '-', starting with a letter or digit; "
             "unique on its server whatever the case")
# Used when a request does not say: a new instance delivers its events at once.
DEFAULT_MODE = DeliveryMode.WEBHOOK
# A phone number to pair by code: country code and number, digits only once spaces, dashes, dots,
# brackets and a leading + are removed (E.164 allows at most 15 digits).
PHONE = re.compile(r"^[0-9]{8,15}$")
PHONE_PUNCTUATION = re.compile(r"[\s().+-]")


class InstanceError(Refusal):
    """A request about instances that cannot be carried out; the message says why."""


class InstanceConflict(InstanceError):
    """A request that does not fit the instance's current state or mode (HTTP 409)."""


def parse_mode(value: object) -> DeliveryMode:
    try:
        return DeliveryMode(value)
    except ValueError:
        raise InstanceError("mode must be one of none, webhook, websocket.") from None


def create_instance(manager: ConnectionManager, tenant_id: int, server: ProviderServer, name: str,
                    mode: DeliveryMode, choice: WebhookChoice, websocket_events: list[str] | None) -> Instance:
    """Create on the provider with the chosen mode's block (the only one: blocks are stored enabled)."""
    if not NAME.match(name or ""):
        raise InstanceError("name must be {rule}.", rule=Message(NAME_RULE, limit=lengths.INSTANCE_NAME))
    clash = db.session.execute(db.select(Instance.name).where(
        ((Instance.tenant_id == tenant_id) & (Instance.name == name))
        | ((Instance.server_id == server.id) & (func.lower(Instance.name) == name.lower())))).scalar()
    if clash:
        raise InstanceError('An instance named "{name}" already exists.', name=clash)
    if mode is DeliveryMode.WEBSOCKET and not manager.websocket_enabled:
        raise InstanceError("WebSocket delivery is turned off on this gateway (WEBSOCKET_ENABLED=false).")
    # Not in the session (a backref does not cascade): nothing is written until the provider has the instance.
    instance = Instance(tenant_id=tenant_id, server=server, name=name, webhook_secret=new_webhook_secret(),
                        webhook_base64=True if choice.base64 is None else choice.base64,
                        webhook_by_events=bool(choice.by_events),
                        delivery_mode=mode.value, connection_state=ConnectionState.CLOSE.value)
    instance.webhook_events = selection(instance, choice.events)
    if choice.retries is not None:
        store_retries(instance, retry_choice(instance, choice.retries))
    instance.websocket_events = selection(instance, websocket_events)
    channels_of(instance).create(mode.value)
    db.session.add(instance)
    audit.record("instance.create", name, None, audit.delivery(instance), tenant_id=tenant_id)
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
    known = {name.lower() for name in db.session.execute(
        db.select(Instance.name).where(Instance.server_id == server.id)).scalars()}
    remote = [item.name for item in provider(server).fetch_instances()]
    missing = sorted(set(names or ()) - set(remote))
    if missing:
        raise InstanceError("Not on the server: {names}.", names=", ".join(missing))
    wanted = []
    for name in remote:
        # Names this gateway cannot hold (too long, or a case-only twin of one it has) stay unmanaged.
        if (names is None or name in names) and name.lower() not in known and len(name) <= lengths.INSTANCE_NAME:
            known.add(name.lower())
            wanted.append(name)
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
    return _keep_qr(manager, instance, provider(instance.server).connect(instance.name))


def pairing_code(manager: ConnectionManager, instance: Instance, number: object) -> dict:
    """Connect by phone number: the provider answers a code to type in WhatsApp instead of a scan.

    Evolution pairs by code only when connecting starts from closed; an instance already
    showing a QR keeps its QR-only session, so the caller is told to disconnect it first.
    """
    digits = PHONE_PUNCTUATION.sub("", number) if isinstance(number, str) else ""
    if not PHONE.match(digits):
        raise InstanceError("number must be the phone number with its country code, 8 to 15 digits "
                            "(e.g. +55 11 99999-0000).")
    if instance.connection_state == ConnectionState.OPEN.value:
        raise InstanceConflict('"{name}" is already connected.', name=instance.name)
    answer = _keep_qr(manager, instance, provider(instance.server).connect(instance.name, number=digits))
    if not answer["pairingCode"]:
        raise InstanceConflict('"{name}" is already waiting for a QR scan, and a pairing code is only '
                               "given when connecting starts. Disconnect the number, then ask again.", name=instance.name)
    return answer


def _keep_qr(manager: ConnectionManager, instance: Instance, qr) -> dict:
    """Store the QR the provider answered (pages show it at once) and return it as the API does."""
    if qr.base64:
        instance.qr_code, instance.qr_pairing_code, instance.qr_updated_at = qr.base64, qr.pairing_code, utcnow()
        instance.connection_state = ConnectionState.CONNECTING.value
        db.session.commit()
        manager.announce(instance.tenant_id, instance.id)
    return {"count": qr.count, "code": qr.code, "base64": qr.base64, "pairingCode": qr.pairing_code}


def reconnect_socket(manager: ConnectionManager, instance: Instance) -> dict | None:
    """Drop the instance's socket to the provider and open a new one; its status afterwards."""
    if instance.mode is not DeliveryMode.WEBSOCKET:
        raise InstanceConflict('"{name}" is in {mode} mode; only an instance in websocket mode has a socket '
                               "to reconnect.", name=instance.name, mode=instance.delivery_mode)
    manager.listeners.restart(instance.id)
    manager.announce(instance.tenant_id, instance.id)
    return manager.listeners.status_of(instance.id)


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
    _remove_here(manager, instance, "instance.delete")


def forget(manager: ConnectionManager, instance: Instance) -> None:
    """Delete the instance here only, with its events; the provider is never called.

    For an instance whose server is gone or down: the provider keeps whatever it has, and a
    webhook it still sends finds no instance here (404).
    """
    _remove_here(manager, instance, "instance.forget")


def _remove_here(manager: ConnectionManager, instance: Instance, action: str) -> None:
    """The socket stops once the deletion is committed: a reconcile reading the database in between
    would find the instance still wanting the socket it lacks, and open it again."""
    tenant_id, instance_id = instance.tenant_id, instance.id
    audit.record(action, instance.name, audit.delivery(instance), None, tenant_id=tenant_id)
    db.session.delete(instance)
    db.session.commit()
    manager.listeners.stop(instance_id)
    manager.announce(tenant_id, instance_id)
