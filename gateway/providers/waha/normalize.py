"""WAHA envelopes (webhook body or /ws frame) turned into the gateway's event shape, its facts and its key. Pure.

Envelope: `{id?, timestamp?, event, session, metadata?, me, payload, engine, environment}`; `id` and
`timestamp` (ms) exist from the versions that sign (2024.10.8 sends neither). Nothing in it is secret,
so the whole envelope is stored.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from ...i18n import translate
from ..base import Summary
from ..keys import bounded, digest
from ..normalized import (
    Connection, Facts, NormalizedEvent, NormalizeError, event_name, optional_instance,
)
from .client import STATES
from .events import WAHA_EVENTS

# The program-facing names the seed gives (the rest follow the plain rule).
FRAME_NAMES = {"message": "message_received", "message.ack": "message_ack", "session.status": "status_instance"}
TEXT_LENGTH = 200
# Events about one WhatsApp message: its id is the same in a retry, on /ws and in the chats API.
_BY_MESSAGE_ID = frozenset({"message", "message.any", "message.revoked", "message.edited", "message.waiting"})


def normalize_waha(envelope: Any, path_event: str | None = None) -> NormalizedEvent:
    if not isinstance(envelope, dict):
        raise NormalizeError("an event must be a JSON object")
    raw = event_name(envelope.get("event"))
    session = optional_instance(envelope, "session")
    me = envelope.get("me")
    name = raw.strip().lower()
    payload = envelope.get("payload")
    return NormalizedEvent(
        name=name,
        known=name in WAHA_EVENTS,
        instance=session,
        provider_time=_time(envelope.get("timestamp"), 1000) or _time((payload or {}).get("timestamp")
                                                                     if isinstance(payload, dict) else None, 1),
        sender=me.get("id") if isinstance(me, dict) and isinstance(me.get("id"), str) else None,
        data=payload,
        payload=envelope,
        provider="waha",
    )


def _time(value: Any, per_second: int) -> datetime | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    try:
        return datetime.fromtimestamp(value / per_second, timezone.utc)
    except (OverflowError, OSError, ValueError):
        return None


def facts(event: NormalizedEvent) -> Facts:
    """session.status: the state (WAHA's word kept beside it), the number once WORKING, a QR to fetch on SCAN_QR_CODE."""
    if event.name != "session.status" or not isinstance(event.data, dict):
        return Facts()
    word = event.data.get("status")
    state = STATES.get(word) if isinstance(word, str) else None
    if state is None:
        return Facts()
    me = event.payload.get("me") if isinstance(event.payload.get("me"), dict) else {}
    return Facts(connection=Connection(state, _phone_number(me.get("id")), _str(me.get("pushName")), word),
                 qr_pending=word == "SCAN_QR_CODE")


def _phone_number(jid: Any) -> str | None:
    """The digits of `5511999990000@c.us`; a LID or group is no phone number."""
    if not isinstance(jid, str):
        return None
    user, _, server = jid.partition("@")
    number = user.split(":")[0]
    return number if server in ("c.us", "s.whatsapp.net") and number.isascii() and number.isdigit() else None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def dedupe_key(event: NormalizedEvent) -> str:
    """The key under which an event is stored once per instance.

    - Message events: the WhatsApp message id (and the ack for message.ack), the same in WAHA's
      retries, on /ws and in what catch-up reads from the chats API.
    - Anything else with WAHA's event id (`evt_<ULID>`): that id; retries and /ws repeat it.
    - Without an id (2024.10.8): a session.status is a new fact each time (WAHA repeats the same
      STARTING every 2 s while it reconnects, and a STARTING after WORKING must not be dropped), so it
      is kept whole; anything else is a digest of `{event, session, payload}`.
    """
    data = event.data if isinstance(event.data, dict) else {}
    message_id = data.get("id") if isinstance(data.get("id"), str) else None
    if message_id and event.name in _BY_MESSAGE_ID:
        return bounded(event.name, message_id)
    if message_id and event.name == "message.ack":
        return bounded(event.name, message_id, str(data.get("ack")))
    event_id = event.payload.get("id")
    if isinstance(event_id, str) and event_id:
        return bounded(event.name, event_id)
    if event.name == "session.status":
        return bounded(event.name, str(data.get("status")), uuid.uuid4().hex)
    return digest({"event": event.name, "session": event.instance, "payload": event.data})



def summary(name: str, envelope: dict) -> Summary:
    """Like Evolution's: a message's sender and text, an ack's status, the session's status."""
    payload = envelope.get("payload")
    if not isinstance(payload, dict):
        return Summary()
    if name == "session.status":
        return Summary(text=str(payload.get("status", "")))
    sender = translate("me") if payload.get("fromMe") else _number(payload.get("from"))
    if name == "message.ack":
        return Summary(sender, str(payload.get("ackName", "")).lower())
    body = payload.get("body")
    if name in _BY_MESSAGE_ID and isinstance(body, str):
        return Summary(sender, body[:TEXT_LENGTH])
    return Summary()


def _number(jid: Any) -> str:
    return _phone_number(jid) or (jid if isinstance(jid, str) else "")
