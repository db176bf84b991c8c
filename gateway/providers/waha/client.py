"""Client for the WAHA REST interface; for now only the key check."""
from __future__ import annotations

from ..http import HttpClient


class WahaClient:
    """One WAHA server, called with its `X-Api-Key`."""

    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0):
        self.http = HttpClient(base_url, {"X-Api-Key": api_key}, api_key, timeout)

    def check(self) -> list[dict]:
        """Prove the server answers and takes the key; returns its sessions."""
        return self.http.call("GET", "/api/sessions") or []
