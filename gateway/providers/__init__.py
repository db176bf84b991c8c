"""Provider clients (shared per server so that every caller reuses one HTTP session) and event catalogues."""
from __future__ import annotations

import threading

from .events import EVOLUTION_CATALOGUE, EventGroup
from .evolution import EvolutionClient
from .waha import WahaClient

_clients: dict[tuple[str, str, str, float], EvolutionClient | WahaClient] = {}
_lock = threading.Lock()


def client_for(server, timeout: float = 10.0) -> EvolutionClient | WahaClient:
    """The client for a ProviderServer (anything with kind, base_url and api_key), made once."""
    key = (server.kind, server.base_url.rstrip("/"), server.api_key, timeout)
    with _lock:
        if key not in _clients:
            client_class = WahaClient if server.kind == "waha" else EvolutionClient
            _clients[key] = client_class(server.base_url, server.api_key, timeout=timeout)
        return _clients[key]


# The event picker's catalogue for each provider kind; a kind without one shows no picker.
EVENT_CATALOGUES: dict[str, tuple[EventGroup, ...]] = {"evolution": EVOLUTION_CATALOGUE}


def event_catalogue(kind: str) -> tuple[EventGroup, ...]:
    """The groups of selectable events a provider kind offers (empty when it offers none)."""
    return EVENT_CATALOGUES.get(kind, ())
