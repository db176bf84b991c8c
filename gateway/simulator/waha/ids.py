"""Identifiers shaped like WAHA's: event ids `evt_<lowercase ULID>` and 17-character request ids.

Follows src/utils/ids.ts (generatePrefixedId: prefix + ulid().toLowerCase()), called with `evt` for
every event by src/core/abc/session.abc.ts, and src/core/integrations/webhooks/WebhookSender.ts
(X-Webhook-Request-Id from npm `uniqid`: 17 base-36 characters in the captures).
"""
from __future__ import annotations

import secrets
import string
import time

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
_BASE36 = string.digits + string.ascii_lowercase


def ulid(now_ms: int | None = None) -> str:
    """26 Crockford base-32 characters: 48 bits of milliseconds, then 80 random bits."""
    value = ((now_ms if now_ms is not None else int(time.time() * 1000)) << 80) | secrets.randbits(80)
    return "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def event_id() -> str:
    return "evt_" + ulid()


def request_id() -> str:
    """Time in base 36, then random base-36 characters, 17 in all."""
    stamp, value = "", int(time.time() * 1000)
    while value:
        value, digit = divmod(value, 36)
        stamp = _BASE36[digit] + stamp
    return stamp + "".join(secrets.choice(_BASE36) for _ in range(17 - len(stamp)))


def now_ms() -> int:
    return int(time.time() * 1000)
