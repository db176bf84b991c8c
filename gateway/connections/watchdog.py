"""The silence watchdog: Evolution webhooks are known to stop silently until a restart, so an open
instance in webhook mode that has been quiet too long gets its provider config checked and healed.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, or_

from ..extensions import db
from ..models import ConnectionState, DeliveryMode, Instance, utcnow
from ..providers.errors import ProviderError
from .manager import ConnectionManager

log = logging.getLogger(__name__)


def silent_instances(silence: float) -> list[Instance]:
    """Open webhook-mode instances with no event, and no config check, for `silence` seconds."""
    cutoff = utcnow() - timedelta(seconds=silence)
    return list(db.session.execute(db.select(Instance).where(
        Instance.delivery_mode == DeliveryMode.WEBHOOK.value,
        Instance.connection_state == ConnectionState.OPEN.value,
        func.coalesce(Instance.last_event_at, Instance.created_at) < cutoff,
        # A sync within the window already checked the config: a quiet number is not a broken webhook.
        or_(Instance.last_sync_at.is_(None), Instance.last_sync_at < cutoff),
    ).order_by(Instance.id)).scalars())


def heal_silent(manager: ConnectionManager, silence: float) -> dict[str, str]:
    """Sync every silent instance (which re-applies a lost webhook); name -> checked, healed or error.

    A heal is recorded on the instance: its drift reason starts with "silence watchdog" and says
    what was wrong and when the webhook was re-applied; a warning is logged too.
    """
    results = {}
    for instance in silent_instances(silence):
        before = instance.drift_reason
        try:
            manager.sync(instance)
        except ProviderError as error:
            db.session.rollback()
            results[instance.name] = f"error: {error.message}"
            continue
        reason = instance.drift_reason or ""
        if reason == before or "re-applied" not in reason:
            results[instance.name] = "checked"
            continue
        instance.drift_reason = f"silence watchdog (no event for {silence:g} s): {reason}"
        db.session.commit()
        log.warning("silence watchdog re-applied the webhook",
                    extra={"fields": {"instance": instance.name, "reason": reason}})
        results[instance.name] = "healed"
    return results
