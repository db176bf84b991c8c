"""Evolution event names: the selectable list, its catalogue for people, and the conversions between spellings.

Evolution emits dotted lowercase (`connection.update`), stores selections in UPPER_SNAKE
(`CONNECTION_UPDATE`) and appends dashed lowercase to by-events webhook URLs (`connection-update`).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

from ...i18n import Refusal
from ..base import EventGroup

# The names /webhook/set and /websocket/set accept, in the order of EventController.events
# (src/api/integrations/event/event.controller.ts, 2.3.6). Anything else is a 400.
EVOLUTION_EVENTS: tuple[str, ...] = (
    "APPLICATION_STARTUP", "QRCODE_UPDATED", "MESSAGES_SET", "MESSAGES_UPSERT", "MESSAGES_EDITED",
    "MESSAGES_UPDATE", "MESSAGES_DELETE", "SEND_MESSAGE", "SEND_MESSAGE_UPDATE", "CONTACTS_SET",
    "CONTACTS_UPSERT", "CONTACTS_UPDATE", "PRESENCE_UPDATE", "CHATS_SET", "CHATS_UPSERT",
    "CHATS_UPDATE", "CHATS_DELETE", "GROUPS_UPSERT", "GROUP_UPDATE", "GROUP_PARTICIPANTS_UPDATE",
    "CONNECTION_UPDATE", "LABELS_EDIT", "LABELS_ASSOCIATION", "CALL", "TYPEBOT_START",
    "TYPEBOT_CHANGE_STATUS", "REMOVE_INSTANCE", "LOGOUT_INSTANCE", "INSTANCE_CREATE",
    "INSTANCE_DELETE", "STATUS_INSTANCE",
)

# The names Evolution emits (enum Events, src/api/types/wa.types.ts). Their dots and dashes
# cannot be rebuilt from UPPER_SNAKE (`group-participants.update`, `typebot.change-status`).
EMITTED_EVENTS: tuple[str, ...] = (
    "application.startup", "instance.create", "instance.delete", "qrcode.updated",
    "connection.update", "status.instance", "messages.set", "messages.upsert", "messages.edited",
    "messages.update", "messages.delete", "send.message", "send.message.update", "contacts.set",
    "contacts.upsert", "contacts.update", "presence.update", "chats.set", "chats.update",
    "chats.upsert", "chats.delete", "groups.upsert", "groups.update", "group-participants.update",
    "call", "typebot.start", "typebot.change-status", "labels.edit", "labels.association",
    "creds.update", "messaging-history.set", "remove.instance", "logout.instance",
)


def upper_snake(name: str) -> str:
    """Evolution's own rule (`replace(/[.-]/g, '_').toUpperCase()`), used when it matches selections."""
    return re.sub(r"[.-]", "_", name.strip()).upper()


_DOTTED = {upper_snake(name): name for name in EMITTED_EVENTS}


def dotted(name: str) -> str:
    """The emitted spelling of any spelling; GROUP_UPDATE, never emitted, gets the plain rule."""
    key = upper_snake(name)
    return _DOTTED.get(key, key.lower().replace("_", "."))


def url_suffix(name: str) -> str:
    """The path a by-events webhook appends: `{url}/connection-update`."""
    return upper_snake(name).replace("_", "-").lower()


def evolution_selection(names: Iterable[str]) -> tuple[str, ...]:
    """UPPER_SNAKE names Evolution accepts, from any spelling; unknown names raise a Refusal (a ValueError)."""
    selection: list[str] = []
    for name in names:
        key = upper_snake(name)
        if key == "GROUPS_UPDATE":
            # Emitted as groups.update, but the allowed list only has GROUP_UPDATE, which the
            # server compares with GROUPS_UPDATE and so never matches: it cannot be selected.
            raise Refusal("groups.update cannot be selected on Evolution "
                          "(its allowed list has GROUP_UPDATE, which never matches it).")
        if key not in EVOLUTION_EVENTS:
            raise Refusal("{name!r} is not an event Evolution lets you select.", name=name)
        if key not in selection:
            selection.append(key)
    return tuple(selection)


def same_selection(sent: Iterable[str], kept: Iterable[str], enabled: bool) -> bool:
    """Whether the stored events are what a set asked for, in any order.

    Disabled, the server forgets the selection (stores []); enabled with [] it stores every
    allowed name, which means all.
    """
    sent, kept = set(sent), set(kept)
    if not enabled:
        return not kept
    if not sent:
        return not kept or kept == set(EVOLUTION_EVENTS)
    return sent == kept


# Evolution's selectable events (exactly EVOLUTION_EVENTS), grouped for people; labels are English
# page texts, translated like any other.
EVOLUTION_CATALOGUE: tuple[EventGroup, ...] = (
    EventGroup("messages", "Messages", (
        ("MESSAGES_UPSERT", "New message received or sent"),
        ("MESSAGES_UPDATE", "Message status changed (delivered, read)"),
        ("MESSAGES_EDITED", "Message edited"),
        ("MESSAGES_DELETE", "Message deleted"),
        ("MESSAGES_SET", "Message history loaded"),
        ("SEND_MESSAGE", "Message sent through the API"),
        ("SEND_MESSAGE_UPDATE", "Sent message updated"),
    )),
    EventGroup("contacts", "Contacts", (
        ("CONTACTS_UPSERT", "Contact added"),
        ("CONTACTS_UPDATE", "Contact changed"),
        ("CONTACTS_SET", "Contact list loaded"),
        ("PRESENCE_UPDATE", "Online, typing or recording"),
    )),
    EventGroup("chats", "Chats", (
        ("CHATS_UPSERT", "Chat added"),
        ("CHATS_UPDATE", "Chat changed"),
        ("CHATS_DELETE", "Chat deleted"),
        ("CHATS_SET", "Chat list loaded"),
    )),
    EventGroup("groups", "Groups", (
        ("GROUPS_UPSERT", "Group created or joined"),
        ("GROUP_UPDATE", "Group details changed"),
        ("GROUP_PARTICIPANTS_UPDATE", "Participants added, removed or promoted"),
    )),
    EventGroup("connection", "Connection & QR", (
        ("QRCODE_UPDATED", "New QR code to scan"),
        ("CONNECTION_UPDATE", "Connection state changed"),
    )),
    EventGroup("calls", "Calls", (
        ("CALL", "Incoming call"),
    )),
    EventGroup("labels", "Labels", (
        ("LABELS_EDIT", "Label created or changed"),
        ("LABELS_ASSOCIATION", "Label added to or removed from a chat"),
    )),
    EventGroup("instance", "Instance", (
        ("STATUS_INSTANCE", "Instance status changed"),
        ("LOGOUT_INSTANCE", "Instance logged out"),
        ("REMOVE_INSTANCE", "Instance removed"),
        ("INSTANCE_CREATE", "Instance created"),
        ("INSTANCE_DELETE", "Instance deleted"),
        ("APPLICATION_STARTUP", "Provider started"),
    )),
    EventGroup("integrations", "Integrations", (
        ("TYPEBOT_START", "Typebot session started"),
        ("TYPEBOT_CHANGE_STATUS", "Typebot session status changed"),
    )),
)
