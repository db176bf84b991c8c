"""The gateway's socket clients: status, connect and disconnect by hand, and a handshake test."""
from flask import Blueprint, abort, g, jsonify

from ...auth import api_auth_required
from ...connections.settings import provider_of
from ...extensions import db
from ...i18n import translate
from ...models import DeliveryMode, Instance, ProviderServer, Role
from ...services import services
from ...tenancy import instance_or_404, scoped

bp = Blueprint("api_websocket", __name__, url_prefix="/api/websocket")


def _websocket_instances(*conditions) -> list[Instance]:
    query = scoped(Instance).where(Instance.delivery_mode == DeliveryMode.WEBSOCKET.value, *conditions)
    return db.session.execute(query.order_by(Instance.name)).scalars().all()


def _connections(instances: list[Instance]) -> list[dict]:
    sockets = services().sockets
    return [{"instance": i.name, "socket": sockets.status_of(i.id)} for i in instances]


@bp.get("/status")
@api_auth_required()
def status():
    """The tenant's stream clients and provider sockets; the process-wide counters to admins only."""
    connections = _connections(_websocket_instances())
    answer = {
        "connected_clients": services().bus.subscribers_of(g.user.tenant_id),
        "active_connections": sum(1 for c in connections if c["socket"]),
        "connected": sum(1 for c in connections if c["socket"] and c["socket"]["state"] == "connected"),
        "connections": connections,
    }
    if g.user.is_admin:
        answer["process"] = {"connected_clients": services().bus.subscriber_count,
                             "queued_events": services().writer.queued}
    return jsonify(answer)


@bp.get("/instances")
@api_auth_required()
def instances():
    """The tenant's instances in websocket mode and their sockets."""
    return jsonify(_connections(_websocket_instances()))


def _on_global_servers() -> list[Instance]:
    return _websocket_instances(Instance.server_id.in_(
        db.select(ProviderServer.id).where(ProviderServer.global_events)))


def _start(instances: list[Instance]) -> list[dict]:
    for instance in instances:
        services().sockets.start(instance.id)
    return _connections(instances)


def _stop(instances: list[Instance]) -> None:
    for instance in instances:
        services().sockets.stop(instance.id)


@bp.post("/connect/instance/<name>")
@api_auth_required(Role.OPERATOR)
def connect_instance(name: str):
    """Start the instance's socket client (the instance must be in websocket mode)."""
    instance = instance_or_404(name)
    if instance.mode is not DeliveryMode.WEBSOCKET:
        abort(409, translate('"{name}" is in {mode} mode; switch it with POST /api/instance-management/websocket/{name}.',
                             name=name, mode=instance.delivery_mode))
    return jsonify(_start([instance])[0])


@bp.post("/disconnect/instance/<name>")
@api_auth_required(Role.OPERATOR)
def disconnect_instance(name: str):
    """Stop the instance's socket client; its mode stays websocket until changed (connect starts it again)."""
    instance = instance_or_404(name)
    _stop([instance])
    return jsonify(_connections([instance])[0])


@bp.post("/connect/all")
@api_auth_required(Role.OPERATOR)
def connect_all():
    """Start the socket client of every websocket instance of the tenant."""
    return jsonify(_start(_websocket_instances()))


@bp.post("/disconnect/all")
@api_auth_required(Role.OPERATOR)
def disconnect_all():
    """Stop the socket client of every instance of the tenant."""
    _stop(db.session.execute(scoped(Instance)).scalars().all())
    return jsonify(_connections(_websocket_instances()))


@bp.post("/connect/global")
@api_auth_required(Role.OPERATOR)
def connect_global():
    """Start the tenant's websocket instances on global-events servers (one socket per server)."""
    return jsonify(_start(_on_global_servers()))


@bp.post("/disconnect/global")
@api_auth_required(Role.OPERATOR)
def disconnect_global():
    """Stop carrying the tenant's instances on global sockets; a server's socket closes with its last one."""
    instances = _on_global_servers()
    _stop(instances)
    return jsonify(_connections(instances))


@bp.post("/test/<name>")
@api_auth_required(Role.OPERATOR)
def test(name: str):
    """Open a socket to the provider, wait for the handshake, report latency or the exact failure."""
    instance = instance_or_404(name)
    return jsonify(provider_of(instance).probe_socket(instance.server, instance.name, services().background.spawn))
