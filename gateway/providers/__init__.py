"""Provider clients, shared per server so that every caller reuses one HTTP session."""
from __future__ import annotations

import threading

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
