"""Provider servers: admin-managed, shared by every tenant."""
from flask import Blueprint, abort, jsonify

from ...auth import api_auth_required
from ...extensions import db
from ...models import ProviderServer, Role
from ...servers import ServerError, register_server, server_json
from .common import json_body

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
    except ServerError as error:
        abort(422, str(error))
    return jsonify(server_json(server)), 201
