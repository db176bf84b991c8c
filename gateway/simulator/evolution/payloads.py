"""Pure builders of what Evolution sends and answers: event envelopes, event data, QR images, message search.

Follows src/api/services/channel.service.ts (sendDataWebhook, fetchMessages),
src/api/integrations/event/webhook/webhook.controller.ts and
src/api/integrations/event/websocket/websocket.controller.ts (envelopes), and
src/api/integrations/channel/whatsapp/whatsapp.baileys.service.ts (connectionUpdate and its
qrcode.toDataURL, prepareMessage, messages.update).
"""
from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

from ..qr import png
from .store import Instance

QR_COLOR = "#198754"  # QRCODE_COLOR default
QR_LIMIT_MESSAGE = "QR code limit reached, please login again"
BAD_SESSION = 500  # DisconnectReason.badSession
CONNECTION_CLOSED = 428  # DisconnectReason.connectionClosed
LOGGED_OUT = 401  # DisconnectReason.loggedOut


def without_none(**fields) -> dict:
    """JSON.stringify drops `undefined` members; None stands for undefined here."""
    return {k: v for k, v in fields.items() if v is not None}


def socket_envelope(instance: Instance, event: str, data, date_time: str, server_url: str) -> dict:
    return {
        "event": event, "instance": instance.name, "data": data, "server_url": server_url,
        "date_time": date_time, **without_none(sender=instance.wuid), "apikey": instance.token,
    }


def webhook_envelope(instance: Instance, event: str, data, date_time: str, server_url: str) -> dict:
    return {
        "event": event, "instance": instance.name, "data": data, "destination": instance.webhook["url"],
        "date_time": date_time, **without_none(sender=instance.wuid), "server_url": server_url,
        "apikey": instance.token,
    }


def instance_ref(instance: Instance) -> dict:
    """Data of instance.create and instance.delete."""
    return {"instanceName": instance.name, "instanceId": instance.id}


def connection_update(instance: Instance, state: str, reason: int = 200) -> dict:
    if state == "open":
        return {
            "instance": instance.name, "wuid": instance.wuid, "profileName": instance.profile_name,
            "profilePictureUrl": instance.profile_picture_url, "state": state, "statusReason": reason,
        }
    return {"instance": instance.name, "state": state, "statusReason": reason}


def qr_refused(instance: Instance) -> dict:
    """connection.update after the QR limit; wuid and profile are undefined before a login."""
    return without_none(
        instance=instance.name, state="refused", statusReason=CONNECTION_CLOSED, wuid=instance.wuid,
        profileName=instance.profile_name, profilePictureUrl=instance.profile_picture_url,
    )


def qr_data_url(code: str) -> str:
    """connectionUpdate's qrcode.toDataURL: margin 3, scale 4, level H, QRCODE_COLOR on white."""
    return "data:image/png;base64," + base64.b64encode(png(code, error="h", border=3, dark=QR_COLOR)).decode()


def qrcode_updated(instance: Instance) -> dict:
    qr = instance.qrcode
    return {"qrcode": {"instance": instance.name, "pairingCode": qr.get("pairingCode"),
                       "code": qr["code"], "base64": qr["base64"]}}


def qrcode_limit() -> dict:
    return {"message": QR_LIMIT_MESSAGE, "statusCode": BAD_SESSION}


def qr_answer(instance: Instance) -> dict:
    """The `qrCode` getter: `{"count": 0}` until a code exists (members never set stay out)."""
    return {k: instance.qrcode[k] for k in ("pairingCode", "code", "base64", "count") if k in instance.qrcode}


def logged_out(instance: Instance, at: str, logged_at: str) -> dict:
    """status.instance data when WhatsApp confirms the logout (Boom 401 serialised as a string)."""
    boom = {
        "error": {
            "data": None, "isBoom": True, "isServer": False,
            "output": {"statusCode": LOGGED_OUT, "payload": {
                "statusCode": LOGGED_OUT, "error": "Unauthorized", "message": f"Log out instance: {instance.name}"},
                "headers": {}},
        },
        "date": logged_at,
    }
    return {"instance": instance.name, "status": "closed", "disconnectionAt": at,
            "disconnectionReasonCode": LOGGED_OUT, "disconnectionObject": json.dumps(boom, separators=(",", ":"))}


def message_upsert(instance: Instance, key: dict, push_name: str, message: dict, timestamp: int) -> dict:
    """prepareMessage's output; incoming messages are DELIVERY_ACK, ours SERVER_ACK."""
    message_type = next(iter(message), "unknown")
    return {
        "key": key, "pushName": push_name, "status": "SERVER_ACK" if key["fromMe"] else "DELIVERY_ACK",
        "message": message, "messageType": message_type, "messageTimestamp": timestamp,
        "instanceId": instance.id, "source": _device(key["id"]),
    }


def message_update(instance: Instance, record: dict, status: str) -> dict:
    key = record["key"]
    return {"keyId": key["id"], "remoteJid": key["remoteJid"], "fromMe": key["fromMe"], "status": status,
            "instanceId": instance.id, "messageId": record["id"]}


def _device(key_id: str) -> str:
    """Baileys getDevice: the shape of the id tells which client sent it."""
    if len(key_id) == 20 and key_id.startswith("3A"):
        return "ios"
    if len(key_id) == 22 and key_id.startswith("3E"):
        return "web"
    if len(key_id) in (21, 32):
        return "android"
    return "desktop" if key_id.startswith("3F") or len(key_id) == 18 else "unknown"


def stored_message(row_id: str, upsert: dict) -> dict:
    """A Message row as findMessages selects it: channel.service.ts fetchMessages selects only `status`
    of each MessageUpdate row (`MessageUpdate: {select: {status: true}}`), one row per ack or delete."""
    return {
        "id": row_id, "key": upsert["key"], "pushName": upsert["pushName"], "messageType": upsert["messageType"],
        "message": upsert["message"], "messageTimestamp": upsert["messageTimestamp"],
        "instanceId": upsert["instanceId"], "source": upsert["source"], "contextInfo": None, "MessageUpdate": [],
    }


def find_messages(records: list[dict], query: dict) -> dict:
    """fetchMessages: filters, newest first, `offset` rows per page (default 50)."""
    where = query.get("where") or {}
    key = where.get("key") or {}
    window = _timestamp_window(where.get("messageTimestamp"))
    wanted = [
        r for r in records
        if _matches(r, where, key) and (window is None or window[0] <= r["messageTimestamp"] <= window[1])
    ]
    # Postgres gives no order among equal timestamps; newest insertion first is one valid answer.
    wanted = sorted(reversed(wanted), key=lambda r: r["messageTimestamp"], reverse=True)
    offset = query.get("offset") or 50
    page = query.get("page") or 1
    skip = offset * (0 if page == 1 else page - 1)
    return {"messages": {"total": len(wanted), "pages": -(-len(wanted) // offset), "currentPage": page,
                         "records": wanted[skip:skip + offset]}}


def _matches(record: dict, where: dict, key: dict) -> bool:
    for column in ("id", "source", "messageType"):
        if where.get(column) is not None and record[column] != where[column]:
            return False
    # Falsy key filters are skipped by the source (so fromMe: false filters nothing).
    return all(record["key"].get(name) == key[name] for name in ("id", "fromMe", "remoteJid", "participants")
               if key.get(name))


def _timestamp_window(bounds) -> tuple[int, int] | None:
    """Both `gte` and `lte` or no filter; each read like JavaScript's `new Date(x)`, in seconds."""
    if not isinstance(bounds, dict) or not bounds.get("gte") or not bounds.get("lte"):
        return None
    low, high = _js_date_seconds(bounds["gte"]), _js_date_seconds(bounds["lte"])
    return None if low is None or high is None else (low, high)


def _js_date_seconds(value) -> int | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value // 1000)  # a number is milliseconds since the epoch
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return int(moment.timestamp())
    return None
