"""Webhooks that never came: an instance a sync found newly open in webhook mode should have sent its
connection.update by webhook; when nothing at all has arrived since, PUBLIC_URL is likely unreachable
from the provider, and the instances page says so on the instance's row."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ..extensions import db
from ..models import ConnectionState, DeliveryMode, Instance, utcnow

# An event this shortly before the sync saw the instance open is the webhook's own connection.update,
# stored while the sync was reading the provider (the two run concurrently).
RACE_MARGIN = timedelta(seconds=60)


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes that were stored as UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment


def opened_unheard(instance: Instance, state: str) -> bool:
    """Whether a sync reading `state` learns of a connection the webhook should have announced first."""
    return (state == ConnectionState.OPEN.value and instance.connection_state != ConnectionState.OPEN.value
            and instance.delivery_mode == DeliveryMode.WEBHOOK.value)


def unheard_since(instance: Instance, after: float, now: datetime) -> datetime | None:
    """When the instance was seen open with no event since, once that is at least `after` seconds ago."""
    seen = _utc(instance.open_seen_at)
    if (seen is None or instance.delivery_mode != DeliveryMode.WEBHOOK.value
            or instance.connection_state != ConnectionState.OPEN.value):
        return None
    last_event = _utc(instance.last_event_at)
    if last_event is not None and last_event >= seen - RACE_MARGIN:
        return None
    return seen if now - seen >= timedelta(seconds=after) else None


def newly_unheard(after: float, every: float) -> list[Instance]:
    """Instances whose flag appeared within the last `every` seconds (their rows need rendering again)."""
    now = utcnow()
    candidates = db.session.execute(db.select(Instance).where(
        Instance.delivery_mode == DeliveryMode.WEBHOOK.value,
        Instance.connection_state == ConnectionState.OPEN.value,
        Instance.open_seen_at <= now - timedelta(seconds=after),
        Instance.open_seen_at > now - timedelta(seconds=after + every),
    )).scalars()
    return [instance for instance in candidates if unheard_since(instance, after, now)]
