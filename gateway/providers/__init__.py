"""The provider registry: ProviderKind -> the package that knows that provider, and shared clients per server.

Nothing outside gateway/providers asks which provider an instance is on; it asks the registry for
the instance's provider and calls the interface of providers/base.py.
"""
from __future__ import annotations

import threading
from typing import Any

from .base import Provider, Summary
from .evolution import EVOLUTION
from .evolution.normalize import canonical_name as evolution_canonical_name
from .waha import WAHA

PROVIDERS: dict[str, Provider] = {provider.kind: provider for provider in (EVOLUTION, WAHA)}

_clients: dict[tuple[str, str, str, float], Any] = {}
_lock = threading.Lock()


def provider_for(kind: str) -> Provider:
    """The provider package for a ProviderKind value; KeyError for an unknown kind."""
    return PROVIDERS[kind]


def client_for(server, timeout: float = 10.0):
    """The client for a ProviderServer (anything with kind, base_url and api_key), made once."""
    key = (server.kind, server.base_url.rstrip("/"), server.api_key, timeout)
    with _lock:
        if key not in _clients:
            _clients[key] = provider_for(server.kind).client(server.base_url, server.api_key, timeout)
        return _clients[key]


def canonical_event_name(raw: str) -> str:
    """A stored event name from any provider's spelling; an unknown one follows Evolution's rule, the loosest."""
    for provider in PROVIDERS.values():
        name = provider.canonical_name(raw)
        if name is not None:
            return name
    return evolution_canonical_name(raw)


def _provider_of_payload(payload: dict) -> Provider:
    """The provider whose stored envelope this is (rows do not say; their shapes do)."""
    return next((p for p in PROVIDERS.values() if p.owns(payload)), EVOLUTION)


def event_data(payload: dict) -> Any:
    """The event's own data inside a stored envelope (Evolution's `data`, WAHA's `payload`)."""
    return _provider_of_payload(payload).event_data(payload) if isinstance(payload, dict) else None


def event_summary(name: str, payload: dict) -> Summary:
    """Who sent a stored event and what it says (the monitor and its export)."""
    return _provider_of_payload(payload).summary(name, payload) if isinstance(payload, dict) else Summary()


_FRAME_NAMES = {name: frame for provider in PROVIDERS.values() for name, frame in provider.frame_names.items()}


def stream_frame_name(event: str) -> str:
    """The frame name programs see: `whatsapp:` and the event with dots and dashes as underscores,
    unless the event's provider names it better (`messages.upsert` and `message` -> `message_received`)."""
    return "whatsapp:" + _FRAME_NAMES.get(event, event.replace(".", "_").replace("-", "_").lower())

