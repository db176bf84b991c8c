"""Registering provider servers: validate the input, prove the key works, store it."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from . import audit
from .extensions import db
from .logs import mask, register_secret
from .models import ProviderKind, ProviderServer
from .presenters import iso
from .providers import client_for
from .providers.errors import ProviderError
from .providers.evolution import EvolutionClient
from .providers.waha import WahaClient
from .text import name_problem

# ProviderServer's columns: name, and base_url and api_key.
NAME_LENGTH = 120
TEXT_LENGTH = 500


class ServerError(ValueError):
    """A server that cannot be registered; the message is safe to show (it never holds the key)."""


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
    kind = data.get("kind")
    api_key = data.get("api_key")
    global_events = data.get("global_events", False)
    name = data.get("name") or ""
    kinds = [k.value for k in ProviderKind]
    if kind not in kinds:
        raise ServerError(f"kind must be one of {', '.join(kinds)}.")
    base_url = _base_url(data.get("base_url"))
    if not isinstance(api_key, str) or not api_key.strip():
        raise ServerError("api_key is required.")
    _check_text("api_key", api_key)
    if not isinstance(global_events, bool):
        raise ServerError("global_events must be true or false.")
    if not isinstance(name, str):
        raise ServerError("name must be a string.")
    _check_text("name", name, NAME_LENGTH)
    return ServerInput(kind, base_url, api_key.strip(), global_events, name.strip() or urlsplit(base_url).netloc)


def _base_url(value) -> str:
    """An http(s) URL with a host, which the column holds and requests can call."""
    refused = ServerError("base_url must be an http:// or https:// URL with a host (and a valid port).")
    if not isinstance(value, str):
        raise refused
    _check_text("base_url", value)
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (parsing the port is what raises for "http://[::1" or ":99999")
    except ValueError:
        raise refused from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in value):
        raise refused
    return value.rstrip("/")


def _check_text(field: str, value: str, length: int = TEXT_LENGTH) -> None:
    problem = name_problem(field, value, length)
    if problem is not None:
        raise ServerError(problem + ".")


def check_credentials(server: ServerInput) -> None:
    """Call the server with the key; unreachable or refused means it is not registered."""
    timeout = current_app.config["PROVIDER_TIMEOUT"]
    client_class = EvolutionClient if server.kind == ProviderKind.EVOLUTION.value else WahaClient
    try:
        client_class(server.base_url, server.api_key, timeout=timeout).check()
    except ProviderError as error:
        raise ServerError(f"The server at {server.base_url} did not accept the key: {error.message}") from error


def register_server(data: dict) -> ProviderServer:
    server_input = parse_server(data)
    register_secret(server_input.api_key)
    if db.session.execute(db.select(ProviderServer.id).where(
            ProviderServer.base_url == server_input.base_url)).first():
        raise ServerError(f"A server at {server_input.base_url} is already registered.")
    check_credentials(server_input)
    server = ProviderServer(**vars(server_input))
    db.session.add(server)
    audit.record("server.create", server.base_url, None, server_settings(server))
    db.session.commit()
    return server


def server_settings(server: ProviderServer) -> dict:
    """What the audit log keeps of a server: its settings, the key only as its masked hint."""
    return {"name": server.name, "kind": server.kind, "base_url": server.base_url,
            "global_events": server.global_events, "api_key_hint": mask(server.api_key)}


def server_json(server: ProviderServer) -> dict:
    """The server as the API shows it: the key only ever as a masked hint."""
    return {
        "id": server.id,
        "name": server.name,
        "kind": server.kind,
        "base_url": server.base_url,
        "global_events": server.global_events,
        "api_key_hint": mask(server.api_key),
        "created_at": iso(server.created_at),
    }
