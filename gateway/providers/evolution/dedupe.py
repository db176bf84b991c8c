"""The de-duplication key of an event: the same event gets the same key whether it came by webhook,
by socket or as a webhook retry, so it is stored once.

Evolution sends no event id, so the key is derived from what one emission shares on every path:
`event`, `instance`, `data` and `date_time` are built once per emission (sendDataWebhook) and go
to the webhook, its retries and the socket alike. The rest never takes part: `destination` is
webhook-only, and `apikey`, `sender` and `server_url` say who and where, not what happened.

- messages.upsert, send.message, messages.delete: the message key id. WhatsApp gives every
  message a unique id, while Evolution may emit one message again, with a new `date_time` and
  perhaps other data (Baileys re-delivers after reconnects and decryption retries).
- messages.update (acks): key id and status, so DELIVERY_ACK and READ are two events and a
  retried READ is one.
- connection.update: state, statusReason and `date_time`. Evolution repeats the very same
  "connecting, 200" every few seconds and each one is a real event; `date_time` (to the
  millisecond) tells them apart, and a copy of one emission shares it.
- qrcode.updated: the QR `code`, which is new for every QR WhatsApp issues.
- messages.edited, send.message.update: the digest below, as every edit of a message carries
  that message's key id and each edit is an event of its own.
- everything else, and any of the above whose fields are missing: sha256 of the canonical JSON
  (sorted keys, compact, ASCII) of `{event, instance, data, date_time}`.
Keys are printable ASCII and at most 128 characters; a longer or odd one is replaced by the
event name and its sha256.
"""
from __future__ import annotations

from ..keys import bounded, digest
from ..normalized import NormalizedEvent
from .normalize import message_ids, qr_code

_BY_MESSAGE_ID = frozenset({"messages.upsert", "send.message", "messages.delete"})


def dedupe_key(event: NormalizedEvent) -> str:
    """The key under which this event is stored once per instance."""
    data = event.data if isinstance(event.data, dict) else {}
    date_time = event.payload.get("date_time")
    ids = message_ids(event)
    if event.name in _BY_MESSAGE_ID and len(ids) == 1:
        return bounded(event.name, ids[0])
    if event.name == "messages.update" and len(ids) == 1 and isinstance(data.get("status"), str):
        return bounded(event.name, ids[0], data["status"])
    if event.name == "connection.update":
        state, reason = data.get("state"), data.get("statusReason")
        if isinstance(state, str) and isinstance(reason, (int, str)) and isinstance(date_time, str):
            return bounded(event.name, state, str(reason), date_time)
    qr = qr_code(event)
    if qr is not None and qr.code:
        return bounded(event.name, qr.code)
    return digest({"event": event.name, "instance": event.instance, "data": event.data, "date_time": date_time})

