"""The event monitor page: the tenant's events newest first, filtered, paged back in time, exported."""
from __future__ import annotations

import json
from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request

from ..auth import login_required
from ..extensions import db
from ..ingest.pipeline import LiveEvent
from ..models import MAX_ID, Instance
from ..providers import event_summary
from ..tenancy import scoped
from .event_filter import EventFilter, FilterError
from .export import download
from .fragments import render_block

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
    sender: str
    text: str
    payload_json: str


def live_row(event: LiveEvent) -> EventRow:
    said = event_summary(event.name, event.payload)
    return EventRow(event.id, event.instance, event.name, event.source, event.received_at, said.sender, said.text,
                    json.dumps(event.payload, indent=2, ensure_ascii=False, default=str))


def rows(monitor: EventFilter, before: int | None = None) -> list[EventRow]:
    """A page of stored events that pass the filter, from the caller's tenant only."""
    return [live_row(LiveEvent.of(event, name)) for event, name in monitor.page(LATEST, before)]


def monitor_from(args) -> tuple[EventFilter, str | None]:
    """The filter the page asked for; a bad time is left out and explained, never a failed page."""
    try:
        return EventFilter.from_args(args), None
    except FilterError as error:
        kept = {key: value for key, value in args.items() if key not in ("since", "until")}
        return EventFilter.from_args(kept), error.translated()


@bp.get("/events")
@login_required()
def index():
    """The live event monitor."""
    monitor, error = monitor_from(request.args)
    names = db.session.execute(scoped(Instance).order_by(Instance.name).with_only_columns(Instance.name)).scalars()
    shown = rows(monitor)
    return render_template("events/index.html", monitor=monitor, rows=shown, more=len(shown) == LATEST,
                           error=error, instance_names=list(names))


@bp.get("/events/older")
@login_required()
def older():
    """The page of events before `before` (an event id), as rows to append below the others."""
    monitor, _ = monitor_from(request.args)
    before = request.args.get("before", type=int)
    if before is None or not 0 < before <= MAX_ID:
        abort(422, "before must be the id of the oldest event shown.")
    shown = rows(monitor, before)
    headers = {} if len(shown) == LATEST else {"HX-Trigger": "older-exhausted"}
    return render_block("events/index.html", "older_rows", rows=shown), headers


@bp.get("/events/export")
@login_required()
def export():
    """The filtered events as a JSONL or CSV download."""
    try:
        return download(request.args)
    except FilterError as error:
        abort(422, error.translated())
