"""An operator's catch-up request (JSON API and instances page): its checks, then the catch-up itself."""
from __future__ import annotations

from datetime import datetime

from .providers.normalized import parse_utc
from .ingest.resync import Resync
from .instances import InstanceError
from .models import DeliveryMode, Instance, utcnow


def parse_since(value: object) -> datetime | None:
    """The optional start of the window: an ISO 8601 time in the past (UTC when it has no zone)."""
    if value is None:
        return None
    moment = parse_utc(value)
    if moment is None:
        raise InstanceError("since must be an ISO 8601 time, e.g. 2026-11-23T04:22:36Z.")
    if moment > utcnow():
        raise InstanceError("since must not be in the future.")
    return moment


def catch_up(resync: Resync, instance: Instance, since: datetime | None = None) -> dict:
    """Read back what the provider still has from `since` (default: the last stored event minus the
    margin) and store what never arrived; counts as JSON. ProviderError passes to the caller."""
    if instance.mode is DeliveryMode.NONE:
        raise InstanceError('"{name}" delivers no events (mode none): choose webhook or websocket first.',
                            name=instance.name)
    name = instance.name
    result = resync.catch_up(instance.id, since)
    if result is None:
        raise InstanceError('"{name}" was deleted meanwhile.', name=name)
    return {"instance": name, **result.json()}
