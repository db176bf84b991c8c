"""WAHA's event names: what a webhook or /ws may select, and what the gateway selects when nobody chose."""
# The list of src/structures/enums.dto.ts WAHAEvents as waha-2026.2.1-rest.md records it; 2024.10.8
# accepts a subset (contract README) and refuses `*` in a webhook config.
from __future__ import annotations

from collections.abc import Iterable

from ..base import EventGroup

WAHA_EVENTS: tuple[str, ...] = (
    "session.status", "message", "message.reaction", "message.any", "message.ack", "message.ack.group",
    "message.waiting", "message.revoked", "message.edited", "state.change", "group.join", "group.leave",
    "group.v2.join", "group.v2.leave", "group.v2.update", "group.v2.participants", "presence.update",
    "poll.vote", "poll.vote.failed", "chat.archive", "call.received", "call.accepted", "call.rejected",
    "label.upsert", "label.deleted", "label.chat.added", "label.chat.deleted", "event.response",
    "event.response.failed", "engine.event",
)
# The seed's default (messages in, their acks), in WAHA's words.
DEFAULT_EVENTS = ("message", "message.ack")
# The gateway needs the session's status for its state and QR, whatever is selected.
CONTROL_EVENTS = ("session.status",)


def waha_selection(names: Iterable[str]) -> tuple[str, ...]:
    """WAHA's names from any case; unknown names raise ValueError (WAHA answers them with a 400)."""
    selection: list[str] = []
    for name in names:
        key = str(name).strip().lower()
        if key not in WAHA_EVENTS:
            raise ValueError(f"{name!r} is not an event WAHA lets you select")
        if key not in selection:
            selection.append(key)
    return tuple(selection)


# WAHA's selectable events (exactly WAHA_EVENTS), grouped for people like Evolution's catalogue.
WAHA_CATALOGUE: tuple[EventGroup, ...] = (
    EventGroup("messages", "Messages", (
        ("message", "New message received"),
        ("message.any", "Any message, sent or received"),
        ("message.ack", "Message status changed (delivered, read)"),
        ("message.ack.group", "Group message status changed"),
        ("message.reaction", "Reaction to a message"),
        ("message.edited", "Message edited"),
        ("message.revoked", "Message deleted for everyone"),
        ("message.waiting", "Message waiting to be decrypted"),
    )),
    EventGroup("groups", "Groups", (
        ("group.v2.join", "Group created or joined"),
        ("group.v2.leave", "Group left"),
        ("group.v2.update", "Group details changed"),
        ("group.v2.participants", "Participants added, removed or promoted"),
        ("group.join", "Group joined (old event)"),
        ("group.leave", "Group left (old event)"),
    )),
    EventGroup("contacts", "Contacts", (
        ("presence.update", "Online, typing or recording"),
    )),
    EventGroup("chats", "Chats", (
        ("chat.archive", "Chat archived or unarchived"),
    )),
    EventGroup("polls", "Polls and events", (
        ("poll.vote", "Poll vote"),
        ("poll.vote.failed", "Poll vote that could not be decrypted"),
        ("event.response", "Answer to an event invitation"),
        ("event.response.failed", "Event answer that could not be decrypted"),
    )),
    EventGroup("calls", "Calls", (
        ("call.received", "Incoming call"),
        ("call.accepted", "Call accepted"),
        ("call.rejected", "Call rejected"),
    )),
    EventGroup("labels", "Labels", (
        ("label.upsert", "Label created or changed"),
        ("label.deleted", "Label deleted"),
        ("label.chat.added", "Label added to a chat"),
        ("label.chat.deleted", "Label removed from a chat"),
    )),
    EventGroup("session", "Session", (
        ("session.status", "Session status changed (QR, connected, stopped)"),
        ("state.change", "Engine connection state changed"),
        ("engine.event", "Raw engine event (debugging)"),
    )),
)
