"""Evolution's event names: the selectable list, and the name forms used for filters and URLs.

Follows src/api/integrations/event/event.controller.ts (EventController.events) and
src/api/integrations/event/webhook/webhook.controller.ts (name transforms).
"""
from __future__ import annotations

import re

# The `events` enum of the webhook/websocket schemas, in source order.
EVENTS: tuple[str, ...] = (
    "APPLICATION_STARTUP",
    "QRCODE_UPDATED",
    "MESSAGES_SET",
    "MESSAGES_UPSERT",
    "MESSAGES_EDITED",
    "MESSAGES_UPDATE",
    "MESSAGES_DELETE",
    "SEND_MESSAGE",
    "SEND_MESSAGE_UPDATE",
    "CONTACTS_SET",
    "CONTACTS_UPSERT",
    "CONTACTS_UPDATE",
    "PRESENCE_UPDATE",
    "CHATS_SET",
    "CHATS_UPSERT",
    "CHATS_UPDATE",
    "CHATS_DELETE",
    "GROUPS_UPSERT",
    "GROUP_UPDATE",
    "GROUP_PARTICIPANTS_UPDATE",
    "CONNECTION_UPDATE",
    "LABELS_EDIT",
    "LABELS_ASSOCIATION",
    "CALL",
    "TYPEBOT_START",
    "TYPEBOT_CHANGE_STATUS",
    "REMOVE_INSTANCE",
    "LOGOUT_INSTANCE",
    "INSTANCE_CREATE",
    "INSTANCE_DELETE",
    "STATUS_INSTANCE",
)


def config_name(event: str) -> str:
    """`messages.upsert` -> `MESSAGES_UPSERT`, the form stored in `events` selections."""
    return re.sub(r"[.-]", "_", event).upper()


def url_suffix(event: str) -> str:
    """`messages.upsert` -> `messages-upsert`, appended to the url when `byEvents` is on."""
    return config_name(event).replace("_", "-").lower()


def is_selected(record: dict | None, event: str) -> bool:
    """An enabled webhook/websocket record whose stored `events` list names this event."""
    return bool(record and record.get("enabled")) and config_name(event) in (record.get("events") or [])
