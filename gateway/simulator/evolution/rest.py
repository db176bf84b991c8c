"""Evolution's REST routes: guards, body validation and status codes around the simulator service.

Follows src/api/routes/index.router.ts, src/api/routes/instance.router.ts, src/api/routes/chat.router.ts,
src/api/integrations/event/webhook/webhook.router.ts, src/api/integrations/event/websocket/websocket.router.ts,
src/api/guards/instance.guard.ts, src/api/guards/auth.guard.ts and the error middleware of src/main.ts.
"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException

from . import schema
from .errors import ApiError, bad_request, forbidden, not_found, unauthorized
from .service import Simulator
from .store import Instance

VERSION = "2.3.6"
WA_WEB_VERSION = "2.3000.1029496008"

bp = Blueprint("evolution", __name__)


def _simulator() -> Simulator:
    return current_app.extensions["simulator"]


def _body() -> dict:
    """express.json(): an object, `{}` without a JSON body; a parse failure keeps no `error` name."""
    try:
        body = request.get_json(silent=not request.is_json)
    except BadRequest as exc:
        raise ApiError(400, "Unexpected token in JSON", error="Internal Server Error") from exc
    return body if isinstance(body, dict) else {}


def _validated(body: dict, rules: dict) -> dict:
    problems = schema.errors(body, rules)
    if problems:
        raise bad_request(problems)
    return body


def _instance(name: str) -> Instance:
    """instanceExistsGuard, then authGuard: 404 comes before 401; a token opens only its own instance."""
    simulator = _simulator()
    instance = simulator.registry.row(name)
    if instance is None:
        raise not_found(f'The "{name}" instance does not exist')
    key = request.headers.get("apikey")
    if not key or key not in (simulator.api_key, instance.token):
        raise unauthorized()
    return instance


@bp.get("/")
def welcome():
    """The index answer, also used as a liveness probe."""
    return jsonify(status=200, message="Welcome to the Evolution API, it is working!", version=VERSION,
                   clientName="evolution", manager=f"{request.host_url}manager",
                   documentation="https://doc.evolution-api.com", whatsappWebVersion=WA_WEB_VERSION)


@bp.post("/instance/create")
def create_instance():
    """Name in use is checked before the key; only the global key may create."""
    simulator, body = _simulator(), _body()
    name = body.get("instanceName")
    # With no name, Prisma's `where: {name: undefined}` matches every row.
    if (name is None and simulator.registry.rows()) or (isinstance(name, str) and simulator.registry.row(name)):
        raise forbidden(f'This name "{"undefined" if name is None else name}" is already in use.')
    if request.headers.get("apikey") != simulator.api_key:
        raise unauthorized()
    _validated(body, schema.INSTANCE)
    if not isinstance(name, str) or not name:
        raise bad_request(['The "instanceName" cannot be empty'])
    return jsonify(simulator.create(body)), 201


@bp.get("/instance/fetchInstances")
def fetch_instances():
    """The global key lists everything; an instance token lists its own instance."""
    simulator, key = _simulator(), request.headers.get("apikey")
    if not key or not simulator.accepts_key(key):
        raise unauthorized()
    return jsonify(simulator.fetch(key, request.args.get("instanceName"), request.args.get("instanceId")))


@bp.get("/instance/connect/<name>")
def connect(name):
    """Starts connecting and answers the QR object; `?number=` asks for a pairing code too."""
    return jsonify(_simulator().connect(_instance(name), request.args.get("number")))


@bp.get("/instance/connectionState/<name>")
def connection_state(name):
    """`{"instance": {"instanceName", "state"}}`."""
    return jsonify(_simulator().connection_state(_instance(name)))


@bp.post("/instance/restart/<name>")
def restart(name):
    """Reconnects a connected instance."""
    return jsonify(_simulator().restart(_instance(name)))


@bp.delete("/instance/logout/<name>")
def logout(name):
    """Logs out of WhatsApp; the instance stays."""
    return jsonify(_simulator().logout(_instance(name)))


@bp.delete("/instance/delete/<name>")
def delete(name):
    """Deletes; the rows vanish a moment after the answer."""
    return jsonify(_simulator().delete(_instance(name)))


@bp.post("/webhook/set/<name>")
def set_webhook(name):
    """Body `{"webhook": {...}}`, camelCase; answers the stored record."""
    instance = _instance(name)
    body = _validated(_body(), schema.WEBHOOK)
    return jsonify(_simulator().set_webhook(instance, body["webhook"])), 201


@bp.get("/webhook/find/<name>")
def find_webhook(name):
    """The stored record or `null`."""
    return jsonify(_simulator().find_webhook(_instance(name)))


@bp.post("/websocket/set/<name>")
def set_websocket(name):
    """Body `{"websocket": {"enabled", "events"}}`; answers the stored record."""
    instance = _instance(name)
    body = _validated(_body(), schema.EVENT)
    return jsonify(_simulator().set_websocket(instance, body.get("websocket", schema.MISSING))), 201


@bp.get("/websocket/find/<name>")
def find_websocket(name):
    """The stored record or `null`."""
    return jsonify(_simulator().find_websocket(_instance(name)))


@bp.post("/chat/findMessages/<name>")
def find_messages(name):
    """Stored messages.upsert payloads, newest first, paged."""
    instance = _instance(name)
    return jsonify(_simulator().find_messages(instance, _body()))


@bp.app_errorhandler(ApiError)
def api_error(exc: ApiError):
    return jsonify(exc.body()), exc.status


@bp.app_errorhandler(HTTPException)
def no_route(exc: HTTPException):
    """Express answers every unmatched method/path with the same 404 envelope."""
    url = request.full_path.rstrip("?")
    return jsonify(not_found(f"Cannot {request.method} {url}").body()), 404
