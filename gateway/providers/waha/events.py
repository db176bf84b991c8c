"""WAHA's event names by version: what a server emits and so lets a webhook or /ws select, the picker's groups,
and what the gateway selects when nobody chose."""
# The 2026.2.1 list is src/structures/enums.dto.ts WAHAEvents as waha-2026.2.1-rest.md records it; the
# 2024.10.8 one is the contract README's ("WAHA (Core 2024.10.8 observed)"), a subset.
from __future__ import annotations

import functools
from collections.abc import Iterable

from ...i18n import Refusal
from ..base import Catalogue, EventGroup
from .versions import current

# Every event a WAHA server emits (a current one emits them all).
WAHA_EVENTS: tuple[str, ...] = (
    "session.status", "message", "message.reaction", "message.any", "message.ack", "message.ack.group",
    "message.waiting", "message.revoked", "message.edited", "state.change", "group.join", "group.leave",
    "group.v2.join", "group.v2.leave", "group.v2.update", "group.v2.participants", "presence.update",
    "poll.vote", "poll.vote.failed", "chat.archive", "call.received", "call.accepted", "call.rejected",
    "label.upsert", "label.deleted", "label.chat.added", "label.chat.deleted", "event.response",
    "event.response.failed", "engine.event",
)
# 2024.10.8 emits these only, and its webhook config takes no other name (nor `*`).
EVENTS_2024: tuple[str, ...] = (
    "session.status", "message", "message.reaction", "message.any", "message.ack", "message.waiting",
    "message.revoked", "state.change", "group.join", "group.leave", "presence.update", "poll.vote",
    "poll.vote.failed", "chat.archive", "call.received", "call.accepted", "call.rejected", "label.upsert",
    "label.deleted", "label.chat.added", "label.chat.deleted",
)
# The seed's default (messages in, their acks), in WAHA's words.
DEFAULT_EVENTS = ("message", "message.ack")
# The gateway needs the session's status for its state and QR, whatever is selected.
CONTROL_EVENTS = ("session.status",)


def emitted(version: str | None) -> tuple[str, ...]:
    """The events a server of this version emits."""
    return WAHA_EVENTS if current(version) else EVENTS_2024


def every_event(version: str | None) -> tuple[str, ...]:
    """What a webhook config names to get every event: `*` where the version takes it, else each event."""
    return ("*",) if current(version) else EVENTS_2024


def waha_selection(names: Iterable[str], version: str | None = None) -> tuple[str, ...]:
    """WAHA's names from any case, each one an event that a server of `version` emits; a Refusal (a
    ValueError) for any other (WAHA answers an unknown name with a 400)."""
    emits = emitted(version)
    selection: list[str] = []
    for name in names:
        key = str(name).strip().lower()
        if key not in WAHA_EVENTS:
            raise Refusal("{name!r} is not an event WAHA lets you select.", name=name)
        if key not in emits:
            raise Refusal("WAHA {version} does not emit {name!r}: the event came with a later version.",
                          version=version, name=name)
        if key not in selection:
            selection.append(key)
    return tuple(selection)


# Every WAHA event (exactly WAHA_EVENTS), grouped for people like Evolution's catalogue.
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


@functools.cache
def catalogue(version: str | None) -> Catalogue:
    """What a server of this version offers: the events it emits, their groups (empty ones left out) and
    the check of a selection against them."""
    emits = emitted(version)
    groups = tuple(EventGroup(group.key, group.label, events) for group in WAHA_CATALOGUE
                   if (events := tuple(event for event in group.events if event[0] in emits)))
    return Catalogue(emits, DEFAULT_EVENTS, CONTROL_EVENTS, functools.partial(waha_selection, version=version), groups)
