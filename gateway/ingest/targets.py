"""The instances a webhook may be for, by name, cached so the receiver's hot path skips the database.

A miss reads on a connection of its own, returned to the pool at once: the request then waits for the
event writer, which needs a connection from the same pool, and must not hold one meanwhile. It reads
in an app context of its own, so that the receiver's fast path needs none on a hit.

The cache is emptied whenever an instance is inserted, updated or deleted through the ORM, and an
entry expires after `ttl` seconds so that a change made around the ORM (a cascade) is seen too.
Other processes' caches are emptied once such a change is committed (gateway/changes.py).
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context
from sqlalchemy import event

from ..extensions import db
from ..models import Instance, ProviderServer
from .pipeline import Target


@dataclass(frozen=True)
class Candidate:
    target: Target
    secret: str


class Targets:
    def __init__(self, app: Flask, ttl: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.ttl = ttl
        self.clock = clock
        self._entries: dict[tuple[str, str], tuple[float, tuple[Candidate, ...]]] = {}

    def named(self, name: str, kind: str) -> tuple[Candidate, ...]:
        """Every instance called `name` on a `kind` server (one per tenant at most); empty when none is known."""
        now = self.clock()
        hit = self._entries.get((name, kind))
        if hit is not None and hit[0] > now:
            return hit[1]
        with self.app.app_context(), db.engine.connect() as connection:
            rows = connection.execute(
                db.select(Instance.id, Instance.tenant_id, Instance.name, Instance.webhook_secret)
                .join(ProviderServer, ProviderServer.id == Instance.server_id)
                .where(Instance.name == name, ProviderServer.kind == kind)).all()
        found = tuple(Candidate(Target(row.id, row.tenant_id, row.name, kind), row.webhook_secret) for row in rows)
        if found:
            # Unknown names are not kept: an instance created a moment later must be found at once.
            self._entries[(name, kind)] = (now + self.ttl, found)
        else:
            self._entries.pop((name, kind), None)
        return found

    def clear(self) -> None:
        self._entries.clear()


@event.listens_for(Instance, "after_insert")
@event.listens_for(Instance, "after_update")
@event.listens_for(Instance, "after_delete")
def _instance_changed(_mapper, _connection, _instance) -> None:
    services = current_app.extensions.get("gateway") if has_app_context() else None
    if services is not None:
        services.targets.clear()
