"""Instances of the caller's tenant: list, create (with a delivery mode), import, connect (QR or pairing
code), reconnect the socket, logout, delete."""
from flask import Blueprint, abort, g, jsonify

from ... import instances as lifecycle
from ...catchup import catch_up as run_catch_up, parse_since
from ...auth import api_auth_required
from ...extensions import db
from ...i18n import translate
from ...models import MAX_ID, Instance, ProviderServer, Role
from ...presenters import instance_json
from ...tenancy import instance_or_404, scoped
from ...services import services
from .common import json_body, manager, optional_events, webhook_choice

bp = Blueprint("api_instances", __name__, url_prefix="/api/instances")


def _server(data: dict) -> ProviderServer:
    server_id = data.get("server_id")
    if not isinstance(server_id, int) or isinstance(server_id, bool):
        abort(400, "server_id must be the id of a registered server.")
    server = db.session.get(ProviderServer, server_id) if 0 < server_id <= MAX_ID else None
    if server is None:
        abort(422, translate("No server with id {id}.", id=server_id))
    return server


@bp.get("")
@api_auth_required()
def list_instances():
    """The tenant's instances, by name."""
    rows = db.session.execute(scoped(Instance).order_by(Instance.name)).scalars()
    return jsonify([instance_json(instance) for instance in rows])


@bp.post("")
@api_auth_required(Role.OPERATOR)
def create_instance():
    """Create on the provider with the delivery mode chosen now (its listener starts at once)."""
    data = json_body()
    name = data.get("name")
    if not isinstance(name, str):
        abort(400, "name is required.")
    instance = lifecycle.create_instance(
        manager(), g.user.tenant_id, _server(data), name, lifecycle.parse_mode(data.get("mode", lifecycle.DEFAULT_MODE.value)),
        webhook_choice(data), optional_events({"events": data.get("websocket_events")}))
    return jsonify(instance_json(instance)), 201


@bp.post("/import")
@api_auth_required(Role.OPERATOR)
def import_instances():
    """Take over instances that already exist on a server (`names` to pick some; all by default)."""
    data = json_body()
    names = data.get("names")
    if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) for n in names)):
        abort(400, "names must be a list of instance names.")
    imported = lifecycle.import_instances(manager(), g.user.tenant_id, _server(data), names)
    return jsonify([instance_json(instance) for instance in imported]), 201


@bp.get("/<name>")
@api_auth_required()
def get_instance(name: str):
    """One instance; another tenant's answers 404 like a missing one."""
    return jsonify(instance_json(instance_or_404(name)))


@bp.post("/<name>/connect")
@api_auth_required(Role.OPERATOR)
def connect(name: str):
    """Start connecting the number; answers with the QR code to scan."""
    return jsonify(lifecycle.connect(manager(), instance_or_404(name)))


@bp.post("/<name>/pairing-code")
@api_auth_required(Role.OPERATOR)
def pairing_code(name: str):
    """`{"number": "5511999990000"}`: connect by phone number; answers the code to type in WhatsApp."""
    return jsonify(lifecycle.pairing_code(manager(), instance_or_404(name), json_body().get("number")))


@bp.post("/<name>/reconnect")
@api_auth_required(Role.OPERATOR)
def reconnect(name: str):
    """Drop the instance's socket to the provider and open a new one (websocket mode only)."""
    return jsonify(instance=name, socket=lifecycle.reconnect_socket(manager(), instance_or_404(name)))


@bp.post("/<name>/logout")
@api_auth_required(Role.OPERATOR)
def logout(name: str):
    """Log the number out of WhatsApp."""
    instance = instance_or_404(name)
    lifecycle.logout(manager(), instance)
    return jsonify(instance_json(instance))


@bp.delete("/<name>")
@api_auth_required(Role.OPERATOR)
def delete(name: str):
    """Delete the instance on the provider and here, with its events."""
    lifecycle.delete(manager(), instance_or_404(name))
    return "", 204


@bp.post("/<name>/forget")
@api_auth_required(Role.OPERATOR)
def forget(name: str):
    """Forget the instance here only, with its events, without calling the provider (its server may be gone)."""
    lifecycle.forget(manager(), instance_or_404(name))
    return "", 204


@bp.post("/<name>/mode")
@api_auth_required(Role.OPERATOR)
def set_mode(name: str):
    """Switch to `{"mode": "webhook" | "websocket" | "none"}` with the stored settings."""
    mode = lifecycle.parse_mode(json_body().get("mode"))
    return jsonify(manager().apply(instance_or_404(name), mode))


@bp.post("/<name>/catch-up")
@api_auth_required(Role.OPERATOR)
def catch_up(name: str):
    """Read back from the provider what delivery missed (`{"since": ISO 8601}` optional); counts."""
    instance = instance_or_404(name)
    since = parse_since(json_body(required=False).get("since"))
    return jsonify(run_catch_up(services().resync, instance, since))
