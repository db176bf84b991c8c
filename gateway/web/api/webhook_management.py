"""The seed's webhook-management routes, one set per provider (`/api/webhook-management/<kind>/...`);
configuring a webhook here also switches the instance to webhook mode."""
from flask import Blueprint, abort, jsonify

from ...auth import api_auth_required
from ...connections.channels import channels_of
from ...models import DeliveryMode, Instance, Role
from ...providers import PROVIDERS
from ...tenancy import instance_or_404
from .common import json_body, manager, webhook_choice
from .instance_management import turn_off

KINDS = ", ".join(PROVIDERS)
bp = Blueprint("api_webhook_management", __name__, url_prefix=f"/api/webhook-management/<any({KINDS}):kind>")


def _instance(kind: str, name: str) -> Instance:
    """The caller's instance on a `kind` server; on another provider it answers 404 like a missing one."""
    instance = instance_or_404(name)
    if instance.server.kind != kind:
        abort(404, f'No {kind} instance called "{name}".')
    return instance


@bp.get("/events")
@api_auth_required()
def events(kind: str):
    """Every event name the provider accepts in a selection."""
    return jsonify(events=list(PROVIDERS[kind].catalogue.events))


@bp.get("/<name>")
@api_auth_required()
def find(kind: str, name: str):
    """The webhook as the provider has it now, beside the gateway's state."""
    instance = _instance(kind, name)
    return jsonify(provider=channels_of(instance).webhook_view(), state=manager().state(instance))


@bp.post("/<name>")
@api_auth_required(Role.OPERATOR)
def configure(kind: str, name: str):
    """Configure and enable the webhook; the websocket goes off."""
    instance = _instance(kind, name)
    return jsonify(manager().enable_webhook(instance, webhook_choice(json_body(required=False))))


@bp.delete("/<name>")
@api_auth_required(Role.OPERATOR)
def remove(kind: str, name: str):
    """Webhook off (the selection is kept here for the next time)."""
    return jsonify(turn_off(_instance(kind, name), DeliveryMode.WEBHOOK))
