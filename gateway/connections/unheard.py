"""Webhooks that never came: an instance a sync found newly open in webhook mode should have sent its
connection.update by webhook; when no event has arrived by webhook since (catch-up may have filled
in meanwhile), PUBLIC_URL is likely unreachable from the provider, and the instance's row says so."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func

from ..extensions import db
from ..models import ConnectionState, DeliveryMode, Event, EventSource, Instance, utcnow

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


def unheard_since(instance: Instance, after: float, now: datetime, last_webhook_at: datetime | None) -> datetime | None:
    """When the instance was seen open with nothing by webhook since, once that is `after` seconds ago."""
    seen = _utc(instance.open_seen_at)
    if (seen is None or instance.delivery_mode != DeliveryMode.WEBHOOK.value
            or instance.connection_state != ConnectionState.OPEN.value or now - seen < timedelta(seconds=after)):
        return None
    last = _utc(last_webhook_at)
    return None if last is not None and last >= seen - RACE_MARGIN else seen


def last_webhook_at(instance_id: int) -> datetime | None:
    return db.session.execute(db.select(func.max(Event.received_at)).where(
        Event.instance_id == instance_id, Event.source == EventSource.WEBHOOK.value)).scalar()


def webhook_unheard_since(instance: Instance, after: float, now: datetime) -> datetime | None:
    """unheard_since() with the instance's last webhook event, read only for rows that could be flagged."""
    if unheard_since(instance, after, now, None) is None:
        return None
    return unheard_since(instance, after, now, last_webhook_at(instance.id))


def newly_unheard(after: float, every: float) -> list[Instance]:
    """Instances whose flag appeared within the last `every` seconds (their rows need rendering again)."""
    now = utcnow()
    candidates = db.session.execute(db.select(Instance).where(
        Instance.delivery_mode == DeliveryMode.WEBHOOK.value,
        Instance.connection_state == ConnectionState.OPEN.value,
        Instance.open_seen_at <= now - timedelta(seconds=after),
        Instance.open_seen_at > now - timedelta(seconds=after + every),
    )).scalars()
    return [instance for instance in candidates if webhook_unheard_since(instance, after, now)]
