"""The event monitor page: the tenant's events newest first, narrowed by instance and event name."""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, render_template, request

from ..auth import login_required
from ..extensions import db
from ..ingest.pipeline import LiveEvent
from ..models import Event, Instance
from ..presenters import iso
from ..providers import event_summary
from ..tenancy import scoped

bp = Blueprint("events", __name__)

LATEST = 50


@dataclass(frozen=True)
class EventRow:
    """One monitor line, the same whether it came from the store or live from the bus."""

    id: int
    instance: str
    name: str
    source: str
    received_at: str
    summary: str
    payload_json: str


def _row(event_id, instance, name, source, received_at, payload) -> EventRow:
    return EventRow(event_id, instance, name, source, received_at, event_summary(name, payload),
                    json.dumps(payload, indent=2, ensure_ascii=False, default=str))


def live_row(event: LiveEvent) -> EventRow:
    return _row(event.id, event.instance, event.name, event.source, event.received_at, event.payload)


@dataclass(frozen=True)
class EventFilter:
    """What one monitor shows: one instance or all of the tenant's, and an event-name substring."""

    instance: str = ""
    name: str = ""

    @classmethod
    def from_args(cls, args) -> EventFilter:
        return cls(args.get("instance", "").strip()[:120], args.get("event", "").strip().lower()[:128])

    def matches(self, event: LiveEvent) -> bool:
        return (not self.instance or event.instance == self.instance) and self.name in event.name.lower()

    def latest(self, limit: int = LATEST) -> list[EventRow]:
        """The newest stored events that pass the filter, from the caller's tenant only."""
        query = scoped(Event).join(Instance, Instance.id == Event.instance_id).add_columns(Instance.name)
        if self.instance:
            query = query.where(Instance.name == self.instance)
        if self.name:
            query = query.where(Event.name.contains(self.name, autoescape=True))
        rows = db.session.execute(query.order_by(Event.id.desc()).limit(limit)).all()
        return [_row(e.id, name, e.name, e.source, iso(e.received_at), e.payload) for e, name in rows]


@bp.get("/events")
@login_required()
def index():
    """The live event monitor."""
    monitor = EventFilter.from_args(request.args)
    names = db.session.execute(scoped(Instance).order_by(Instance.name).with_only_columns(Instance.name)).scalars()
    return render_template("events/index.html", monitor=monitor, rows=monitor.latest(), instance_names=list(names))
