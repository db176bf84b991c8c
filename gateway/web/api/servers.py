"""Provider servers: admin-managed, shared by every tenant."""
from flask import Blueprint, abort, g, jsonify, request

from ...admin_input import InputError
from ...auth import api_auth_required
from ...extensions import db
from ...models import MAX_ID, ProviderServer, Role
from ...server_health import check_health, health_json
from ...servers import ServerInUse, delete_server, register_server, server_json, update_server
from .common import json_body, manager

bp = Blueprint("api_servers", __name__, url_prefix="/api/servers")


@bp.get("")
@api_auth_required(Role.ADMIN)
def list_servers():
    """Every registered server, keys masked."""
    servers = db.session.execute(db.select(ProviderServer).order_by(ProviderServer.id)).scalars()
    return jsonify([server_json(server) for server in servers])


@bp.post("")
@api_auth_required(Role.ADMIN)
def create_server():
    """Register a server after proving its key works."""
    try:
        server = register_server(json_body())
    except InputError as error:
        abort(422, error.translated())
    return jsonify(server_json(server)), 201


def _server(server_id: int) -> ProviderServer:
    return db.get_or_404(ProviderServer, server_id, description=f"No server with id {server_id}.")


@bp.get(f"/<int(max={MAX_ID}):server_id>")
@api_auth_required(Role.ADMIN)
def get_server(server_id: int):
    """One server, key masked."""
    return jsonify(server_json(_server(server_id)))


@bp.patch(f"/<int(max={MAX_ID}):server_id>")
@api_auth_required(Role.ADMIN)
def edit_server(server_id: int):
    """Change name, base_url, api_key (proven against the server first) or global_events."""
    server = _server(server_id)
    try:
        update_server(manager(), server, json_body())
    except InputError as error:
        abort(422, error.translated())
    return jsonify(server_json(server))


@bp.delete(f"/<int(max={MAX_ID}):server_id>")
@api_auth_required(Role.ADMIN)
def remove_server(server_id: int):
    """Delete a server; `?forget_instances=true` also forgets its instances here (never on the provider)."""
    forget = request.args.get("forget_instances", "false").lower() in ("true", "1", "yes")
    try:
        forgotten = delete_server(manager(), _server(server_id), g.user.tenant_id, forget)
    except ServerInUse as error:
        abort(409, error.translated())
    return jsonify({"deleted": server_id, "forgotten_instances": forgotten})


@bp.get(f"/<int(max={MAX_ID}):server_id>/health")
@api_auth_required(Role.ADMIN)
def server_health(server_id: int):
    """Whether the server answers and takes its key, its version and the check's latency."""
    return jsonify(health_json(check_health(_server(server_id))))
