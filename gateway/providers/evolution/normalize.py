"""Evolution envelopes (webhook body or socket payload) turned into one event shape, plus the facts
the pipeline applies from it (QR code, connection state, logout, message ids). Pure: no I/O.

`provider_time` is Evolution's `date_time`: the server shifts its clock by its own time-zone
offset and still writes `Z`, so it is true UTC only on a server that runs in UTC. The stored
payload is the envelope without `apikey` (the instance's token) and `destination` (the webhook
URL, which carries the gateway's secret for the instance): neither is ever stored.
"""
from __future__ import annotations

import functools
from typing import Any

from ..normalized import (
    Connection, Facts, NormalizedEvent, NormalizeError, QrCode, event_name,
    optional_instance, parse_utc,
)
from .events import EMITTED_EVENTS, dotted


# Instance.name's column: a longer name cannot be an instance's (a long event name is cut instead).
# Evolution's connection states; "refused" (QR limit reached) ends the session, so it is a close.
_STATES = {"open": "open", "connecting": "connecting", "close": "close", "refused": "close"}
_NEVER_STORED = frozenset({"apikey", "destination"})
_LOGGED_OUT = 401  # Baileys DisconnectReason.loggedOut
_MESSAGE_EVENTS = frozenset({
    "messages.upsert", "messages.set", "messages.update", "messages.delete", "messages.edited",
    "send.message", "send.message.update",
})
# The program-facing names that say more than the provider's; the rest follow the plain rule.
FRAME_NAMES = {"messages.upsert": "message_received", "messages.update": "message_ack"}


# Cached: every event asks, and a server sends few distinct names (bounded: a sender may vary them).
@functools.lru_cache(maxsize=1024)
def canonical_name(raw: str) -> str:
    """The emitted (dotted) name of any spelling; an unknown name is kept, lower-cased.

    An unknown name that already has dots keeps its dashes, as Evolution's own names can
    (`group-participants.update`); one without dots came by a URL or a selection and gets dots.
    """
    name = dotted(raw)
    if name in EMITTED_EVENTS or "." not in raw:
        return name
    return raw.strip().lower()


def normalize_evolution(envelope: Any, path_event: str | None = None) -> NormalizedEvent:
    """The event in a webhook body or socket payload; `path_event` is a by-events URL suffix.

    The envelope's own `event` wins over the path's; the path names events whose body lacks one.
    """
    if not isinstance(envelope, dict):
        raise NormalizeError("an event must be a JSON object")
    raw = envelope.get("event")
    if raw is None:
        raw = path_event
    raw = event_name(raw)
    instance = optional_instance(envelope, "instance")
    name = canonical_name(raw)
    sender = envelope.get("sender")
    return NormalizedEvent(
        name=name,
        known=name in EMITTED_EVENTS,
        instance=instance,
        provider_time=parse_utc(envelope.get("date_time")),
        sender=sender if isinstance(sender, str) else None,
        data=envelope.get("data"),
        payload={key: value for key, value in envelope.items() if key not in _NEVER_STORED},
        provider="evolution",
    )


def qr_code(event: NormalizedEvent) -> QrCode | None:
    """The QR of `qrcode.updated`; None for its "QR code limit reached" form."""
    qr = _data(event, "qrcode.updated").get("qrcode")
    if not isinstance(qr, dict):
        return None
    fact = QrCode(_str(qr, "base64"), _str(qr, "pairingCode"), _str(qr, "code"))
    return fact if fact.base64 or fact.code else None


def connection(event: NormalizedEvent) -> Connection | None:
    """State, phone number and profile name of `connection.update`; None if the state is unknown."""
    data = _data(event, "connection.update")
    state = _STATES.get(_str(data, "state") or "")
    if state is None:
        return None
    return Connection(state, _phone_number(data.get("wuid")), _str(data, "profileName"), _str(data, "state"))


def _phone_number(wuid: Any) -> str | None:
    """The digits of the instance's own JID (`5511999990000@s.whatsapp.net`); a LID is no number."""
    if not isinstance(wuid, str):
        return None
    user, _, server = wuid.partition("@")
    number = user.split(":")[0]
    if server in ("", "s.whatsapp.net") and number.isascii() and number.isdigit():
        return number
    return None


def is_logout(event: NormalizedEvent) -> bool:
    """WhatsApp ended the session: `logout.instance`, or a close for reason 401 (logged out)."""
    if event.name == "logout.instance":
        return True
    data = _data(event, "connection.update")
    return data.get("state") == "close" and data.get("statusReason") == _LOGGED_OUT


def message_ids(event: NormalizedEvent) -> tuple[str, ...]:
    """The WhatsApp message key ids an event concerns, in order, without repeats.

    Data is one message (messages.upsert, send.message), a list (messages.set), a Baileys-style
    `{"messages": [...]}`, an ack (`keyId`), a bare key (messages.delete from Baileys) or a stored
    message with its `key` (messages.delete from the API); edits carry the edited message's key.
    """
    if event.name not in _MESSAGE_EVENTS:
        return ()
    data = event.data
    if isinstance(data, dict) and isinstance(data.get("messages"), list):
        data = data["messages"]
    items = data if isinstance(data, list) else [data]
    ids = (_key_id(item) for item in items if isinstance(item, dict))
    return tuple(dict.fromkeys(key_id for key_id in ids if key_id))


def _key_id(item: dict) -> str | None:
    """The WhatsApp id; `messageId` (Evolution's database id) only when nothing else names it."""
    key = item.get("key")
    if isinstance(key, dict) and _str(key, "id"):
        return _str(key, "id")
    if _str(item, "keyId"):
        return _str(item, "keyId")
    if "remoteJid" in item and _str(item, "id"):
        return _str(item, "id")  # a bare key; beside a `key`, `id` is the database id
    return _str(item, "messageId")


def _data(event: NormalizedEvent, name: str) -> dict:
    """The event's data when it is that event's object, else empty, so facts read it safely."""
    return event.data if event.name == name and isinstance(event.data, dict) else {}


def _str(data: dict, field: str) -> str | None:
    value = data.get(field)
    return value if isinstance(value, str) and value else None


def facts(event: NormalizedEvent) -> Facts:
    """Everything the event changes on its instance."""
    return Facts(qr=qr_code(event), connection=connection(event), logged_out=is_logout(event))

