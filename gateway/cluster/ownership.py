"""Which process holds which upstream socket: a lease per socket, reconciled to the database.

The database says which instances want a socket (mode websocket); every process reconciles to it
at once on an instance-change notice and every `reconcile_every` seconds as a safety net, taking
free leases up to its fair share of the sockets and starting them through its own
SocketSupervisor. A socket is one per instance, or one per global-events server carrying all of
that server's websocket instances; the lease is named after it. A holder opens a socket again,
keeping its lease, when its server's settings changed since it opened it (an edit in any process). A
process whose lease is lost (not renewed within ttl minus margin: paused, cut off from Redis) stops the
socket at once, and frames that still arrive on it are not stored.
"""
from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import redis

from ..extensions import db
from ..models import Instance
from ..connections.desired import Unit, keep_reconciled, server_fingerprint, unit_of, wanted_units
from ..connections.supervisor import SocketSupervisor
from .leadership import Leadership
from .leases import Lease
from .notices import RESTART
from .registry import Registry

log = logging.getLogger(__name__)

# Seconds an instance being switched to websocket keeps its socket before its mode is committed.
PIN_SECONDS = 60.0
# How often the fence looks at the local lease clocks (no I/O, so nothing can delay it).
FENCE_EVERY = 0.25
# Seconds a socket's lease outlives the socket handed back. Leaving a namespace of a shared connection
# is a DISCONNECT packet queued behind that connection's other frames: the provider may still count
# the socket for a moment after stop() returned, and a process taking the lease at once would be a
# second holder in the provider's eyes.
HANDOVER = 1.0


@dataclass
class Held:
    lease: Lease
    label: str
    # The server's settings the socket was opened with (desired.server_fingerprint).
    fingerprint: str
    instance_ids: set[int] = field(default_factory=set)


def fair_share(wanted: int, alive: int) -> int:
    """Sockets one process may hold so that the live processes together can hold them all."""
    return math.ceil(wanted / max(alive, 1))


class Ownership:
    """The socket layer the connection manager talks to when several processes share the work.

    It offers the SocketSupervisor's interface (start, stop, wait_joined, status_of, status) so
    that callers need not know whether they run alone or in a cluster.
    """

    def __init__(self, supervisor: SocketSupervisor, lease_for: Callable[[str], Lease], registry: Registry,
                 leadership: Leadership, identity: dict, spawn: Callable, reconcile_every: float):
        self.supervisor = supervisor
        self.lease_for = lease_for
        self.registry = registry
        self.leadership = leadership
        self.identity = identity
        self.spawn = spawn
        self.reconcile_every = reconcile_every
        self.held: dict[str, Held] = {}
        self.pinned: dict[int, float] = {}
        # Only a holder takes leases: a process whose loops renew and fence them (start_all), as the web
        # workers' do. A CLI command or another one-off process never becomes one: a lease it took would
        # outlive it and keep the socket from the real holders until it expired. It writes the desired
        # state, and the commit's notice wakes the holders, who take the socket at once.
        self.holder = False
        # tell(notice): publish to every process (set once the notices exist).
        self.tell: Callable[[bytes], None] = lambda notice: None
        self.stopping = threading.Event()
        self.woken = threading.Event()
        self._mutex = threading.RLock()

    # -- the supervisor's interface, for the connection manager and the API -----------------------

    def start(self, instance_id: int) -> None:
        """Open the instance's socket here if nobody holds it; if another process does, it carries it.
        A process that is not a holder leaves it to the holders (see `holder`)."""
        instance = db.session.get(Instance, instance_id)
        key, label = unit_of(instance.id, instance.name, instance.server)
        with self._mutex:
            if not self.holder:
                return
            self.pinned[instance_id] = time.monotonic() + PIN_SECONDS
            held = self.held.get(key)
            if held is None:
                lease = self.lease_for(key)
                if not lease.acquire():
                    return
                held = self.held[key] = Held(lease, label, server_fingerprint(instance.server))
            held.instance_ids.add(instance_id)
            self.supervisor.start(instance_id)

    def stop(self, instance_id: int) -> None:
        """Stop carrying the instance here; another process's socket follows on the change notice."""
        with self._mutex:
            self.pinned.pop(instance_id, None)
            for key, held in list(self.held.items()):
                if instance_id in held.instance_ids:
                    held.instance_ids.discard(instance_id)
                    self.supervisor.stop(instance_id)
                    if not held.instance_ids:
                        self._drop(key)

    def reopen(self, _instance_ids: list[int]) -> None:
        """Their server's socket settings changed (an edit made here): the reconcile opens the sockets this
        process holds again under their leases (_reopen_moved), as every other holder does on the edit's
        notice. A stop and a start here would hand each lease back, which lingers HANDOVER seconds, so the
        start would fail and the socket stay closed until a later pass."""
        self.woken.set()

    def restart(self, instance_id: int) -> None:
        """The operator's "Reconnect socket": here if this process holds it, else by its holder."""
        if self.supervisor.status_of(instance_id) is not None:
            self.supervisor.restart(instance_id)
        else:
            self.tell(RESTART + str(instance_id).encode())

    def wait_joined(self, instance_id: int, timeout: float) -> bool:
        return self.supervisor.wait_joined(instance_id, timeout)

    def status_of(self, instance_id: int) -> dict | None:
        """The socket's status from whichever process holds it, with that process's id."""
        local = self.supervisor.status_of(instance_id)
        if local is not None:
            return {**local, "holder": self.identity["id"]}
        try:
            processes = self.registry.alive()
        except redis.RedisError:
            return None
        for process in processes:
            for socket in process.get("sockets", []):
                if instance_id in socket["instance_ids"]:
                    return {**socket["status"], "holder": process["id"]} if socket.get("status") else None
        return None

    def status(self) -> dict:
        return self.supervisor.status()

    def start_all(self) -> None:
        """At boot: this process becomes a holder, and its loops take its share; nothing is opened
        before a lease is held."""
        self.holder = True
        self.spawn("cluster:reconcile", keep_reconciled, self.reconcile, self.woken, self.stopping,
                   self.reconcile_every)
        self.spawn("cluster:keeper", self._keeper_loop)
        self.spawn("cluster:fence", self._fence_loop)

    def stop_all(self) -> None:
        self.stopping.set()
        self.woken.set()
        with self._mutex:
            self.holder = False  # a switch or a reconcile pass still running takes nothing now
            for key in list(self.held):
                self._drop(key)
        self.leadership.resign()
        try:
            self.registry.leave(self.identity["id"])
        except redis.RedisError:
            log.info("left the registry to expire: Redis failed")

    # -- for the pipeline and the registry -----------------------------------------------------

    def may_deliver(self, instance_id: int) -> bool:
        """Frames count only while this process's lease on their socket is valid (the fence)."""
        return any(instance_id in h.instance_ids and h.lease.held() for h in list(self.held.values()))

    def heard(self, notice: bytes) -> None:
        """A notice from any process: reconnect a socket held here, or reconcile now."""
        if notice.startswith(RESTART):
            instance_id = int(notice[len(RESTART):])
            if self.supervisor.status_of(instance_id) is not None:
                self.supervisor.restart(instance_id)
            return
        self.woken.set()

    def describe(self) -> dict:
        """This process for the registry: who it is, whether it leads the jobs, which sockets it holds."""
        sockets = [{"key": key, "label": held.label, "token": held.lease.token,
                    "instance_ids": sorted(held.instance_ids),
                    "status": self.supervisor.status_of(next(iter(held.instance_ids), 0))}
                   for key, held in list(self.held.items())]
        return {**self.identity, "leads_jobs": self.leadership.leads(), "sockets": sockets}

    # -- the loops -------------------------------------------------------------------------------

    def reconcile(self) -> None:
        """One pass: drop what is no longer wanted or no longer ours, then take up to a fair share."""
        wanted = wanted_units()
        db.session.remove()  # the next pass must read the database afresh
        try:
            alive = len(self.registry.alive())
        except redis.RedisError:
            alive = None  # no lease can be taken without Redis anyway
        now = time.monotonic()
        with self._mutex:
            # A pin only bridges a switch until its commit; once the database wants the socket it is plain.
            committed = {i for unit in wanted.values() for i in unit.instance_ids}
            self.pinned = {i: until for i, until in self.pinned.items() if until > now and i not in committed}
            self._reopen_moved(wanted)
            for key, held in list(self.held.items()):
                self._follow(key, held, wanted.get(key))
            if alive is None or not self.holder:
                return
            share = fair_share(len(wanted), alive)
            self._shed_above(share)
            free = [unit for key, unit in wanted.items() if key not in self.held]
            random.shuffle(free)
            for unit in free:
                if len(self.held) >= share:
                    break
                self._take(unit)

    def _reopen_moved(self, wanted: dict[str, Unit]) -> None:
        """Open again, under the same leases, the held sockets whose server's settings changed: all of them
        stopped first, so that no server connection shared by their namespaces survives with the old ones."""
        moved = [(key, held) for key, held in self.held.items()
                 if key in wanted and wanted[key].fingerprint != held.fingerprint]
        for _, held in moved:
            log.info("socket opened again: its server changed", extra={"fields": {"socket": held.label}})
            for instance_id in sorted(held.instance_ids):
                self.supervisor.stop(instance_id)
        for key, held in moved:
            held.fingerprint = wanted[key].fingerprint
            for instance_id in sorted(held.instance_ids):
                # The fence may close it while a start waits on the database; _follow drops a lost lease.
                if self.held.get(key) is held and held.lease.held():
                    self.supervisor.start(instance_id)

    def _follow(self, key: str, held: Held, unit: Unit | None) -> None:
        """Bring a held socket in line with the database: instances added or removed, or the socket gone."""
        if not held.lease.held():
            self._drop(key)
            return
        wanted = set(unit.instance_ids) if unit else set()
        keep = {i for i in held.instance_ids if i in self.pinned}
        for instance_id in sorted(wanted - held.instance_ids):
            if held.lease.held():
                self.supervisor.start(instance_id)
        for instance_id in sorted(held.instance_ids - wanted - keep):
            self.supervisor.stop(instance_id)
        held.instance_ids = wanted | (held.instance_ids & keep)
        if not held.instance_ids:
            self._drop(key)

    def _shed_above(self, share: int) -> None:
        """Give one unpinned socket back when holding more than a fair share, so a new process gets work."""
        if len(self.held) <= share:
            return
        for key, held in self.held.items():
            if not held.instance_ids & self.pinned.keys():
                log.info("socket handed back to balance the cluster", extra={"fields": {"socket": held.label}})
                self._drop(key)
                return

    def _take(self, unit: Unit) -> None:
        lease = self.lease_for(unit.key)
        if not lease.acquire():
            return
        held = self.held[unit.key] = Held(lease, unit.label, unit.fingerprint, set(unit.instance_ids))
        log.info("socket lease taken", extra={"fields": {"socket": unit.label, "token": lease.token}})
        for instance_id in sorted(unit.instance_ids):
            if self.held.get(unit.key) is held:  # the fence may close it while a start waits on the database
                self.supervisor.start(instance_id)

    def _drop(self, key: str, release: bool = True) -> None:
        """Stop the socket first, then give the lease back once the provider has had time to see it
        closed: never two open sockets."""
        held = self.held.pop(key, None)
        if held is None:
            return
        for instance_id in sorted(held.instance_ids):
            self.supervisor.stop(instance_id)
        if release:
            held.lease.release(linger=HANDOVER)

    def _keeper_loop(self) -> None:
        """Renew every held lease and the leadership, and beat the heartbeat, three times per lease."""
        every = self.leadership.lease.ttl / 3
        while True:
            for key, held in list(self.held.items()):
                if not held.lease.renew():
                    self._lost(key, held)
            if self.holder:  # not once stop_all() has resigned
                self.leadership.keep()
            try:
                self.registry.beat(self.describe())
            except redis.RedisError as error:
                log.warning("heartbeat not written", extra={"fields": {"error": str(error)}})
            if self.stopping.wait(every):
                return

    def _fence_loop(self) -> None:
        """Stop sockets whose lease ran out locally, even while a renewal is stuck waiting on Redis."""
        while not self.stopping.wait(FENCE_EVERY):
            for key, held in list(self.held.items()):
                if not held.lease.held():
                    self._lost(key, held)

    def _lost(self, key: str, held: Held) -> None:
        """No mutex and no Redis here: a reconcile pass stuck on Redis must not delay the close."""
        if self.held.get(key) is held:
            log.warning("socket lease lost; socket closed", extra={"fields": {"socket": held.label}})
            self._drop(key, release=False)
