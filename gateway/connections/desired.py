"""Which upstream sockets the database wants open, and the loop that keeps a process's sockets in line
with it: at once when woken (another process committed a change), and every few seconds as a safety net.
A socket opened with a server's settings that have changed since (its fingerprint) is opened again.

Used by both socket layers: the cluster's (gateway/cluster/ownership.py, under leases) and that of one
process without Redis (gateway/connections/local.py).
"""
from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from ..extensions import db
from ..models import DeliveryMode, Instance, ProviderServer
from ..providers import provider_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Unit:
    """One upstream socket and the instances it carries."""

    key: str
    label: str
    instance_ids: frozenset[int]
    fingerprint: str


# What a server's sockets depend on (where and how they connect, and which kind of socket carries an
# instance): a socket opened before any of these changed must be opened again.
SOCKET_SETTINGS = ("base_url", "api_key", "global_events")


def server_fingerprint(server: ProviderServer) -> str:
    """The server's SOCKET_SETTINGS as one value to compare: a digest, so that the key is never kept or
    shown beside the sockets."""
    settings = "\0".join(str(getattr(server, name)) for name in SOCKET_SETTINGS)
    return hashlib.sha256(settings.encode()).hexdigest()


def unit_of(instance_id: int, instance_name: str, server: ProviderServer) -> tuple[str, str]:
    """The key and label of the socket that carries an instance: its server's one socket when its
    provider routes every instance over it (no namespace of its own), else its own namespace."""
    if provider_for(server.kind).instance_namespace(server, instance_name) is None:
        return f"socket:server:{server.id}", f"server:{server.name}"
    return f"socket:instance:{instance_id}", instance_name


def wanted_units() -> dict[str, Unit]:
    """Every socket the database wants open now, by key."""
    rows = db.session.execute(
        db.select(Instance.id, Instance.name, ProviderServer)
        .join(ProviderServer, Instance.server_id == ProviderServer.id)
        .where(Instance.delivery_mode == DeliveryMode.WEBSOCKET.value)).all()
    units: dict[str, tuple[str, set[int], str]] = {}
    for instance_id, name, server in rows:
        key, label = unit_of(instance_id, name, server)
        if key not in units:
            units[key] = (label, set(), server_fingerprint(server))
        units[key][1].add(instance_id)
    return {key: Unit(key, label, frozenset(ids), fingerprint) for key, (label, ids, fingerprint) in units.items()}


def keep_reconciled(reconcile: Callable[[], None], woken: threading.Event, stopping: threading.Event,
                    every: float) -> None:
    """Run `reconcile` until `stopping` is set: again as soon as `woken` is set, else every `every` seconds.
    A failed pass is logged and the next one still comes."""
    while not stopping.is_set():
        woken.clear()
        try:
            reconcile()
        except Exception:
            db.session.rollback()
            log.exception("socket reconcile failed")
        woken.wait(every)
