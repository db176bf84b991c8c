"""Replay: stored events of an instance for a time range published to the bus again, oldest first."""
from __future__ import annotations

from datetime import datetime

from ..extensions import db
from ..models import Event, Instance
from ..realtime.bus import Bus, instance_topic, tenant_topic
from .pipeline import LiveEvent

BATCH = 500


def replay(bus: Bus, instance: Instance, since: datetime, until: datetime) -> int:
    """Publish the instance's events received in [since, until]; returns how many.

    Frames keep their stored ids, so a subscriber that remembers ids can tell a replay from news.
    """
    topics = (tenant_topic(instance.tenant_id), instance_topic(instance.id))
    count, after = 0, 0
    while True:
        rows = db.session.execute(db.select(Event).where(
            Event.instance_id == instance.id, Event.received_at >= since, Event.received_at <= until,
            Event.id > after).order_by(Event.id).limit(BATCH)).scalars().all()
        for event in rows:
            bus.publish(topics, LiveEvent.of(event, instance.name))
        count += len(rows)
        if len(rows) < BATCH:
            return count
        after = rows[-1].id
