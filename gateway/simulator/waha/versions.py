"""What differs between the two WAHA versions the simulator plays (contract README, both WAHA sections).

Follows src/structures/enums.dto.ts (WAHAEvents) and src/utils/events.ts (what `*` selects) of 2026.x,
src/api/server.controller.ts (the version it reports), and the two websocket gateways named in ws.py.
"""
from __future__ import annotations

from dataclasses import dataclass

# src/structures/enums.dto.ts WAHAEvents, in source order (2026.2.1, as waha-2026.2.1-rest.md lists them).
EVENTS_2026 = (
    "session.status", "message", "message.reaction", "message.any", "message.ack", "message.ack.group",
    "message.waiting", "message.revoked", "message.edited", "state.change", "group.join", "group.leave",
    "group.v2.join", "group.v2.leave", "group.v2.update", "group.v2.participants", "presence.update",
    "poll.vote", "poll.vote.failed", "chat.archive", "call.received", "call.accepted", "call.rejected",
    "label.upsert", "label.deleted", "label.chat.added", "label.chat.deleted", "event.response",
    "event.response.failed", "engine.event",
)
# The 2024.10.8 list (contract README, "WAHA Core 2024.10.8").
EVENTS_2024 = (
    "session.status", "message", "message.reaction", "message.any", "message.ack", "message.waiting",
    "message.revoked", "state.change", "group.join", "group.leave", "presence.update", "poll.vote",
    "poll.vote.failed", "chat.archive", "call.received", "call.accepted", "call.rejected", "label.upsert",
    "label.deleted", "label.chat.added", "label.chat.deleted",
)
# `*` selects every event but these (src/utils/events.ts).
NOT_IN_STAR = frozenset({"state.change", "engine.event"})


@dataclass(frozen=True)
class Version:
    number: str
    events: tuple[str, ...]
    star_allowed: bool          # `events: ["*"]` in a webhook config (refused by 2024.10.8)
    signs: bool                 # ids, timestamps, X-Webhook-* headers, HMAC, retries
    statuses_in_payload: bool   # session.status payload carries the last 3 statuses
    ws_key_required: bool       # /ws closes 1008 without `x-api-key` in the query
    ws_star_only: bool          # /ws accepts only session=* and events=* or session.status (4001)
    ping_interval: float        # seconds between server pings on /ws
    start_false_trap: bool      # after DELETE, POST start:false answers 201 empty and creates nothing
    rest_key: bool              # REST checks X-Api-Key (2024.10.8 Core reads a key but checks none)
    stop_delay: float           # seconds a running session takes to stop (PUT and restart too)
    environment: dict


VERSIONS = {
    "2026.2.1": Version("2026.2.1", EVENTS_2026, star_allowed=True, signs=True, statuses_in_payload=True,
                        ws_key_required=True, ws_star_only=False, ping_interval=60.0, start_false_trap=True,
                        rest_key=True, stop_delay=3.0,
                        environment={"version": "2026.2.1", "engine": "NOWEB", "tier": "CORE", "browser": None,
                                     "platform": "linux/x64", "worker": {"id": None}}),
    "2024.10.8": Version("2024.10.8", EVENTS_2024, star_allowed=False, signs=False, statuses_in_payload=False,
                         ws_key_required=False, ws_star_only=True, ping_interval=10.0, start_false_trap=False,
                         rest_key=False, stop_delay=0.0,
                         environment={"version": "2024.10.8", "engine": "NOWEB", "tier": "CORE",
                                      "browser": "/usr/bin/chromium"}),
}
