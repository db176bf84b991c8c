"""What an event monitor (or its export) shows: instance, event name, text in the payload, a time range.

The text search runs over the stored JSON text, on SQLite and PostgreSQL alike, and the live
stream applies the very same test in Python, so a row never appears live that a reload would hide.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Select, Text, cast, func

from ..extensions import db
from ..i18n import Refusal
from ..ingest.pipeline import LiveEvent
from ..models import Event, Instance
from ..tenancy import scoped
from ..text import storable

INSTANCE_LENGTH, NAME_LENGTH, TEXT_LENGTH = 120, 128, 200


class FilterError(Refusal):
    """A filter the caller typed that cannot be applied; the message says which field and why."""


def needle(text: str) -> str:
    """`text` as it appears inside the stored JSON: SQLAlchemy stores payloads with json.dumps'
    defaults, which escape every non-ASCII character (`á` is `\\u00e1`). Lower-cased, like the haystack.
    """
    return json.dumps(text)[1:-1].lower()


def payload_text(payload: dict) -> str:
    """The payload as the database holds it, for the live side of the same test."""
    return json.dumps(payload).lower()


def _moment(value: str, field: str) -> datetime | None:
    """A time typed in the page's UTC date-time field (or any ISO 8601 form); aware UTC."""
    value = value.strip()
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
        return moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError):  # OverflowError: a zone that moves year 1 or 9999 out of range
        raise FilterError("{field} must be a date and time, e.g. 2026-11-23T04:22.", field=field) from None


@dataclass(frozen=True)
class EventFilter:
    """One instance or all of the tenant's; event-name and payload-text substrings; received range."""

    instance: str = ""
    name: str = ""
    text: str = ""
    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def from_args(cls, args) -> EventFilter:
        """From a query string; FilterError for a time that is not one."""
        # storable(): PostgreSQL cannot compare text holding NUL; with U+FFFD in its place nothing matches.
        return cls(storable(args.get("instance", "").strip()[:INSTANCE_LENGTH]),
                   storable(args.get("event", "").strip().lower()[:NAME_LENGTH]),
                   args.get("q", "").strip()[:TEXT_LENGTH],
                   _moment(args.get("since", ""), "since"), _moment(args.get("until", ""), "until"))

    def args(self) -> dict[str, str]:
        """The query string that rebuilds this filter (links to export, to older pages)."""
        values = {"instance": self.instance, "event": self.name, "q": self.text,
                  "since": self.since.strftime("%Y-%m-%dT%H:%M:%S") if self.since else "",
                  "until": self.until.strftime("%Y-%m-%dT%H:%M:%S") if self.until else ""}
        return {key: value for key, value in values.items() if value}

    def matches(self, event: LiveEvent) -> bool:
        """The live side of query(): the same instance, name, text and time tests."""
        received = datetime.fromisoformat(event.received_at)
        return ((not self.instance or event.instance == self.instance) and self.name in event.name.lower()
                and (not self.text or needle(self.text) in payload_text(event.payload))
                and (self.since is None or received >= self.since)
                and (self.until is None or received <= self.until))

    def query(self) -> Select:
        """The caller's tenant's events that pass, with their instance's name, newest first."""
        query = scoped(Event).join(Instance, Instance.id == Event.instance_id).add_columns(Instance.name)
        if self.instance:
            query = query.where(Instance.name == self.instance)
        if self.name:
            query = query.where(Event.name.contains(self.name, autoescape=True))
        if self.text:
            query = query.where(func.lower(cast(Event.payload, Text)).contains(needle(self.text), autoescape=True))
        if self.since:
            query = query.where(Event.received_at >= self.since)
        if self.until:
            query = query.where(Event.received_at <= self.until)
        return query.order_by(Event.id.desc())

    def page(self, limit: int, before: int | None = None) -> list[tuple[Event, str]]:
        """Up to `limit` events older than the event id `before` (keyset paging: stable while events arrive)."""
        query = self.query() if before is None else self.query().where(Event.id < before)
        return [(event, name) for event, name in db.session.execute(query.limit(limit)).all()]

    def every(self, batch: int = 500) -> Iterator[tuple[Event, str]]:
        """All of them, newest first, read a batch at a time (for exports of any size)."""
        before = None
        while rows := self.page(batch, before):
            yield from rows
            db.session.expunge_all()  # the batch is written out; hold no more than one in memory
            before = rows[-1][0].id
            if len(rows) < batch:
                return
