"""The audit log: who changed what (mode switches, servers, tokens, users), when, before and after.

`record()` adds the entry to the session of the change itself, so both are committed together or
not at all. The actor is the request's user, else "cli" inside a `flask` command, else "system"
(background jobs: sync repairing drift, the silence watchdog).
"""
from __future__ import annotations

import click
from flask import g, has_request_context

from .connections.settings import stored_retries
from .extensions import db
from .models import AuditEntry, Instance
from .presenters import iso


def _user():
    return g.get("user") if has_request_context() else None


def actor() -> str:
    user = _user()
    if user is not None:
        return user.email
    # Click's context is per thread (per greenlet), so background work never looks like the CLI.
    return "cli" if click.get_current_context(silent=True) is not None else "system"


def record(action: str, target: str, before: dict | None, after: dict | None,
           tenant_id: int | None = None) -> AuditEntry:
    """Add one entry to the current transaction; `tenant_id` defaults to the acting user's tenant."""
    user = _user()
    if tenant_id is None and user is not None:
        tenant_id = user.tenant_id
    entry = AuditEntry(tenant_id=tenant_id, actor=actor(), action=action, target=target[:255],
                       before=before, after=after)
    db.session.add(entry)
    return entry


def delivery(instance: Instance) -> dict:
    """An instance's delivery settings, as a mode switch's before and after show them."""
    retries = stored_retries(instance)
    return {"mode": instance.delivery_mode, "webhook_base64": instance.webhook_base64,
            "webhook_by_events": instance.webhook_by_events, "webhook_events": instance.webhook_events,
            "websocket_events": instance.websocket_events, "webhook_retries": retries and retries.as_json()}


def entries(tenant_id: int, limit: int = 50, before_id: int | None = None) -> list[AuditEntry]:
    """The tenant's entries, newest first (changes outside any tenant are shown to none)."""
    query = db.select(AuditEntry).where(AuditEntry.tenant_id == tenant_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(db.session.execute(query.order_by(AuditEntry.id.desc()).limit(limit)).scalars())


def entry_json(entry: AuditEntry) -> dict:
    return {"id": entry.id, "at": iso(entry.at), "actor": entry.actor, "action": entry.action,
            "target": entry.target, "before": entry.before, "after": entry.after}
