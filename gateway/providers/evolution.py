"""Client for the Evolution API 2.3.6 REST interface, with its traps handled once, here.

Set bodies are nested and camelCase, events are UPPER_SNAKE and always sent, and every set is
read back, because the server silently ignores or rewrites what it does not understand.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, ClassVar

from .errors import ProviderMismatch
from .events import evolution_selection, same_selection
from .http import HttpClient, segment

INTEGRATION = "WHATSAPP-BAILEYS"
# fetchMessages' page size ("offset" in its Query); the server's default too.
MESSAGES_PAGE = 50
# Baileys' ack statuses in the order WhatsApp reaches them (src/utils/renderStatus.ts). fetchMessages
# selects only `status` of each MessageUpdate and Prisma gives a relation no order without orderBy,
# so acks are replayed in this order; "DELETED" is a delete, "EDITED" an edit (see missed_events).
ACK_ORDER = ("ERROR", "PENDING", "SERVER_ACK", "DELIVERY_ACK", "READ", "PLAYED")


@dataclass(frozen=True)
class ServerInfo:
    version: str | None
    instances: int


@dataclass(frozen=True)
class Instance:
    name: str
    id: str | None
    status: str | None
    integration: str | None = None
    owner_jid: str | None = None
    profile_name: str | None = None
    number: str | None = None
    token: str | None = field(default=None, repr=False)

    @classmethod
    def from_fetch(cls, record: dict) -> Instance:
        return cls(record["name"], record.get("id"), record.get("connectionStatus"),
                   record.get("integration"), record.get("ownerJid"), record.get("profileName"),
                   record.get("number"), record.get("token"))

    @classmethod
    def from_create(cls, answer: dict) -> Instance:
        instance = answer["instance"]
        return cls(instance["instanceName"], instance.get("instanceId"), instance.get("status"),
                   instance.get("integration"), token=answer.get("hash"))


@dataclass(frozen=True)
class QrCode:
    """What /instance/connect answers: only `count` until the server has a code."""

    count: int | None = None
    code: str | None = None
    base64: str | None = None
    pairing_code: str | None = None


@dataclass(frozen=True)
class WebhookConfig:
    """A webhook setting; events in any spelling when sent, UPPER_SNAKE as the server keeps them."""

    enabled: bool
    url: str
    events: tuple[str, ...] = ()
    base64: bool = False
    by_events: bool = False
    # Headers may carry a receiver's secret: keep them out of reprs and error messages.
    headers: dict[str, str] = field(default_factory=dict, repr=False)
    # What a read-back must have kept besides the events (headers may come back reshaped).
    kept_fields: ClassVar = ("enabled", "url", "base64", "by_events")

    @classmethod
    def from_record(cls, record: dict) -> WebhookConfig:
        return cls(bool(record.get("enabled")), record.get("url") or "", tuple(record.get("events") or ()),
                   bool(record.get("webhookBase64")), bool(record.get("webhookByEvents")),
                   record.get("headers") or {})

    def body(self) -> dict:
        return {"enabled": self.enabled, "url": self.url, "events": list(evolution_selection(self.events)),
                "byEvents": self.by_events, "base64": self.base64, "headers": self.headers}


@dataclass(frozen=True)
class WebsocketConfig:
    """A socket.io event selection, spelled like WebhookConfig's."""

    enabled: bool
    events: tuple[str, ...] = ()
    kept_fields: ClassVar = ("enabled",)

    @classmethod
    def from_record(cls, record: dict) -> WebsocketConfig:
        return cls(bool(record.get("enabled")), tuple(record.get("events") or ()))

    def body(self) -> dict:
        return {"enabled": self.enabled, "events": list(evolution_selection(self.events))}


Config = WebhookConfig | WebsocketConfig


class EvolutionClient:
    """One Evolution server, called with its global key."""

    # Seconds each QR (and pairing code) lives before the next one comes: the `qrTimeout` that
    # whatsapp.baileys.service.ts gives Baileys in createClient.
    QR_LIFETIME = 45

    def __init__(self, base_url: str, api_key: str, timeout: float = 10.0):
        self.http = HttpClient(base_url, {"apikey": api_key}, api_key, timeout)

    def info(self) -> ServerInfo:
        """Prove the server answers and the key works: GET / is public, so also list instances."""
        welcome = self.http.call("GET", "/")
        instances = self.fetch_instances()
        version = welcome.get("version") if isinstance(welcome, dict) else None
        return ServerInfo(version, len(instances))

    # The key check every provider client offers (see servers.check_credentials).
    check = info

    def create_instance(self, name: str, token: str | None = None, qrcode: bool = False,
                        webhook: WebhookConfig | None = None,
                        websocket: WebsocketConfig | None = None) -> Instance:
        """Create an instance; webhook/websocket blocks go along only when enabled.

        The server stores a nested block enabled whatever its `enabled` says, so a disabled
        one is left out rather than sent.
        """
        body: dict[str, Any] = {"instanceName": name, "integration": INTEGRATION, "qrcode": qrcode}
        if token:
            body["token"] = token
        if webhook and webhook.enabled:
            body["webhook"] = webhook.body()
        if websocket and websocket.enabled:
            body["websocket"] = websocket.body()
        created = Instance.from_create(self.http.call("POST", "/instance/create", json=body))
        if "webhook" in body:
            _verified(name, webhook, self.find_webhook(name))
        if "websocket" in body:
            _verified(name, websocket, self.find_websocket(name))
        return created

    def fetch_instances(self, name: str | None = None) -> list[Instance]:
        params = {"instanceName": name} if name else None
        records = self.http.call("GET", "/instance/fetchInstances", params=params) or []
        return [Instance.from_fetch(record) for record in records]

    def connect(self, name: str, number: str | None = None) -> QrCode:
        """Start connecting and get the QR; the server takes a few seconds to answer.

        With `number`, a closed instance pairs by code too (`pairingCode`); a connecting one
        keeps its QR-only session and ignores the number.
        """
        params = {"number": number} if number else None
        qr = self.http.call("GET", f"/instance/connect/{segment(name)}", params=params) or {}
        return QrCode(qr.get("count"), qr.get("code"), qr.get("base64"), qr.get("pairingCode"))

    def connection_state(self, name: str) -> str | None:
        """open, connecting or close; None when the server does not say."""
        answer = self.http.call("GET", f"/instance/connectionState/{segment(name)}") or {}
        # While a delete completes the server answers without a state.
        return (answer.get("instance") or {}).get("state")

    def logout(self, name: str) -> None:
        """Log the number out; a closed instance is a ProviderRejected saying it is not connected."""
        self.http.call("DELETE", f"/instance/logout/{segment(name)}")

    def delete(self, name: str) -> None:
        """Ask for deletion; the rows go a moment later (see wait_deleted)."""
        self.http.call("DELETE", f"/instance/delete/{segment(name)}")

    def wait_deleted(self, name: str, timeout: float = 5.0, interval: float = 0.1) -> bool:
        """Poll until the name is gone from the server's list; False if it is still there after `timeout`.

        A lookup by name answers 404 at once, but the list (and create's "already in use" check)
        keeps the name until the rows are really deleted, so the whole list is what is watched.
        """
        deadline = time.monotonic() + timeout
        while any(instance.name == name for instance in self.fetch_instances()):
            if time.monotonic() >= deadline:
                return False
            time.sleep(interval)
        return True

    def set_webhook(self, name: str, url: str, enabled: bool = True, events: tuple[str, ...] = (),
                    base64: bool = False, by_events: bool = False,
                    headers: dict[str, str] | None = None) -> WebhookConfig:
        """Store the webhook and return what the server kept; `events` empty means all."""
        wanted = WebhookConfig(enabled, url, tuple(events), base64, by_events, headers or {})
        self.http.call("POST", f"/webhook/set/{segment(name)}", json={"webhook": wanted.body()})
        return _verified(name, wanted, self.find_webhook(name))

    def find_webhook(self, name: str) -> WebhookConfig | None:
        record = self.http.call("GET", f"/webhook/find/{segment(name)}")
        return WebhookConfig.from_record(record) if record else None

    def disable_webhook(self, name: str, url: str) -> WebhookConfig:
        """There is no delete: disable with a non-empty url; the server then forgets the events."""
        return self.set_webhook(name, url, enabled=False)

    def set_websocket(self, name: str, enabled: bool, events: tuple[str, ...] = ()) -> WebsocketConfig:
        """Store the socket selection and return what the server kept; `events` empty means all."""
        wanted = WebsocketConfig(enabled, tuple(events))
        self.http.call("POST", f"/websocket/set/{segment(name)}", json={"websocket": wanted.body()})
        return _verified(name, wanted, self.find_websocket(name))

    def find_websocket(self, name: str) -> WebsocketConfig | None:
        record = self.http.call("GET", f"/websocket/find/{segment(name)}")
        return WebsocketConfig.from_record(record) if record else None

    def find_messages(self, name: str, since_timestamp: int, until_timestamp: int | None = None) -> list[dict]:
        """Stored messages from `since_timestamp` (epoch seconds) on, oldest first, every page.

        The server filters on time only when both `gte` and `lte` are given, reads each with
        `new Date(...)` (so ISO strings, not epoch seconds) and pages newest first.
        """
        until = until_timestamp if until_timestamp is not None else time.time() + 86400
        where = {"messageTimestamp": {"gte": _iso(since_timestamp), "lte": _iso(until)}}
        # Keyed by message id: a message arriving while we page shifts the pages by one.
        records: dict[str, dict] = {}
        page, pages = 1, 1
        while page <= pages:
            answer = self.http.call("POST", f"/chat/findMessages/{segment(name)}",
                                    json={"where": where, "page": page, "offset": MESSAGES_PAGE})
            messages = answer["messages"]
            records.update((record["key"]["id"], record) for record in messages["records"])
            pages = messages.get("pages") or 0
            page += 1
        return sorted(records.values(), key=lambda record: record.get("messageTimestamp") or 0)

    def missed_events(self, name: str, since_timestamp: int) -> list[tuple[str, Any]]:
        """The events Evolution's store can give back from `since_timestamp` on, oldest message first."""
        return [event for record in self.find_messages(name, since_timestamp) for event in replayed_events(record)]


def replayed_events(record: dict) -> list[tuple[str, Any]]:
    """(event, data) pairs a findMessages record stands for, shaped as Evolution emits them live.

    - messages.upsert: the record itself (the de-duplication key is its key id).
    - messages.update: one per ack status in the record's MessageUpdate rows, with the fields
      whatsapp.baileys.service.ts (messages.update handler) sends, so it gets the live ack's key.
    - messages.delete: a "DELETED" row; live, the data is the message key.
    An "EDITED" row is left out: a live messages.edited is keyed by its whole payload and emission
    time, which the store does not keep, so a replay could not be recognised as the same event.
    """
    key = record.get("key")
    if not isinstance(key, dict) or not isinstance(key.get("id"), str):
        return []
    events: list[tuple[str, Any]] = [("messages.upsert", record)]
    statuses = {update.get("status") for update in record.get("MessageUpdate") or () if isinstance(update, dict)}
    for status in (s for s in ACK_ORDER if s in statuses):
        events.append(("messages.update", {
            "keyId": key["id"], "remoteJid": key.get("remoteJid"), "fromMe": key.get("fromMe"),
            **({"participant": key["participant"]} if key.get("participant") else {}),
            "status": status, "instanceId": record.get("instanceId"), "messageId": record.get("id")}))
    if "DELETED" in statuses:
        events.append(("messages.delete", key))
    return events


def _verified(name: str, wanted: Config, kept: Config | None) -> Config:
    """What the server kept, if it is what was sent; ProviderMismatch otherwise."""
    if lost := lost_settings(wanted, kept):
        kind = "webhook" if isinstance(wanted, WebhookConfig) else "websocket"
        raise ProviderMismatch(f"the server did not keep the {kind} {', '.join(lost)} sent for {name!r}")
    return kept


def lost_settings(wanted: Config, kept: Config | None) -> list[str]:
    """The settings `kept` lacks of `wanted`; values stay out, since URLs and headers may hold secrets."""
    if kept is None:
        return ["setting (it stored none)"]
    lost = [name for name in wanted.kept_fields if getattr(kept, name) != getattr(wanted, name)]
    if not same_selection(evolution_selection(wanted.events), kept.events, wanted.enabled):
        lost.append(f"events (it kept {', '.join(kept.events) or 'none'})")
    return lost


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
