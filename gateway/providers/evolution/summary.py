"""One human line per event for the monitor and its CSV export: who sent it and what it says. Pure.

Reads the shapes Evolution gives its events' `data` (a message with its `key` and `pushName`, an
ack with `remoteJid` and `status`, a connection with `state` and `wuid`).
"""
from __future__ import annotations

from ...i18n import translate
from ..base import Summary

TEXT_LENGTH = 200
# Ack statuses as Evolution names them (Baileys' WAMessageStubType/status names).
ACK_STATUSES = {"PENDING": "pending", "SERVER_ACK": "sent to the server", "DELIVERY_ACK": "delivered",
                "READ": "read", "PLAYED": "played", "ERROR": "failed to send", "DELETED": "deleted"}
MESSAGE_EVENTS = frozenset({"messages.upsert", "send.message", "messages.edited"})


def _number(jid: object) -> str:
    """The phone number of a WhatsApp JID (`5511988887777@s.whatsapp.net`); a group or LID as it is."""
    if not isinstance(jid, str):
        return ""
    user, _, server = jid.partition("@")
    return user.split(":")[0] if server in ("s.whatsapp.net", "c.us") else jid


def _message_text(message: object) -> str:
    if not isinstance(message, dict):
        return ""
    for kind, field in (("conversation", None), ("extendedTextMessage", "text"), ("imageMessage", "caption"),
                        ("videoMessage", "caption"), ("documentMessage", "fileName")):
        value = message.get(kind)
        text = value.get(field) if field and isinstance(value, dict) else value
        if isinstance(text, str) and text:
            return text
    return ""


def _sender(data: dict) -> str:
    key = data.get("key") if isinstance(data.get("key"), dict) else data
    if key.get("fromMe"):
        return translate("me")
    number = _number(key.get("participant") or key.get("remoteJid"))
    name = data.get("pushName")
    return " · ".join(part for part in (name if isinstance(name, str) else "", number) if part)


def summary(name: str, data: object) -> Summary:
    """The sender and the text of a message, an ack's status, a connection's state, a QR's arrival."""
    if not isinstance(data, dict):
        return Summary()
    if name in MESSAGE_EVENTS:
        text = _message_text(data.get("message")) or (data.get("messageType") or "")
        return Summary(_sender(data), str(text)[:TEXT_LENGTH])
    if name == "messages.update":
        status = data.get("status")
        return Summary(_sender(data), translate(ACK_STATUSES.get(status, str(status or ""))))
    if name == "connection.update":
        return Summary(_number(data.get("wuid")), translate(str(data.get("state", "unknown"))))
    if name == "qrcode.updated":
        return Summary(text=translate("New QR code") if isinstance(data.get("qrcode"), dict)
                       else translate("QR code limit reached"))
    if name == "logout.instance":
        return Summary(text=translate("Logged out of WhatsApp"))
    return Summary()
