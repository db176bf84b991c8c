"""The app's long-lived services, built once per app and kept in app.extensions["gateway"]."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app

from .background import Background
from .connections.backoff import Backoff
from .connections.manager import ConnectionManager
from .connections.supervisor import SocketSupervisor
from .connections.watchdog import Watchdog
from .ingest.normalize import NormalizeError
from .ingest.pipeline import Pipeline, Target
from .ingest.resync import Resync
from .ingest.retention import prune_events
from .ingest.targets import Targets
from .ingest.writer import EventWriter
from .jobs import Jobs
from .extensions import db
from .models import DeliveryMode, EventSource, Instance
from .realtime.bus import Bus
from .realtime.hub import announce
from .realtime.relay import RedisBus
from .redis_client import redis_from_config, redis_key

log = logging.getLogger(__name__)
# Reconnecting to Redis: soon after a blip, never more than a few seconds after it returns.
BUS_BACKOFF = Backoff(base=0.2, cap=5.0)
RETENTION_EVERY = 3600.0
# An instance that reopens is caught up a moment later: the events the provider sends live right
# after a reconnect (or a first login) then arrive as themselves first, and catch-up finds only the gap.
REOPEN_DELAY = 2.0


@dataclass
class Services:
    background: Background
    bus: Bus
    writer: EventWriter
    pipeline: Pipeline
    supervisor: SocketSupervisor
    manager: ConnectionManager
    jobs: Jobs
    targets: Targets
    resync: Resync
    watchdog: Watchdog

    def start(self, app: Flask) -> None:
        """Boot the background side: socket clients for websocket instances, catch-up for webhook
        instances (the gateway may have been down longer than the provider keeps its retries), and
        the periodic jobs."""
        with app.app_context():
            self.supervisor.start_all()
            self.catch_up_webhooks()
        self.jobs.every("sync", app.config["SYNC_INTERVAL"], self.manager.sync_all)
        self.jobs.every("watchdog", app.config["WATCHDOG_INTERVAL"], self.watchdog.run)
        retention = timedelta(days=app.config["EVENT_RETENTION_DAYS"])
        self.jobs.every("retention", RETENTION_EVERY, lambda: prune_events(retention))

    def catch_up_webhooks(self) -> None:
        """Request a catch-up for every instance that delivers by webhook."""
        ids = db.session.execute(db.select(Instance.id).where(
            Instance.delivery_mode == DeliveryMode.WEBHOOK.value).order_by(Instance.id)).scalars().all()
        for instance_id in ids:
            self.resync.request(instance_id, "gateway start")

    def shutdown(self) -> None:
        self.jobs.stop()
        self.resync.stop()
        self.supervisor.stop_all()
        self.writer.stop()
        self.bus.stop()
        self.background.shutdown()


def init_services(app: Flask) -> Services:
    background = Background(app)
    # Several processes share their events over Redis; one process (the embedded default) needs none.
    client = app.extensions["redis"] = redis_from_config(app)
    bus = RedisBus(client, redis_key(app, "bus"), background.spawn, BUS_BACKOFF) if client else Bus()
    pipeline = Pipeline(None, bus)
    writer = EventWriter(background.spawn, pipeline.publish)
    pipeline.writer = writer
    resync = Resync(pipeline, background.spawn, timedelta(seconds=app.config["CATCHUP_MARGIN"]))
    pipeline.on_reopened = lambda instance_id: resync.request(instance_id, "instance reopened", REOPEN_DELAY)

    def socket_event(target: Target, event: str, data: object) -> None:
        try:
            pipeline.handle(target, data, EventSource.WEBSOCKET.value)
        except NormalizeError as error:
            log.warning("socket frame skipped", extra={"fields": {"instance": target.name, "error": str(error)}})

    backoff = Backoff(app.config["SOCKET_BACKOFF_BASE"], app.config["SOCKET_BACKOFF_CAP"])
    supervisor = SocketSupervisor(background, socket_event, resync.on_join, backoff,
                                  app.config["SOCKET_NAMESPACE_RETRY"])
    manager = ConnectionManager(supervisor, lambda tenant_id, instance_id: announce(bus, tenant_id, instance_id),
                                app.config["WEBSOCKET_ENABLED"], app.config["SOCKET_JOIN_TIMEOUT"], resync.request)
    watchdog = Watchdog(manager, resync.request, app.config["WATCHDOG_SILENCE"])
    services = Services(background, bus, writer, pipeline, supervisor, manager, Jobs(background), Targets(app),
                        resync, watchdog)
    app.extensions["gateway"] = services
    return services


def services() -> Services:
    return current_app.extensions["gateway"]
