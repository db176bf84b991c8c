"""The app's long-lived services, built once per app and kept in app.extensions["gateway"]."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask, current_app

from .background import Background
from .change_watch import ChangeWatch
from .cluster.registry import process_identity
from .cluster.ownership import Ownership
from .cluster.setup import Cluster, build_cluster
from .connections.backoff import Backoff
from .connections.local import LocalSockets
from .connections.manager import ConnectionManager
from .connections.supervisor import SocketSupervisor
from .connections.unheard import newly_unheard
from .connections.watchdog import Watchdog
from .ingest.pipeline import Pipeline, Target
from .ingest.qr_fetch import QrFetcher
from .ingest.resync import Resync
from .ingest.retention import prune_events
from .ingest.targets import Targets
from .ingest.writer import EventWriter
from .jobs import Jobs
from .extensions import db
from .models import DeliveryMode, EventSource, Instance
from .providers.normalized import NormalizeError
from .realtime.bus import Bus
from .realtime.hub import announce
from .realtime.relay import RedisBus
from .redis_client import redis_from_config, redis_key
from .selfcheck import SelfChecker

log = logging.getLogger(__name__)
# Reconnecting to Redis: soon after a blip, never more than a few seconds after it returns.
BUS_BACKOFF = Backoff(base=0.2, cap=5.0)
RETENTION_EVERY = 3600.0
UNHEARD_EVERY = 60.0  # seconds between looks for new "no webhook has arrived" flags
# An instance that reopens is caught up a moment later: the events the provider sends live right
# after a reconnect (or a first login) then arrive as themselves first, and catch-up finds only the gap.
REOPEN_DELAY = 2.0


@dataclass
class Services:
    background: Background
    bus: Bus
    writer: EventWriter
    pipeline: Pipeline
    # This process's socket clients themselves.
    supervisor: SocketSupervisor
    # Which sockets this process holds, what the manager and the API talk to: the cluster's Ownership,
    # else LocalSockets (one process without Redis).
    sockets: Ownership | LocalSockets
    manager: ConnectionManager
    jobs: Jobs
    targets: Targets
    resync: Resync
    watchdog: Watchdog
    selfcheck: SelfChecker
    # This process (host, pid, started), as /api/cluster names it.
    identity: dict
    # Several processes on Redis; None for one process alone (the embedded default).
    cluster: Cluster | None = None
    # Without Redis: how the server hears of instance changes other processes (CLI commands) committed.
    changes: ChangeWatch | None = None

    def start(self, app: Flask) -> None:
        """Boot the background side: socket clients for websocket instances (in a cluster, this
        process's share of them; alone, all of them, kept in line with what CLI commands commit),
        catch-up for webhook instances (the gateway may have been down longer than the provider keeps
        its retries), and the periodic jobs.

        In a cluster the start catch-up is the leader's, once: a process that starts beside others
        that were running missed nothing, and a whole cluster starting at once needs it only once.
        """
        if self.cluster:
            self.cluster.start(self.background.spawn)
        else:
            with app.app_context():
                self.sockets.start_all()
            self.background.spawn("instance-changes", self.changes.run)
        lease = app.config["CLUSTER_LEASE_TTL"]
        # Long enough for a dead leader's lease to expire and a starting process to take it.
        self.jobs.once("catch-up at start", 3 * lease, lease / 3, self.catch_up_webhooks)
        self.background.spawn("selfcheck", self.selfcheck.at_start)
        self.jobs.every("sync", app.config["SYNC_INTERVAL"], self.manager.sync_all)
        self.jobs.every("watchdog", app.config["WATCHDOG_INTERVAL"], self.watchdog.run)
        retention = timedelta(days=app.config["EVENT_RETENTION_DAYS"])
        self.jobs.every("retention", RETENTION_EVERY, lambda: prune_events(retention))
        unheard = app.config["UNHEARD_WEBHOOK_AFTER"]
        self.jobs.every("unheard", UNHEARD_EVERY, lambda: self.flag_unheard(unheard, UNHEARD_EVERY))

    def flag_unheard(self, after: float, every: float) -> None:
        """Render again the rows whose "no webhook has arrived" flag appeared since the last run."""
        for instance in newly_unheard(after, every):
            self.manager.announce(instance.tenant_id, instance.id)

    def catch_up_webhooks(self) -> None:
        """Request a catch-up for every instance that delivers by webhook."""
        ids = db.session.execute(db.select(Instance.id).where(
            Instance.delivery_mode == DeliveryMode.WEBHOOK.value).order_by(Instance.id)).scalars().all()
        for instance_id in ids:
            self.resync.request(instance_id, "gateway start")

    def shutdown(self) -> None:
        self.jobs.stop()
        self.selfcheck.stopping.set()
        self.resync.stop()
        if self.cluster:
            self.cluster.stop()
        else:
            self.changes.stop()
            self.sockets.stop_all()
        self.writer.stop()
        self.bus.stop()
        self.background.shutdown()


def init_services(app: Flask) -> Services:
    background = Background(app)
    # Several processes share their events over Redis; one process (the embedded default) needs none.
    client = app.extensions["redis"] = redis_from_config(app)
    bus = RedisBus(client, redis_key(app, "bus"), background.spawn, BUS_BACKOFF) if client else Bus()
    pipeline = Pipeline(None, bus, on_qr_pending=QrFetcher(
        background.spawn, lambda tenant_id, instance_id: announce(bus, tenant_id, instance_id)))
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
                                  app.config["SOCKET_NAMESPACE_RETRY"], app.config["RESYNC_CONCURRENCY"])
    identity = process_identity()
    cluster = build_cluster(app, client, supervisor, background.spawn, identity) if client else None
    sockets = cluster.ownership if cluster else LocalSockets(supervisor, background.spawn,
                                                             app.config["CLUSTER_RECONCILE_EVERY"])
    manager = ConnectionManager(sockets, lambda tenant_id, instance_id: announce(bus, tenant_id, instance_id),
                                app.config["WEBSOCKET_ENABLED"], app.config["SOCKET_JOIN_TIMEOUT"], resync.request)
    watchdog = Watchdog(manager, resync.request, app.config["WATCHDOG_SILENCE"])
    jobs = Jobs(background, cluster.leadership.may_run) if cluster else Jobs(background)
    services = Services(background, bus, writer, pipeline, supervisor, sockets, manager, jobs, Targets(app), resync,
                        watchdog, SelfChecker(), identity, cluster)
    if cluster:
        cluster.notices.listeners.append(lambda _notice: services.targets.clear())
    else:
        services.changes = _watch_changes(app, services)
    app.extensions["gateway"] = services
    return services


def _watch_changes(app: Flask, services: Services) -> ChangeWatch:
    """What the server does when another process changed instances: what the cluster's notices make its
    processes do (forget cached instances, reconcile the sockets), and re-render those tenants' pages,
    which a command's own announcements never reach without Redis."""
    watch = ChangeWatch(app.config["INSTANCE_CHANGES_EVERY"])
    watch.listeners.append(lambda _tenants: services.targets.clear())
    watch.listeners.append(services.sockets.heard)

    def rerender(tenants: set[int]) -> None:
        for tenant_id in tenants:
            announce(services.bus, tenant_id, None)

    watch.listeners.append(rerender)
    return watch


def services() -> Services:
    return current_app.extensions["gateway"]
