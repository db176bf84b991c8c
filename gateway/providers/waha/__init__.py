"""Everything the gateway knows about WAHA, behind the provider interface (providers/base.py)."""
from __future__ import annotations

from .client import WahaClient


class WahaProvider:
    kind = "waha"
    frame_names: dict[str, str] = {}

    @staticmethod
    def client(base_url: str, api_key: str, timeout: float) -> WahaClient:
        return WahaClient(base_url, api_key, timeout=timeout)

    @staticmethod
    def canonical_name(raw: str) -> str | None:
        return None


WAHA = WahaProvider()
