"""Provider servers: register, edit and delete them, proving the key works before it is stored."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from . import audit, lengths
from .admin_input import InputError, server_fields
from .connections.desired import SOCKET_SETTINGS
from .extensions import db
from .logs import mask, register_secret
from .models import DeliveryMode, Instance, ProviderServer
from .presenters import iso
from .providers import client_for, provider_for
from .providers.errors import ProviderError


class ServerError(InputError):
    """A server that cannot be registered or changed; the message is safe to show (never the key)."""


class ServerInUse(ServerError):
    """A server that instances still use (409); the message says how to go on."""


@dataclass(frozen=True)
class ServerInput:
    kind: str
    base_url: str
    api_key: str
    global_events: bool = False
    name: str = ""


def provider(server: ProviderServer):
    """The shared client for a registered server, with the configured timeout."""
    register_secret(server.api_key)
    return client_for(server, timeout=current_app.config["PROVIDER_TIMEOUT"])


def parse_server(data: dict) -> ServerInput:
    """Check the shape of a registration request before anything touches the network."""
    fields = server_fields(data, partial=False)
    # A long host name makes a default that must still fit the column.
    fields.setdefault("name", urlsplit(fields["base_url"]).netloc[:lengths.SERVER_NAME])
    return ServerInput(**fields)


def check_credentials(server: ServerInput | ProviderServer) -> str | None:
    """Call the server with the key; unreachable or refused means it is not registered. Its version."""
    register_secret(server.api_key)
    # A client of its own, not the shared one: a refused key must not stay cached.
    timeout = current_app.config["PROVIDER_TIMEOUT"]
    try:
        return provider_for(server.kind).client(server.base_url, server.api_key, timeout).check().version
    except ProviderError as error:
        raise ServerError("The server at {url} did not accept the key: {message}",
                          url=server.base_url, message=error.message) from error


def _refuse_taken_url(base_url: str, server_id: int | None = None) -> None:
    if db.session.execute(db.select(ProviderServer.id).where(
            ProviderServer.base_url == base_url, ProviderServer.id != (server_id or 0))).first():
        raise ServerError("A server at {url} is already registered.", url=base_url)


def register_server(data: dict) -> ProviderServer:
    server_input = parse_server(data)
    _refuse_taken_url(server_input.base_url)
    version = check_credentials(server_input)
    server = ProviderServer(**vars(server_input), version=version)
    db.session.add(server)
    audit.record("server.create", server.base_url, None, server_settings(server))
    db.session.commit()
    return server


def server_settings(server: ProviderServer) -> dict:
    """What the audit log keeps of a server: its settings, the key only as its masked hint."""
    return {"name": server.name, "kind": server.kind, "base_url": server.base_url,
            "global_events": server.global_events, "api_key_hint": mask(server.api_key)}
def update_server(manager, server: ProviderServer, data: dict) -> ProviderServer:
    """Change name, URL, key or the global-events flag; a new URL or key is proven first.

    A name or flag change makes no call, so a server that is down can still be edited. Socket
    clients hold the URL, the key and the kind of socket (one per instance or one for the server):
    when any of these change, the server's websocket-mode instances are connected again, here at once,
    and by every other process that holds some when it hears of the commit (gateway/changes.py) and
    finds the server's fingerprint moved (gateway/connections/desired.py).
    """
    fields = server_fields(data, partial=True)
    if fields.get("kind", server.kind) != server.kind:
        raise ServerError("kind cannot be changed: register the other server instead.")
    fields.pop("kind", None)
    if "base_url" in fields:
        _refuse_taken_url(fields["base_url"], server.id)
    wanted = ServerInput(server.kind, fields.get("base_url", server.base_url), fields.get("api_key", server.api_key))
    if (wanted.base_url, wanted.api_key) != (server.base_url, server.api_key):
        check_credentials(wanted)
    reconnect = any(fields.get(key, getattr(server, key)) != getattr(server, key) for key in SOCKET_SETTINGS)
    before = server_settings(server)
    for key, value in fields.items():
        setattr(server, key, value)
    audit.record("server.update", server.base_url, before, server_settings(server))
    db.session.commit()
    if reconnect:
        _reconnect_sockets(manager, server)
    return server


def _reconnect_sockets(manager, server: ProviderServer) -> None:
    """The server's websocket-mode instances, opened again by this process's socket layer."""
    manager.listeners.reopen(db.session.execute(db.select(Instance.id).where(
        Instance.server_id == server.id, Instance.delivery_mode == DeliveryMode.WEBSOCKET.value)).scalars().all())


def delete_server(manager, server: ProviderServer, tenant_id: int | None, forget_instances: bool) -> list[str]:
    """Delete the server here; its instances only with `forget_instances` (never on the provider).

    `tenant_id` is the caller's tenant: instances of other tenants are never forgotten from a
    tenant's screen (None, from the command line, forgets every tenant's). Returns the names forgotten.
    """
    from .instances import forget  # instances.py builds on this module

    instances = list(server.instances)
    others = [i for i in instances if tenant_id is not None and i.tenant_id != tenant_id]
    if others:
        raise ServerInUse("Server {name} is used by {count} instance(s) of other tenants; "
                          "it cannot be deleted from here.", name=server.name, count=len(others))
    if instances and not forget_instances:
        names = ", ".join(sorted(i.name for i in instances))
        raise ServerInUse("Server {name} is used by {count} instance(s): {names}. "
                          "Confirm to forget them here (they stay on the provider).",
                          name=server.name, count=len(instances), names=names)
    for instance in instances:
        forget(manager, instance)
    audit.record("server.delete", server.base_url, server_settings(server), None)
    db.session.delete(server)
    db.session.commit()
    return sorted(i.name for i in instances)


def server_json(server: ProviderServer) -> dict:
    """The server as the API shows it: the key only ever as a masked hint."""
    return {
        "id": server.id,
        "name": server.name,
        "kind": server.kind,
        "base_url": server.base_url,
        "global_events": server.global_events,
        "version": server.version,
        "api_key_hint": mask(server.api_key),
        "created_at": iso(server.created_at),
    }
