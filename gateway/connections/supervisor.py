"""Exactly one socket subscription per instance in websocket mode: its namespace on its server's one
connection (multiplex.ServerSocket) when its provider names one (Evolution), else its name on the
server's one socket, which routes each frame by the instance it names (Evolution with global events,
WAHA always). The instances a server's socket (re)joined are resynchronised as a batch."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import joinedload

from ..background import Background
from ..extensions import db
from ..ingest.pipeline import Target
from ..models import DeliveryMode, Instance
from ..providers import provider_for
from .backoff import Backoff
from .multiplex import Member, ServerSocket
from .socket_client import SocketClient

log = logging.getLogger(__name__)


@dataclass
class _Global:
    """A server's root-namespace client and the instances it carries (name -> id)."""

    client: SocketClient
    routes: dict[str, Target]


class SocketSupervisor:
    """Starts and stops socket clients on the background pool; routes their events to the pipeline.

    `on_event(target, event, data)` receives every frame (on the socket library's own greenlet);
    `on_join(instance_id, first)` runs once per instance after every join, on the pool, so the
    instance can be resynchronised and what a gap missed caught up. The instances one server's
    socket joined together run `resync_concurrency` at a time: after a mass reconnect, one after
    another would leave the last of thousands minutes behind, and all at once would flood the provider.
    """

    def __init__(self, background: Background, on_event: Callable[[Target, str, object], None],
                 on_join: Callable[[int, bool], None], backoff: Backoff, namespace_retry: float = 1.5,
                 resync_concurrency: int = 8):
        self.background = background
        self.on_event = on_event
        self.on_join = on_join
        self.backoff = backoff
        self.namespace_retry = namespace_retry
        self.resync_concurrency = resync_concurrency
        self.instance_clients: dict[int, Member] = {}
        self.global_clients: dict[int, _Global] = {}
        self.server_sockets: dict[int, ServerSocket] = {}
        self._server_of: dict[int, int] = {}

    def start(self, instance_id: int) -> None:
        """Make sure the instance's events arrive over a socket; idempotent."""
        instance = db.session.get(Instance, instance_id)
        server = instance.server
        target = Target(instance.id, instance.tenant_id, instance.name, server.kind)
        namespace = provider_for(server.kind).instance_namespace(server, instance.name)
        if namespace is None:
            self._server_of[instance_id] = server.id
            carried = self._global_for(server)
            carried.routes[instance.name] = target
            if carried.client.joined.is_set():
                # The server's socket joined before it carried this instance: resync it as a join would.
                self._joined(instance_id, True)
            return
        if instance_id in self.instance_clients:
            return

        def on_event(event: str, data: object) -> None:
            self.on_event(target, event, data)

        self.instance_clients[instance_id] = self._server_socket(server).add(
            namespace, instance.name, instance_id, on_event)

    def stop(self, instance_id: int) -> None:
        client = self.instance_clients.pop(instance_id, None)
        if client is not None:
            client.stop()
            if not client.server.members:
                self.server_sockets.pop(client.server.key, None)
        server_id = self._server_of.pop(instance_id, None)
        if server_id is None:
            return
        carried = self.global_clients[server_id]
        for name, routed in list(carried.routes.items()):
            if routed.instance_id == instance_id:
                del carried.routes[name]
        if not carried.routes:
            carried.client.stop()
            del self.global_clients[server_id]

    def restart(self, instance_id: int) -> None:
        """The operator's "Reconnect socket": the instance's namespace is left and joined again (its join
        resyncs it); the server's connection stays up for its other namespaces.

        On a server whose one socket carries every instance, the socket stays up for the others; the
        instance is routed again and resynchronised.
        """
        self.stop(instance_id)
        self.start(instance_id)

    def wait_joined(self, instance_id: int, timeout: float) -> bool:
        client = self._client_of(instance_id)
        return client is not None and client.joined.wait(timeout)

    def status_of(self, instance_id: int) -> dict | None:
        client = self._client_of(instance_id)
        return client.status() if client else None

    def status(self) -> dict:
        clients = [c.status() for c in self.instance_clients.values()]
        clients += [{**g.client.status(), "instances": sorted(g.routes)} for g in self.global_clients.values()]
        return {
            "active_connections": len(clients),
            "connected": sum(1 for c in clients if c["state"] == "connected"),
            "connections": clients,
        }

    def start_all(self) -> None:
        """At boot: a subscription for every instance whose chosen mode is websocket.

        The instances and their servers are read in one query: start() then finds each in the
        session instead of reading it again (thousands of instances start in one pass)."""
        instances = db.session.execute(db.select(Instance).options(joinedload(Instance.server)).where(
            Instance.delivery_mode == DeliveryMode.WEBSOCKET.value)).scalars().all()
        for instance in instances:
            self.start(instance.id)

    def stop_all(self) -> None:
        for instance_id in list(self.instance_clients) + list(self._server_of):
            self.stop(instance_id)

    def _client_of(self, instance_id: int) -> Member | SocketClient | None:
        if instance_id in self.instance_clients:
            return self.instance_clients[instance_id]
        server_id = self._server_of.get(instance_id)
        return self.global_clients[server_id].client if server_id is not None else None

    def _global_for(self, server) -> _Global:
        carried = self.global_clients.get(server.id)
        if carried is None:
            server_id, label = server.id, server.name  # the callback outlives the session that loaded the row
            route = self._router(server_id, provider_for(server.kind).frame_instance)
            client = provider_for(server.kind).socket_client(
                server, route, lambda first: self._joined_global(server_id, label, first), self.backoff)
            carried = self.global_clients[server.id] = _Global(client, {})
            self.background.spawn(f"socket:global:{server.name}", client.run)
        return carried

    def _router(self, server_id: int, instance_of: Callable[[object], str | None]) -> Callable[[str, object], None]:
        """Frames of a server's one socket carry every instance of the server; only the ones we carry are kept."""

        def route(event: str, data: object) -> None:
            name = instance_of(data)
            carried = self.global_clients.get(server_id)
            target = carried.routes.get(name) if carried and name is not None else None
            if target is not None:
                self.on_event(target, event, data)

        return route

    def _server_socket(self, server) -> ServerSocket:
        """The one connection that carries all of the server's instance namespaces."""
        carried = self.server_sockets.get(server.id)
        if carried is None:
            label = server.name  # the callback outlives the session that loaded the row
            carried = self.server_sockets[server.id] = ServerSocket(
                server.id, provider_for(server.kind).socket_address(server), label, self.background.spawn,
                lambda joins: self._resync_batch(label, joins), self.backoff, self.namespace_retry)
        return carried

    def _joined(self, instance_id: int, first: bool) -> None:
        self.background.spawn(f"join:{instance_id}", self._resync, (instance_id, first))

    def _joined_global(self, server_id: int, label: str, first: bool) -> None:
        """A server's one socket joined: every instance it carries, as one batch."""
        joins = [(target.instance_id, first) for target in self.global_clients[server_id].routes.values()]
        self.background.spawn(f"joined:{label}", self._resync_batch, label, joins)

    def _resync_batch(self, label: str, joins: list[tuple[int, bool]]) -> None:
        """The instances one server's socket (re)joined, each resynchronised once, a bounded number at a time."""
        started = time.monotonic()
        self.background.run_each(f"resync:{label}", self._resync, joins, self.resync_concurrency)
        log.info("resync after a join done", extra={"fields": {
            "socket": label, "instances": len(joins), "seconds": round(time.monotonic() - started, 2)}})

    def _resync(self, join: tuple[int, bool]) -> None:
        instance_id, first = join
        try:
            self.on_join(instance_id, first)
        except Exception:
            log.exception("resync after a join failed", extra={"fields": {"instance_id": instance_id}})
