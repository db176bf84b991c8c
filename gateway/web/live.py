"""`/ws/ui`: the pages' live channel. HTML fragments, swapped in by element id by htmx's ws extension.

Each fragment is a named block of the page's own template, rendered once per event per tenant
(and language and role) and shared by every browser of that tenant. A (re)connect gets a full
re-render, so a page never keeps a stale toggle or badge.
"""
from __future__ import annotations

import json
import time
from collections import deque
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, request

from ..extensions import db, sock
from ..i18n import language
from ..ingest.pipeline import LiveEvent
from ..models import Instance
from ..realtime.bus import BusStatus, tenant_topic
from ..realtime.hub import FragmentCache, InstanceChanged, LiveSocket
from ..services import services
from ..tenancy import scoped
from .event_filter import EventFilter
from .events import live_row, monitor_from, rows
from .fragments import render_block

bp = Blueprint("live", __name__)

UI_QUEUE = 200  # a browser this far behind loses the oldest events, and is told how many
HELD_EVERY = 0.5  # seconds between updates of a paused monitor's held count
INSTANCES, EVENTS, BASE = "instances/index.html", "events/index.html", "base.html"


def fragment_cache() -> FragmentCache:
    return current_app.extensions["fragments"]


@bp.before_request
def _same_site_session():
    """Only a logged-in page of this site may open the socket (no cross-site socket hijacking)."""
    if g.auth != "session":
        abort(401, "Log in first.")
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        abort(403, "Cross-site sockets are refused.")


class LivePage:
    """What one open page shows, and the fragments that keep it true."""

    def __init__(self, view: str, monitor: EventFilter):
        self.view, self.monitor = view, monitor
        self.variant = (language(), g.user.can_operate)
        self.paused = False
        self.held: deque[LiveEvent] = deque(maxlen=UI_QUEUE)
        self.dropped = 0
        self.held_shown_at, self.held_pending = 0.0, False

    def _instances(self) -> list[Instance]:
        return db.session.execute(scoped(Instance).order_by(Instance.name)).scalars().all()

    def resync(self) -> list[str]:
        """The page's whole live state, as the frames to send."""
        status = [self._status(services().bus.status)]
        if self.view == "events":
            return status + [render_block(EVENTS, "rows", rows=rows(self.monitor), oob=True), self._controls()]
        return status + [self._all_instances()]

    def _status(self, status: BusStatus) -> str:
        """The banner saying that other processes' events do not arrive (empty when they do)."""
        return fragment_cache().get(("status", status, self.variant[0]),
                                    lambda: render_block(BASE, "live_status", status=status, oob=True))

    def _all_instances(self) -> str:
        instances = self._instances()
        return render_block(INSTANCES, "rows", instances=instances, oob=True) + \
            render_block(INSTANCES, "qr_panels", instances=instances, oob=True)

    def update(self, items: list, skipped: int, messages: list[str]) -> list[str]:
        """The frames that bring the page up to date after one batch.

        Table rows and other elements travel in separate frames: htmx parses a frame as one
        <template>, where rows after a <form> are dropped and a <form> after rows loses its content.
        """
        frames = [frame for message in messages for frame in self._control(message)]
        statuses = [item for item in items if isinstance(item, BusStatus)]
        if statuses:  # Redis went away or came back: say so, and after a gap show the truth again
            items = [item for item in items if not isinstance(item, BusStatus)]
            recovered = not statuses[-1].degraded and not self.paused
            frames += self.resync() if recovered else [self._status(statuses[-1])]
        if self.view == "instances":
            return frames + (self.resync() if skipped else []) + [self._instance_fragments(items)]
        events = [item for item in items if isinstance(item, LiveEvent) and self.monitor.matches(item)]
        if self.paused:  # no row shows while paused, only how many are held; they come on resume
            self.dropped += skipped
            self._hold(events)
            return frames + self._held_count(bool(events or skipped))
        return frames + [self._events(events, skipped)]

    def _instance_fragments(self, items: list) -> str:
        if any(isinstance(item, InstanceChanged) for item in items):
            last = next(item for item in reversed(items) if isinstance(item, InstanceChanged))
            return fragment_cache().get(("changed", last.seq, *self.variant), self._all_instances)
        latest = {item.instance_id: item.id for item in items}  # one re-render per instance per batch
        return "".join(fragment_cache().get(("instance", instance_id, event_id, *self.variant),
                                            lambda i=instance_id: self._instance(i))
                       for instance_id, event_id in latest.items())

    def _instance(self, instance_id: int) -> str:
        instance = db.session.get(Instance, instance_id)
        if instance is None or instance.tenant_id != g.user.tenant_id:
            return ""
        return render_block(INSTANCES, "row", instance=instance, oob=True) + \
            render_block(INSTANCES, "qr", instance=instance, oob=True)

    def _events(self, events: list[LiveEvent], skipped: int) -> str:
        rows = "".join(fragment_cache().get(("event", event.id, self.variant[0]),
                                            lambda e=event: render_block(EVENTS, "event", row=live_row(e)))
                       for event in reversed(events))
        if skipped:
            rows += render_block(EVENTS, "skipped", count=skipped)
        return f'<tbody hx-swap-oob="afterbegin:#event-rows">{rows}</tbody>' if rows else ""

    def _held_count(self, changed: bool) -> list[str]:
        """The paused controls with the held count, at most every HELD_EVERY seconds: a burst of
        events must not become a burst of frames. A count held back is sent when the wait ends."""
        self.held_pending = self.held_pending or changed
        if not self.held_pending or time.monotonic() - self.held_shown_at < HELD_EVERY:
            return []
        self.held_shown_at, self.held_pending = time.monotonic(), False
        return [self._controls()]

    def wait(self) -> float | None:
        """How long to wait for the next batch: until a held-back count is due, else without a timer
        (an item, a client message or the client leaving wakes the page)."""
        if self.held_pending:
            return max(0.0, HELD_EVERY - (time.monotonic() - self.held_shown_at))
        return None

    def _hold(self, events: list[LiveEvent]) -> None:
        for event in events:
            if len(self.held) == self.held.maxlen:
                self.dropped += 1
            self.held.append(event)

    def _control(self, message: str) -> list[str]:
        """Pause or resume the monitor; resuming shows what was held (and how many were dropped)."""
        try:
            action = json.loads(message).get("action")
        except (ValueError, AttributeError):
            return []
        if action not in ("pause", "resume") or self.view != "events":
            return []
        self.paused = action == "pause"
        frames = [self._controls()]
        if not self.paused:
            frames.append(self._events(list(self.held), self.dropped))
            self.held.clear()
            self.dropped, self.held_pending = 0, False
        return frames

    def _controls(self) -> str:
        return render_block(EVENTS, "controls", paused=self.paused, held=len(self.held) + self.dropped, oob=True)


@sock.route("/ws/ui", bp=bp)
def ui(ws):
    """Keep one open page true: a full render on connect, then fragments as events arrive."""
    view = "events" if request.args.get("view") == "events" else "instances"
    page = LivePage(view, monitor_from(request.args)[0])
    live = LiveSocket(ws, services().bus.subscribe([tenant_topic(g.user.tenant_id)], UI_QUEUE,
                                                   g.user.tenant_id),
                      services().background.spawn)
    try:
        frames = page.resync()
        while live.open and all(live.send(frame) for frame in frames if frame):
            db.session.close()  # hold no connection (nor an old snapshot) while waiting
            frames = page.update(*live.next_batch(page.wait()))
    finally:
        services().bus.unsubscribe(live.subscription)
        db.session.close()
