"""Stored events as JSON: the tenant's list (newest first, paged by id), one event, export, and replay."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, abort, jsonify, request, url_for

from ...auth import api_auth_required
from ...extensions import db
from ...i18n import translate
from ...ingest.pipeline import LiveEvent
from ...ingest.replay import replay
from ...models import MAX_ID, Event, Instance, Role, utcnow
from ...providers import canonical_event_name
from ...services import services
from ...tenancy import instance_or_404, scoped
from ...text import name_problem
from ..event_filter import FilterError
from ..export import download
from .common import json_body

bp = Blueprint("api_events", __name__, url_prefix="/api/events")
DEFAULT_LIMIT, MAX_LIMIT = 50, 500


@bp.get("")
@api_auth_required()
def list_events():
    """`?instance=&event=&since=&before=&limit=`, newest first; `next` links the following page."""
    limit = _integer(request.args.get("limit"), "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    query = scoped(Event).join(Instance, Instance.id == Event.instance_id).add_columns(Instance.name)
    if "instance" in request.args:
        query = query.where(Event.instance_id == instance_or_404(request.args["instance"]).id)
    if request.args.get("event"):
        problem = name_problem("event", request.args["event"])
        if problem is not None:
            abort(400, problem.translated())
        query = query.where(Event.name == canonical_event_name(request.args["event"]))
    if "since" in request.args:
        query = query.where(Event.received_at >= _moment(request.args["since"], "since"))
    if "before" in request.args:
        query = query.where(Event.id < _integer(request.args["before"], "before", 0, 1, MAX_ID))
    rows = db.session.execute(query.order_by(Event.id.desc()).limit(limit + 1)).all()
    page = [LiveEvent.of(event, name).frame for event, name in rows[:limit]]
    following = None
    if len(rows) > limit:
        following = url_for(".list_events", **{**request.args.to_dict(), "before": page[-1]["id"]})
    return jsonify(events=page, next=following)


@bp.get("/export")
@api_auth_required()
def export_events():
    """`?format=jsonl|csv&instance=&event=&q=&since=&until=`: the monitor's filtered events as a download."""
    if request.args.get("instance"):
        instance_or_404(request.args["instance"])
    try:
        return download(request.args)
    except FilterError as error:
        abort(422, error.translated())


@bp.get(f"/<int(max={MAX_ID}):event_id>")
@api_auth_required()
def get_event(event_id: int):
    """One event with its whole stored envelope; another tenant's answers 404 like a missing one."""
    row = db.session.execute(scoped(Event).join(Instance, Instance.id == Event.instance_id)
                             .add_columns(Instance.name).where(Event.id == event_id)).first()
    if row is None:
        abort(404, f"Event {event_id} not found.")
    event, name = row
    return jsonify({**LiveEvent.of(event, name).frame, "payload": event.payload})


@bp.post("/replay")
@api_auth_required(Role.OPERATOR)
def replay_events():
    """`{instance, since, until?}`: publish the instance's stored events of that range to the live streams."""
    data = json_body()
    if not isinstance(data.get("instance"), str):
        abort(400, "instance must be the name of an instance.")
    since = _moment(data.get("since"), "since")
    until = _moment(data["until"], "until") if data.get("until") is not None else utcnow()
    if since > until:
        abort(400, "since must not be after until.")
    instance = instance_or_404(data["instance"])
    return jsonify(replayed=replay(services().bus, instance, since, until))


def _integer(value: str | None, name: str, default: int, low: int, high: int | None) -> int:
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number < low or (high is not None and number > high):
        abort(400, translate("{name} must be a whole number between {low} and {high}." if high is not None else
                             "{name} must be a whole number at least {low}.", name=name, low=low, high=high))
    return number


def _moment(value: object, name: str) -> datetime:
    """An ISO 8601 time as aware UTC; one without a zone is taken as UTC."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
        if moment is not None:
            return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError):
        pass
    abort(400, translate("{name} must be an ISO 8601 time, e.g. 2026-11-23T04:22:36Z.", name=name))
