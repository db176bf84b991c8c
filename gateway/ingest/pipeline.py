"""The one way into the event store: normalise, de-duplicate, store (group commit), apply, publish."""
from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from .. import metrics
from ..models import Event, EventSource, utcnow
from ..presenters import iso
from ..realtime.bus import Bus, instance_topic, tenant_topic
from ..providers import event_data, provider_for, stream_frame_name
from ..providers.normalized import NormalizedEvent, NormalizeError
from ..realtime.hub import text_frame
from .apply import instance_changes
from .writer import EventWriter, PendingEvent


# Event.name's column; an unknown name longer than that is cut, not refused.
NAME_LENGTH = 128


@dataclass(frozen=True)
class Target:
    """The instance an event is for, as the pipeline needs it (no ORM object crosses greenlets)."""

    instance_id: int
    tenant_id: int
    name: str
    # The ProviderKind of the instance's server: whose normaliser reads its events.
    kind: str


@dataclass(frozen=True)
class LiveEvent:
    """A stored event as published; its JSON frame is built once, however many subscribers read it."""

    id: int
    tenant_id: int
    instance_id: int
    instance: str
    name: str
    source: str
    received_at: str
    provider_time: str | None
    payload: dict

    @classmethod
    def of(cls, event: Event, instance: str) -> LiveEvent:
        """A stored row as the bus carries it (replay publishes rows again)."""
        return cls(event.id, event.tenant_id, event.instance_id, instance, event.name, event.source,
                   iso(event.received_at), iso(event.provider_time), event.payload)

    @cached_property
    def frame(self) -> dict:
        return {"type": stream_frame_name(self.name), "id": self.id, "instance": self.instance,
                "event": self.name, "source": self.source, "received_at": self.received_at,
                "provider_time": self.provider_time, "data": event_data(self.payload)}

    @cached_property
    def frame_json(self) -> str:
        return json.dumps(self.frame, separators=(",", ":"), default=str)

    @cached_property
    def wire_frame(self) -> bytes:
        """The WebSocket frame every `/api/stream` client of this process is sent, encoded once."""
        return text_frame(self.frame_json)


class Pipeline:
    def __init__(self, writer: EventWriter, bus: Bus,
                 on_reopened: Callable[[int], None] = lambda instance_id: None,
                 on_qr_pending: Callable[[Target], None] = lambda target: None):
        self.writer = writer
        self.bus = bus
        # Called (with the stored event's target) when a provider announces a QR it did not send.
        self.on_qr_pending = on_qr_pending
        # An instance whose webhook reports it open again (its provider restarted, or it reconnected)
        # may have lost webhooks: a provider keeps its retries in memory only.
        self.on_reopened = on_reopened

    def handle(self, target: Target, envelope: object, source: str, path_event: str | None = None) -> int | None:
        """Store one provider event; its id, or None for a duplicate. NormalizeError for a non-event."""
        return self.store(target, provider_for(target.kind).normalize(envelope, path_event), source)

    def store(self, target: Target, event: NormalizedEvent, source: str) -> int | None:
        """Store an event already normalised (the webhook receiver reads its instance first)."""
        pending = self._pending(target, event, source)
        event_id = self.writer.submit(pending)
        self._stored(target, pending, event, event_id)
        return event_id

    def handle_all(self, target: Target, envelopes: list[object], source: str) -> list[int | None]:
        """Store many provider events in order, sharing commits; NormalizeError if one is not an event."""
        normalize = provider_for(target.kind).normalize
        events = [normalize(envelope) for envelope in envelopes]
        pending = [self._pending(target, event, source) for event in events]
        ids = self.writer.submit_all(pending)
        for each, event, event_id in zip(pending, events, ids):
            self._stored(target, each, event, event_id)
        return ids

    def _stored(self, target: Target, pending: PendingEvent, event: NormalizedEvent, event_id: int | None) -> None:
        metrics.event_ingested(event, pending.source, event_id)
        if event_id is not None and pending.qr_pending:
            self.on_qr_pending(target)

    def _pending(self, target: Target, event: NormalizedEvent, source: str) -> PendingEvent:
        if event.instance is not None and event.instance != target.name:
            raise NormalizeError(f'the event is for instance "{event.instance}", not "{target.name}"')
        provider, received_at = provider_for(target.kind), utcnow()
        facts = provider.facts(event)
        return PendingEvent(
            tenant_id=target.tenant_id, instance_id=target.instance_id, instance_name=target.name,
            name=event.name[:NAME_LENGTH], source=source, dedupe_key=provider.dedupe_key(event),
            provider_time=event.provider_time, received_at=received_at, payload=event.payload,
            changes=instance_changes(facts, received_at), qr_pending=facts.qr_pending)

    def publish(self, stored: list[PendingEvent]) -> None:
        """Called by the writer after each commit: subscribers only ever see durable events."""
        for pending in stored:
            if pending.source == EventSource.WEBHOOK.value and pending.changes.get("connection_state") == "open":
                self.on_reopened(pending.instance_id)
            self.bus.publish(
                (tenant_topic(pending.tenant_id), instance_topic(pending.instance_id)),
                LiveEvent(pending.event_id, pending.tenant_id, pending.instance_id, pending.instance_name,
                          pending.name, pending.source, iso(pending.received_at), iso(pending.provider_time),
                          pending.payload))
