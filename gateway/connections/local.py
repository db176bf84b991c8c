"""The socket layer of one process without Redis (the embedded default): the server process holds every
socket the database wants, and a CLI command holds none.

A CLI command beside the server is a second process: a socket it opened would die when it exits, and
the server would never open one. So a command only configures the provider and commits the desired
state, and the server reconciles its sockets to the database at once when it hears of the change
(gateway/change_watch.py) and every `reconcile_every` seconds as a safety net, as the cluster's
processes do (gateway/cluster/ownership.py). A socket opened with a server's settings that have changed
since is opened again.
"""
from __future__ import annotations

import itertools
import threading
from collections.abc import Callable

from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import DeliveryMode, Instance
from .desired import keep_reconciled, server_fingerprint, unit_of, wanted_units
from .locks import changing_here
from .supervisor import SocketSupervisor


class LocalSockets:
    """It offers the SocketSupervisor's interface (start, stop, restart, wait_joined, status_of, status),
    as the cluster's Ownership does, so that callers need not know which mode they run in."""

    def __init__(self, supervisor: SocketSupervisor, spawn: Callable, reconcile_every: float):
        self.supervisor = supervisor
        self.spawn = spawn
        self.reconcile_every = reconcile_every
        # A process holds sockets unless it runs a CLI command (gateway/cli.py clears this for the
        # command's length): the server, and an app that is not started (tests, BACKGROUND_JOBS off),
        # open a switch's socket here, as they always have.
        self.holder = True
        # instance -> the socket (desired.unit_of key) it was started on here, and its server's settings
        # then (desired.server_fingerprint).
        self.carried: dict[int, tuple[str, str]] = {}
        # instance -> when (a tick of `_ticks`) this process last opened or closed its socket by request:
        # a reconcile leaves alone what changed here after it began reading the database.
        self.touched: dict[int, int] = {}
        self._ticks = itertools.count(1)
        self.stopping = threading.Event()
        self.woken = threading.Event()
        self._mutex = threading.RLock()

    # -- the supervisor's interface, for the connection manager and the API -----------------------

    def start(self, instance_id: int) -> None:
        instance = db.session.get(Instance, instance_id)
        with self._mutex:
            if self.holder:
                self.touched[instance_id] = next(self._ticks)
                self._open(instance)

    def stop(self, instance_id: int) -> None:
        with self._mutex:
            self.touched[instance_id] = next(self._ticks)
            self._close(instance_id)

    def reopen(self, instance_ids: list[int]) -> None:
        """Their server's socket settings changed (an edit made here): every socket is stopped first, so that
        no server connection shared by their namespaces survives with the old settings, then opened again."""
        for instance_id in instance_ids:
            self.stop(instance_id)
        for instance_id in instance_ids:
            self.start(instance_id)

    def restart(self, instance_id: int) -> None:
        """The operator's "Reconnect socket": the instance's socket is left and joined again."""
        self.stop(instance_id)
        self.start(instance_id)

    def wait_joined(self, instance_id: int, timeout: float) -> bool:
        return self.supervisor.wait_joined(instance_id, timeout)

    def status_of(self, instance_id: int) -> dict | None:
        return self.supervisor.status_of(instance_id)

    def status(self) -> dict:
        return self.supervisor.status()

    def start_all(self) -> None:
        """At boot: open every socket the database wants, then keep them in line with it."""
        self.reconcile()
        self.spawn("sockets:reconcile", keep_reconciled, self.reconcile, self.woken, self.stopping,
                   self.reconcile_every)

    def stop_all(self) -> None:
        self.stopping.set()
        self.woken.set()
        with self._mutex:
            self.holder = False  # a switch still running opens nothing now
            self.carried.clear()
            self.supervisor.stop_all()

    def heard(self, _tenants: set[int]) -> None:
        """Another process committed a change: reconcile now."""
        self.woken.set()

    # -- the reconcile ---------------------------------------------------------------------------

    def reconcile(self) -> None:
        """One pass: close what the database no longer wants (or wants on another socket, or on a server
        whose settings changed), open what it wants and this process lacks.

        What the database says may be older than this process's own sockets: a switch here opens or
        closes the socket before it commits the mode. So an instance is left as it is when its lock was
        held as the pass began (its switch may commit at any moment), or when this process opened or
        closed its socket since (the database read may predate that switch's commit). Any change made
        here is committed under the instance's lock, or before its socket is touched.
        """
        try:
            begun, busy = next(self._ticks), changing_here()
            wanted = {i: (unit.key, unit.fingerprint) for unit in wanted_units().values() for i in unit.instance_ids}
            with self._mutex:
                settled = {i for i in self.carried.keys() | wanted.keys()
                           if i not in busy and self.touched.get(i, 0) < begun}
                for instance_id in settled & self.carried.keys():
                    if wanted.get(instance_id) != self.carried[instance_id]:
                        self._close(instance_id)
                missing = {i for i in settled & wanted.keys() if i not in self.carried}
                if missing and self.holder:
                    for instance in self._websocket_instances():
                        if instance.id in missing:
                            self._open(instance)
                # Later passes begin later still: what was touched before this one began no longer matters.
                self.touched = {i: tick for i, tick in self.touched.items() if tick > begun}
        finally:
            db.session.remove()  # the next pass reads the database afresh

    @staticmethod
    def _websocket_instances() -> list[Instance]:
        """Every instance in websocket mode with its server, in one query (thousands open at boot): the
        supervisor then finds each in the session instead of reading it again."""
        return db.session.execute(db.select(Instance).options(joinedload(Instance.server)).where(
            Instance.delivery_mode == DeliveryMode.WEBSOCKET.value)).scalars().all()

    def _open(self, instance: Instance) -> None:
        server = instance.server
        self.carried[instance.id] = unit_of(instance.id, instance.name, server)[0], server_fingerprint(server)
        self.supervisor.start(instance.id)

    def _close(self, instance_id: int) -> None:
        self.carried.pop(instance_id, None)
        self.supervisor.stop(instance_id)
