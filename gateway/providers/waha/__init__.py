"""Everything the gateway knows about WAHA (Core 2024.10.8 and 2026.2.1), behind the provider interface."""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Mapping
from urllib.parse import urlencode

from ...i18n import Refusal
from ..base import DeliverySettings, Features, RetryPolicy, SocketAddress, WebhookProof, WebhookRefused
from . import catchup, retries
from . import normalize as waha_normalize
from .channels import WEBHOOK_PATH, WahaChannels, webhook_url, websocket_refusal
from .client import WahaClient
from .events import WAHA_EVENTS, catalogue as version_catalogue
from .versions import signs

HMAC_HEADER = "X-Webhook-Hmac"


def _hmac_matches(raw: bytes, given: str) -> Callable[[str], bool]:
    """HMAC-SHA512 hex of the exact raw body with the instance's key, compared in constant time."""
    offered = given.strip().lower().encode("ascii", "replace")
    return lambda secret: hmac.compare_digest(hmac.new(secret.encode(), raw, hashlib.sha512).hexdigest().encode(),
                                              offered)


class WahaProvider:
    kind = "waha"
    # A current server emits every event of every version.
    catalogue = version_catalogue(None)
    frame_names = waha_normalize.FRAME_NAMES

    @staticmethod
    def features(server) -> Features:
        """No Base64 switch and no by-events URLs (WAHA has neither); events, signing, retries and /ws by version."""
        signing = signs(server.version)
        return Features(version_catalogue(server.version),
                        webhook_options=frozenset({"restarts_session", *(("signed",) if signing else ())}),
                        websocket_refused=websocket_refusal(server.version),
                        retries=retries.DEFAULT if signing else None)

    @staticmethod
    def retry_policy(server, given) -> RetryPolicy:
        if not signs(server.version):
            raise Refusal("WAHA {version} never retries a webhook delivery (it takes the setting and ignores it): "
                          "there is no retry policy to set on this server.", version=server.version)
        return retries.chosen(given)

    @staticmethod
    def client(base_url: str, api_key: str, timeout: float) -> WahaClient:
        return WahaClient(base_url, api_key, timeout=timeout)

    normalize = staticmethod(waha_normalize.normalize_waha)
    facts = staticmethod(waha_normalize.facts)
    dedupe_key = staticmethod(waha_normalize.dedupe_key)
    summary = staticmethod(waha_normalize.summary)

    @staticmethod
    def owns(payload: dict) -> bool:
        """A stored WAHA envelope names its `session` and carries `payload`."""
        return "session" in payload

    @staticmethod
    def event_data(payload: dict):
        return payload.get("payload")

    @staticmethod
    def canonical_name(raw: str) -> str | None:
        name = raw.strip().lower()
        return name if name in WAHA_EVENTS else None

    @staticmethod
    def webhook_url(public_url: str, secret: str, server) -> str:
        return webhook_url(public_url, secret, server.version)

    @staticmethod
    def webhook_proof(rest: str, headers: Mapping[str, str], raw: bytes) -> WebhookProof:
        """A signature of the body (signing versions) or the secret in the URL (2024.10.8); both when both came."""
        parts = [part for part in rest.split("/") if part]
        signature = headers.get(HMAC_HEADER)
        if len(parts) > 1:
            raise WebhookRefused("Unknown WAHA webhook path.")
        checks = []
        if signature is not None:
            checks.append(_hmac_matches(raw, signature))
        if parts:
            offered = parts[0].encode("utf-8", "surrogatepass")
            checks.append(lambda secret: hmac.compare_digest(secret.encode(), offered))
        if not checks:
            raise WebhookRefused(f"The webhook is not signed ({HMAC_HEADER} is missing).")
        return WebhookProof(None, lambda secret: all(check(secret) for check in checks))

    @staticmethod
    def channels(client: WahaClient, settings: DeliverySettings, server) -> WahaChannels:
        return WahaChannels(client, settings, server)

    @staticmethod
    def socket_address(server) -> SocketAddress:
        """The whole /ws URL, every session and event asked for; the key travels in its `x-api-key` query
        (2026.x reads it nowhere else), so the URL is as secret as the key."""
        scheme, rest = server.base_url.split("://", 1)
        query = urlencode({"session": "*", "events": "*", "x-api-key": server.api_key})
        return SocketAddress(f"{'wss' if scheme == 'https' else 'ws'}://{rest.rstrip('/')}/ws?{query}",
                             secret=server.api_key)

    @staticmethod
    def instance_namespace(server, instance: str) -> None:
        """WAHA has no per-instance namespaces: Core ignores /ws's `session`, so one socket per server
        carries every session."""
        return None

    @staticmethod
    def socket_client(server, on_event: Callable, on_join: Callable, backoff):
        from ...connections.socket_client import Endpoint  # it imports the core, which imports us
        from .socket import WahaSocketClient

        return WahaSocketClient(Endpoint(WahaProvider.socket_address(server), "/ws", f"waha:{server.name}"),
                                on_event, on_join, backoff)

    @staticmethod
    def probe_socket(server, name: str, spawn, timeout: float = 10.0) -> dict:
        from .socket import probe  # it imports the core, which imports us

        return probe(WahaProvider.socket_address(server), name, spawn, timeout)

    @staticmethod
    def frame_instance(data) -> str | None:
        name = data.get("session") if isinstance(data, dict) else None
        return name if isinstance(name, str) else None

    missed = staticmethod(catchup.missed)
    state_now = staticmethod(catchup.state_now)


WAHA = WahaProvider()
__all__ = ["WAHA", "WEBHOOK_PATH"]
