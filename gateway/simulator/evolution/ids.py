"""Identifiers and timestamps shaped the way Evolution (uuid v4, Prisma cuid, JS Date) makes them.

Follows src/api/controllers/instance.controller.ts (v4 ids, upper-case hash) and the cuid() ids of
prisma/postgresql-schema.prisma.
"""
from __future__ import annotations

import secrets
import string
import time
import uuid
from datetime import datetime, timezone

_BASE36 = string.digits + string.ascii_lowercase


def now_iso() -> str:
    """JavaScript's `new Date().toISOString()`: UTC, milliseconds, trailing Z."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def epoch_seconds() -> int:
    """Baileys message timestamps are whole seconds."""
    return int(time.time())


def instance_id() -> str:
    return str(uuid.uuid4())


def instance_token() -> str:
    """The generated `hash` when the create body has no token: `v4().toUpperCase()`."""
    return str(uuid.uuid4()).upper()


def cuid() -> str:
    """Prisma's default row id: 25 characters starting with `c`."""
    return "c" + "".join(secrets.choice(_BASE36) for _ in range(24))


def message_key_id(from_me: bool) -> str:
    """WhatsApp message ids: `3EB0…` (web, 22 chars) for ours, 32 hex (android) for theirs."""
    if from_me:
        return "3EB0" + secrets.token_hex(9).upper()
    return secrets.token_hex(16).upper()
