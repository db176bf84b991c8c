"""What a WAHA server can do, by the version its /api/server/version reports.

2024.10.8 (observed) accepts `hmac` and `retries` in a webhook config but signs nothing, sends no
event ids and never retries; its /ws carries session.status only; it emits 21 events and refuses
`*` in a webhook config. 2026.2.1 (observed) does all of it and emits every event of events.py.
Releases in between were not observed: anything newer than 2024.10.8 is taken to be a current one.
"""
from __future__ import annotations

import re

# The last version that behaves as 2024.10.8 was observed to.
LAST_OLD_VERSION = (2024, 10, 8)


def parts(version: str | None) -> tuple[int, ...]:
    return tuple(int(number) for number in re.findall(r"\d+", version or ""))


def current(version: str | None) -> bool:
    """Newer than 2024.10.8; an unknown version is assumed to be a current one."""
    return not version or parts(version) > LAST_OLD_VERSION


def signs(version: str | None) -> bool:
    """Ids, HMAC signatures and retries."""
    return current(version)


def ws_carries_messages(version: str | None) -> bool:
    """2024.10.8's /ws accepts session.status only (src/core/api/websocket.gateway.core.ts)."""
    return current(version)
