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
from .connections.watchdog import heal_silent
from .ingest.normalize import NormalizeError
from .ingest.pipeline import Pipeline, Target
from .ingest.resync import Resync
from .ingest.retention import prune_events
from .ingest.targets import Targets
from .ingest.writer import EventWriter
from .jobs import Jobs
from .models import EventSource
from .realtime.bus import Bus
from .realtime.hub import announce

log = logging.getLogger(__name__)
WATCHDOG_EVERY = 60.0  # seconds; the silence threshold itself is WATCHDOG_SILENCE
RETENTION_EVERY = 3600.0


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

    def start(self, app: Flask) -> None:
        """Boot the background side: socket clients for websocket instances, and the periodic jobs."""
        with app.app_context():
            self.supervisor.start_all()
        self.jobs.every("sync", app.config["SYNC_INTERVAL"], self.manager.sync_all)
        silence, retention = app.config["WATCHDOG_SILENCE"], timedelta(days=app.config["EVENT_RETENTION_DAYS"])
        self.jobs.every("watchdog", WATCHDOG_EVERY, lambda: heal_silent(self.manager, silence))
        self.jobs.every("retention", RETENTION_EVERY, lambda: prune_events(retention))

    def shutdown(self) -> None:
        self.jobs.stop()
        self.supervisor.stop_all()
        self.writer.stop()
        self.background.shutdown()


def init_services(app: Flask) -> Services:
    background = Background(app)
    bus = Bus()
    pipeline = Pipeline(None, bus)
    writer = EventWriter(background.spawn, pipeline.publish)
    pipeline.writer = writer
    resync = Resync(pipeline)

    def socket_event(target: Target, event: str, data: object) -> None:
        try:
            pipeline.handle(target, data, EventSource.WEBSOCKET.value)
        except NormalizeError as error:
            log.warning("socket frame skipped", extra={"fields": {"instance": target.name, "error": str(error)}})

    backoff = Backoff(app.config["SOCKET_BACKOFF_BASE"], app.config["SOCKET_BACKOFF_CAP"])
    supervisor = SocketSupervisor(background, socket_event, resync.on_join, backoff)
    manager = ConnectionManager(supervisor, lambda tenant_id, instance_id: announce(bus, tenant_id, instance_id),
                                app.config["WEBSOCKET_ENABLED"], app.config["SOCKET_JOIN_TIMEOUT"])
    services = Services(background, bus, writer, pipeline, supervisor, manager, Jobs(background), Targets(app))
    app.extensions["gateway"] = services
    return services


def services() -> Services:
    return current_app.extensions["gateway"]
