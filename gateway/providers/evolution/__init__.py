"""Everything the gateway knows about Evolution API 2.3.6, behind the provider interface (providers/base.py)."""
from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping

from ...i18n import Refusal
from ..base import (
    Catalogue, DeliverySettings, Features, RetryPolicy, SocketAddress, Summary, WebhookProof, WebhookRefused,
)
from . import catchup, dedupe, probe
from .summary import summary as evolution_summary
from . import normalize as evolution_normalize
from .channels import SECRET_HEADER, WEBHOOK_PATH, EvolutionChannels
from .client import EvolutionClient
from .events import EMITTED_EVENTS, EVOLUTION_CATALOGUE, EVOLUTION_EVENTS, evolution_selection

# The seed's selection when the operator never chose one.
DEFAULT_EVENTS = ("MESSAGES_UPSERT", "MESSAGES_UPDATE")
# The gateway itself needs these to show QR codes and connection state, whatever is selected.
CONTROL_EVENTS = ("QRCODE_UPDATED", "CONNECTION_UPDATE", "LOGOUT_INSTANCE")


def _same(secret: str, given: str) -> bool:
    """Compared in constant time; a URL may decode to any text, so encode it losslessly first."""
    return hmac.compare_digest(secret.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass"))


class EvolutionProvider:
    kind = "evolution"
    catalogue = Catalogue(EVOLUTION_EVENTS, DEFAULT_EVENTS, CONTROL_EVENTS, evolution_selection, EVOLUTION_CATALOGUE)
    frame_names = evolution_normalize.FRAME_NAMES

    @staticmethod
    def features(server) -> Features:
        """Every event, Base64 media and by-events URLs; no per-instance retry policy (the server's own is fixed)."""
        return Features(EvolutionProvider.catalogue, webhook_options=frozenset({"base64", "by_events"}))

    @staticmethod
    def retry_policy(server, given) -> RetryPolicy:
        raise Refusal("Evolution API has no per-instance webhook retry policy: the server retries on its own "
                      "(5 s doubling, 10 attempts).")

    @staticmethod
    def client(base_url: str, api_key: str, timeout: float) -> EvolutionClient:
        return EvolutionClient(base_url, api_key, timeout=timeout)

    normalize = staticmethod(evolution_normalize.normalize_evolution)
    facts = staticmethod(evolution_normalize.facts)
    dedupe_key = staticmethod(dedupe.dedupe_key)

    @staticmethod
    def summary(name: str, payload: dict) -> Summary:
        return evolution_summary(name, payload.get("data"))

    @staticmethod
    def owns(payload: dict) -> bool:
        """A stored Evolution envelope names its `instance` and carries `data`."""
        return "instance" in payload and "session" not in payload

    @staticmethod
    def event_data(payload: dict):
        return payload.get("data")

    @staticmethod
    def canonical_name(raw: str) -> str | None:
        """The emitted spelling when Evolution emits such an event; None otherwise."""
        name = evolution_normalize.canonical_name(raw)
        return name if name in EMITTED_EVENTS else None

    @staticmethod
    def webhook_url(public_url: str, secret: str, server=None) -> str:
        return f"{public_url}{WEBHOOK_PATH}/{secret}"

    @staticmethod
    def webhook_proof(rest: str, headers: Mapping[str, str], raw: bytes) -> WebhookProof:
        """`<secret>[/<event>]` from the path, or the header's secret on the bare path; nothing else.

        Evolution signs nothing and sends the secret both ways. When the path has one it is the one
        checked, a header that says otherwise is refused, and a by-events suffix comes only after it.
        """
        header = headers.get(SECRET_HEADER)
        if not rest:
            if header is None:
                raise WebhookRefused(f"The webhook secret is missing (in the URL or the {SECRET_HEADER} header).")
            given, path_event = header, None
        else:
            parts = rest.split("/")
            if len(parts) > 2 or not all(parts):
                raise WebhookRefused(f"Not a webhook path: post to {WEBHOOK_PATH}/<secret> or "
                                     f"{WEBHOOK_PATH}/<secret>/<event>.", 404)
            if header is not None and not _same(header, parts[0]):
                raise WebhookRefused(f"The {SECRET_HEADER} header and the secret in the URL differ.")
            given, path_event = parts[0], parts[1] if len(parts) == 2 else None
        return WebhookProof(path_event, lambda secret: _same(secret, given))

    @staticmethod
    def channels(client: EvolutionClient, settings: DeliverySettings, server=None) -> EvolutionChannels:
        return EvolutionChannels(client, settings)

    @staticmethod
    def socket_address(server) -> SocketAddress:
        """Evolution's socket.io server is the REST server; its handshake takes the global key in `apikey`
        (websocket.controller.ts, allowRequest)."""
        return SocketAddress(server.base_url, {"apikey": server.api_key}, secret=server.api_key)

    @staticmethod
    def instance_namespace(server, instance: str) -> str | None:
        """Every instance is a namespace of the server's one socket.io server, so they share a connection;
        a WEBSOCKET_GLOBAL_EVENTS server carries every instance on the root namespace instead."""
        return None if server.global_events else f"/{instance}"

    @staticmethod
    def socket_client(server, on_event: Callable, on_join: Callable, backoff):
        """A socket.io client on the root namespace of a global-events server."""
        from ...connections.socket_client import Endpoint, SocketClient  # it imports the core, which imports us

        return SocketClient(Endpoint(EvolutionProvider.socket_address(server), "/", f"global:{server.name}"),
                            on_event, on_join, backoff)

    @staticmethod
    def probe_socket(server, name: str, spawn: Callable, timeout: float = 10.0) -> dict:
        namespace = EvolutionProvider.instance_namespace(server, name) or "/"
        return probe.probe_socket(EvolutionProvider.socket_address(server), namespace, name, spawn, timeout)

    @staticmethod
    def frame_instance(data) -> str | None:
        name = data.get("instance") if isinstance(data, dict) else None
        return name if isinstance(name, str) else None

    missed = staticmethod(catchup.missed)
    state_now = staticmethod(catchup.state_now)


EVOLUTION = EvolutionProvider()
