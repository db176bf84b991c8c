"""Builds the cluster side of the services when Redis is configured; one process without Redis needs none."""
from __future__ import annotations

from dataclasses import dataclass

import redis
from flask import Flask

from ..connections.backoff import Backoff
from ..connections.supervisor import SocketSupervisor
from ..redis_client import redis_key
from .leadership import Leadership
from .leases import Lease
from .notices import Notices
from .ownership import Ownership
from .registry import Registry

# Resubscribing to notices after Redis failed: soon, and never hammering it.
NOTICE_BACKOFF = Backoff(base=0.2, cap=5.0)


@dataclass
class Cluster:
    ownership: Ownership
    notices: Notices
    registry: Registry
    leadership: Leadership

    def start(self, spawn) -> None:
        """Make this process a holder: it takes its share of the socket leases and may lead the jobs.
        The web workers start at boot; a CLI command never does, so it takes no lease and only writes
        the desired state, which the commit's notice tells the holders about."""
        spawn("cluster:notices", self.notices.run)
        self.ownership.start_all()

    def stop(self) -> None:
        self.notices.stop()
        self.ownership.stop_all()


def lease_margin(ttl: float) -> float:
    """Give a lease up a third of its life before Redis would: room for clock steps and slow replies."""
    return ttl / 3


def build_cluster(app: Flask, client: redis.Redis, supervisor: SocketSupervisor, spawn, identity: dict) -> Cluster:
    ttl = app.config["CLUSTER_LEASE_TTL"]

    def lease_for(name: str) -> Lease:
        return Lease(client, redis_key(app, "lease", name), identity["id"], ttl, lease_margin(ttl))

    registry = Registry(client, redis_key(app), ttl)
    leadership = Leadership(lease_for("leader"), client, redis_key(app))
    ownership = Ownership(supervisor, lease_for, registry, leadership, identity, spawn,
                          app.config["CLUSTER_RECONCILE_EVERY"])
    deliver = supervisor.on_event

    def fenced(target, event, data):
        """A frame counts only while this process's lease on its socket is valid."""
        if ownership.may_deliver(target.instance_id):
            deliver(target, event, data)

    supervisor.on_event = fenced
    notices = Notices(client, redis_key(app, "instances"), NOTICE_BACKOFF)
    notices.listeners.append(ownership.heard)
    ownership.tell = notices.publish
    return Cluster(ownership, notices, registry, leadership)
