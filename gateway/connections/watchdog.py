"""The silence watchdog: Evolution webhooks are known to stop silently until a restart, so an open
instance in webhook mode that has been quiet too long gets its provider config checked and healed,
and what its webhook may have failed to deliver caught up.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import func

from ..extensions import db
from ..models import ConnectionState, DeliveryMode, Instance, utcnow
from ..providers.errors import ProviderError
from .manager import ConnectionManager

log = logging.getLogger(__name__)


class Watchdog:
    """Checks each silent instance once per silence window.

    Silence is judged on events alone: the periodic sync (every SYNC_INTERVAL, shorter than the
    silence by default) reads the same config and would otherwise always hide the silence. Its
    own last check per instance is kept in memory; after a restart an instance may be checked
    once more, which costs one sync and one catch-up.
    """

    def __init__(self, manager: ConnectionManager, catch_up: Callable[[int, str], None], silence: float):
        self.manager = manager
        self.catch_up = catch_up
        self.silence = silence
        self.checked_at: dict[int, datetime] = {}

    def silent_instances(self) -> list[Instance]:
        """Open webhook-mode instances with no event for `silence` seconds, not checked within it."""
        cutoff = utcnow() - timedelta(seconds=self.silence)
        quiet = db.session.execute(db.select(Instance).where(
            Instance.delivery_mode == DeliveryMode.WEBHOOK.value,
            Instance.connection_state == ConnectionState.OPEN.value,
            func.coalesce(Instance.last_event_at, Instance.created_at) < cutoff,
        ).order_by(Instance.id)).scalars()
        return [instance for instance in quiet if self.checked_at.get(instance.id, cutoff) <= cutoff]

    def run(self) -> dict[str, str]:
        """Sync every silent instance (which re-applies a lost webhook) and catch it up.

        Name -> checked, healed or error. A heal is recorded on the instance: its drift reason
        starts with "silence watchdog" and says what was wrong and when the webhook was re-applied;
        a warning is logged too. A re-apply requests its own catch-up (ConnectionManager.sync).
        """
        results = {}
        for instance in self.silent_instances():
            self.checked_at[instance.id] = utcnow()
            results[instance.name] = self._check(instance)
        return results

    def _check(self, instance: Instance) -> str:
        before = instance.drift_reason
        try:
            self.manager.sync(instance)
        except ProviderError as error:
            db.session.rollback()
            return f"error: {error.message}"
        reason = instance.drift_reason or ""
        if reason == before or "re-applied" not in reason:
            # The config is intact, yet a webhook that stopped silently loses events: read them back.
            self.catch_up(instance.id, "silence watchdog")
            return "checked"
        instance.drift_reason = f"silence watchdog (no event for {self.silence:g} s): {reason}"
        db.session.commit()
        log.warning("silence watchdog re-applied the webhook",
                    extra={"fields": {"instance": instance.name, "reason": reason}})
        return "healed"
