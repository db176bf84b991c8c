"""The seed's instance-management routes: state, webhook on/off, websocket on/off, sync."""
from flask import Blueprint, jsonify

from ...auth import api_auth_required
from ...models import DeliveryMode, Role
from ...tenancy import instance_or_404
from .common import json_body, manager, optional_events, webhook_choice

bp = Blueprint("api_instance_management", __name__, url_prefix="/api/instance-management")


@bp.get("/state/<name>")
@api_auth_required()
def state(name: str):
    """What the instance delivers, as stored and last synced."""
    return jsonify(manager().state(instance_or_404(name)))


@bp.post("/webhook/<name>")
@api_auth_required(Role.OPERATOR)
def enable_webhook(name: str):
    """Webhook on, websocket off."""
    return jsonify(manager().enable_webhook(instance_or_404(name), webhook_choice(json_body(required=False))))


@bp.delete("/webhook/<name>")
@api_auth_required(Role.OPERATOR)
def disable_webhook(name: str):
    """Webhook off; a websocket instance is left as it is."""
    return jsonify(turn_off(instance_or_404(name), DeliveryMode.WEBHOOK))


@bp.post("/websocket/<name>")
@api_auth_required(Role.OPERATOR)
def enable_websocket(name: str):
    """Websocket on (and the gateway's client connected), webhook off."""
    return jsonify(manager().enable_websocket(instance_or_404(name), optional_events(json_body(required=False))))


@bp.delete("/websocket/<name>")
@api_auth_required(Role.OPERATOR)
def disable_websocket(name: str):
    """Websocket off; a webhook instance is left as it is."""
    return jsonify(turn_off(instance_or_404(name), DeliveryMode.WEBSOCKET))


@bp.post("/sync/<name>")
@api_auth_required(Role.OPERATOR)
def sync(name: str):
    """Read the provider's truth now; drift is reported and, by policy, repaired."""
    return jsonify(manager().sync(instance_or_404(name)))


def turn_off(instance, channel: DeliveryMode) -> dict:
    """Turning a channel off means mode none, but only when that channel is the one on."""
    if instance.mode is channel:
        return manager().disable(instance)
    return manager().state(instance)
