"""The seed's webhook-management routes; configuring a webhook here also switches to webhook mode."""
from flask import Blueprint, jsonify

from ...auth import api_auth_required
from ...connections.settings import webhook_url
from ...models import DeliveryMode, Role
from ...servers import provider
from ...providers.events import EVOLUTION_EVENTS
from ...tenancy import instance_or_404
from .common import json_body, manager, webhook_choice
from .instance_management import turn_off

bp = Blueprint("api_webhook_management", __name__, url_prefix="/api/webhook-management/evolution")


@bp.get("/events")
@api_auth_required()
def events():
    """Every event name Evolution accepts in a selection."""
    return jsonify(events=list(EVOLUTION_EVENTS))


@bp.get("/<name>")
@api_auth_required()
def find(name: str):
    """The webhook as the provider has it now, beside the gateway's state."""
    instance = instance_or_404(name)
    webhook = provider(instance.server).find_webhook(instance.name)
    kept = None if webhook is None else {
        "enabled": webhook.enabled, "events": list(webhook.events), "base64": webhook.base64,
        "byEvents": webhook.by_events, "pointsHere": webhook.url == webhook_url(instance)}
    return jsonify(provider=kept, state=manager().state(instance))


@bp.post("/<name>")
@api_auth_required(Role.OPERATOR)
def configure(name: str):
    """Configure and enable the webhook; the websocket goes off."""
    return jsonify(manager().enable_webhook(instance_or_404(name), webhook_choice(json_body(required=False))))


@bp.delete("/<name>")
@api_auth_required(Role.OPERATOR)
def remove(name: str):
    """Webhook off (Evolution has no delete: it is disabled, and the selection is kept here)."""
    return jsonify(turn_off(instance_or_404(name), DeliveryMode.WEBHOOK))
