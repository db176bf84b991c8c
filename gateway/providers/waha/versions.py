"""What a WAHA server can do, by the version its /api/server/version reports.

2024.10.8 (observed) accepts `hmac` and `retries` in a webhook config but signs nothing, sends no
event ids and never retries; its /ws carries session.status only. 2026.2.1 (observed) does all of
it. Releases in between were not observed: anything newer than 2024.10.8 is taken to sign.
"""
from __future__ import annotations

import re

LAST_UNSIGNED = (2024, 10, 8)


def parts(version: str | None) -> tuple[int, ...]:
    return tuple(int(number) for number in re.findall(r"\d+", version or ""))


def signs(version: str | None) -> bool:
    """Ids, HMAC signatures and retries; an unknown version is assumed to be a current one."""
    return not version or parts(version) > LAST_UNSIGNED


def ws_carries_messages(version: str | None) -> bool:
    """2024.10.8's /ws accepts session.status only (src/core/api/websocket.gateway.core.ts)."""
    return signs(version)
