"""Retention: events older than the configured age are deleted, in batches so ingest keeps flowing."""
from __future__ import annotations

import logging
from datetime import timedelta

import gevent
from sqlalchemy import delete

from ..extensions import db
from ..models import Event, utcnow

log = logging.getLogger(__name__)
BATCH = 1000


def prune_events(max_age: timedelta, batch: int = BATCH) -> int:
    """Delete events received longer than `max_age` ago; returns how many went."""
    cutoff = utcnow() - max_age
    total = 0
    while True:
        oldest = db.select(Event.id).where(Event.received_at < cutoff).order_by(Event.id).limit(batch)
        deleted = db.session.execute(delete(Event).where(Event.id.in_(oldest.scalar_subquery()))
                                     .execution_options(synchronize_session=False)).rowcount
        db.session.commit()
        total += deleted
        if deleted < batch:
            break
        gevent.sleep(0)  # one short transaction per batch; let the event writer have the database between
    if total:
        log.info("old events pruned", extra={"fields": {"deleted": total, "before": cutoff.isoformat()}})
    return total
