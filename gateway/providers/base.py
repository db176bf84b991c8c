"""The one interface every provider package implements, so that the rest of the gateway never asks which one it is.

A provider package (gateway/providers/evolution, gateway/providers/waha) offers:
- a REST client (life cycle, QR, pairing code, state, logout, delete) made by `client()`;
- its event catalogue, normaliser, facts and de-duplication key;
- its delivery channels (`channels()`): how to turn webhook and websocket on and off, each a
  call the manager can undo, and how to read the truth back;
- what one of its servers offers (`features()`: the events its version emits, webhook options,
  websocket delivery, a retry policy) and an operator's retry policy checked against it (`retry_policy()`);
- its webhook proof (`webhook_proof()`), catch-up source, and its socket: where it is and how it
  authenticates (`socket_address()`), and how an instance's events arrive on it: in the instance's
  namespace (`instance_namespace()`), or on the server's one socket (`socket_client()`), each frame
  naming its instance (`frame_instance()`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple, Protocol

from ..i18n import Message
from ..models import RetryShape
from .normalized import Facts, NormalizedEvent


class EventGroup(NamedTuple):
    """One group of the event picker: a key, a human label, and (provider's name, human label) pairs.

    Every provider offers a catalogue of this shape (a tuple of groups), so the connection modal
    renders any provider's events without knowing its names.
    """

    key: str
    label: str
    events: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Summary:
    """One human line per event for the monitor and its export: who sent it and what it says."""

    sender: str = ""
    text: str = ""


@dataclass(frozen=True)
class Catalogue:
    """The events an operator may select on a provider, in its own spelling."""

    events: tuple[str, ...]
    # The selection while the operator chose none, and the events the gateway always needs.
    default: tuple[str, ...]
    control: tuple[str, ...]
    # Names in any accepted spelling -> the provider's spelling; ValueError for an unknown one.
    select: Callable[[Iterable[str]], tuple[str, ...]]
    # The same events grouped and labelled for people (the connection modal's picker).
    groups: tuple[EventGroup, ...] = ()


@dataclass(frozen=True)
class RetryPolicy:
    """How a provider retries a webhook delivery that failed: the delays' shape, the first delay, how many retries."""

    shape: RetryShape
    delay_seconds: float
    attempts: int

    def as_json(self) -> dict:
        """The shape the API shows and takes (WAHA's own spelling, the one provider that has such a policy)."""
        return {"policy": self.shape.value, "delaySeconds": self.delay_seconds, "attempts": self.attempts}


@dataclass(frozen=True)
class Features:
    """What one server of a provider offers an instance: the connection modal shows these and nothing else."""

    # The events this server (its version) emits: the picker offers these, a selection may hold no other.
    events: Catalogue
    # Webhook options by name: base64, by_events, signed, restarts_session.
    webhook_options: frozenset[str]
    # Why websocket delivery is not offered on this server, in words; None when it is.
    websocket_refused: Message | None = None
    # The retry policy the gateway asks for while the operator chose none; None when there is none to set.
    retries: RetryPolicy | None = None


@dataclass(frozen=True)
class DeliverySettings:
    """What the provider should hold for one instance, derived from the instance's stored choices."""

    name: str
    webhook_url: str = field(repr=False)
    secret: str = field(repr=False)
    webhook_events: tuple[str, ...]
    websocket_events: tuple[str, ...]
    base64: bool = False
    by_events: bool = False
    # The operator's retry policy; None asks for the provider's default (Features.retries).
    retries: RetryPolicy | None = None


@dataclass(frozen=True)
class ServerInfo:
    """What a key check learns: the server's version and how many instances it holds."""

    version: str | None
    instances: int


@dataclass(frozen=True)
class QrCode:
    """A QR to scan as a connect answers it: Evolution says only `count` until it has a code."""

    count: int | None = None
    code: str | None = None
    base64: str | None = None
    pairing_code: str | None = None


@dataclass(frozen=True)
class ProviderStatus:
    """A connection state in the gateway's words (None when the provider says nothing) and the provider's word."""

    state: str | None
    word: str | None


@dataclass(frozen=True)
class WebhookProof:
    """What a webhook request offers as proof; `matches(secret)` compares in constant time."""

    path_event: str | None
    matches: Callable[[str], bool]


@dataclass(frozen=True)
class SocketAddress:
    """Where a provider server's socket listens and how it authenticates its handshake.

    The connections core opens it without knowing the provider: `url` (the socket.io server, or the
    whole WebSocket URL, query included, for a plain WebSocket), `headers` sent with the handshake,
    socket.io's `path`, and `secret`, the credential in any of them, which errors must never show.
    """

    url: str = field(repr=False)
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    path: str = "socket.io"
    secret: str = field(default="", repr=False)

    def masked(self, text: str) -> str:
        """`text` with the secret replaced, for last_error and log lines."""
        return text.replace(self.secret, "***") if self.secret else text


class WebhookRefused(Exception):
    """A webhook request without the proof the provider's scheme requires (401), or on no webhook path (404)."""

    def __init__(self, message: str, status: int = 401):
        super().__init__(message)
        self.status = status


class Channels(Protocol):
    """One instance's delivery channels on its provider; every call raises ProviderError on failure."""

    def create(self, mode: str) -> None: ...
    def enable_webhook(self) -> None: ...
    def disable_webhook(self) -> None: ...
    def enable_websocket(self) -> None: ...
    def disable_websocket(self) -> None: ...
    def diagnose(self, mode: str) -> list[str]: ...
    def webhook_view(self) -> dict | None: ...


class Provider(Protocol):
    kind: str
    # Every event the provider emits in any version (stored names, the events list); a server's own
    # events are its Features.events.
    catalogue: Catalogue
    # Stream frame names that say more than the plain rule (`message` -> `message_received`).
    frame_names: Mapping[str, str]

    def features(self, server: Any) -> Features: ...
    # An operator's retry policy (API shape), fields left out taken from Features.retries; ValueError
    # in words when the value is wrong or the server has no retry policy to set.
    def retry_policy(self, server: Any, given: Any) -> RetryPolicy: ...
    def client(self, base_url: str, api_key: str, timeout: float) -> Any: ...
    def normalize(self, envelope: Any, path_event: str | None = None) -> NormalizedEvent: ...
    def facts(self, event: NormalizedEvent) -> Facts: ...
    def dedupe_key(self, event: NormalizedEvent) -> str: ...
    # Stored envelopes: whose they are, where their data is, and a line for people.
    def owns(self, payload: dict) -> bool: ...
    def event_data(self, payload: dict) -> Any: ...
    def summary(self, name: str, payload: dict) -> Summary: ...
    def canonical_name(self, raw: str) -> str | None: ...
    def webhook_url(self, public_url: str, secret: str, server: Any) -> str: ...
    def webhook_proof(self, rest: str, headers: Mapping[str, str], raw: bytes) -> WebhookProof: ...
    def channels(self, client: Any, settings: DeliverySettings, server: Any) -> Channels: ...
    # The server's socket: its URL and handshake credentials (shared by every client kind of the provider).
    def socket_address(self, server: Any) -> SocketAddress: ...
    # The instance's socket.io namespace, joined on the server's one connection (multiplex.ServerSocket);
    # None when the server's one socket (socket_client) carries every instance, routed by frame_instance.
    def instance_namespace(self, server: Any, instance: str) -> str | None: ...
    def socket_client(self, server: Any, on_event: Callable, on_join: Callable, backoff: Any) -> Any: ...
    def frame_instance(self, data: Any) -> str | None: ...
    def probe_socket(self, server: Any, name: str, spawn: Callable, timeout: float = 10.0) -> dict: ...
    # Catch-up source: what the provider can give back since a moment, and its state now, as envelopes.
    def missed(self, client: Any, name: str, since_timestamp: int) -> list[dict]: ...
    def state_now(self, client: Any, name: str) -> list[dict]: ...
