"""The connection modal: webhook XOR websocket for one instance, with the provider's answer shown."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request

from ..auth import login_required
from ..connections.manager import WebhookChoice
from ..connections.settings import chosen_events, effective_retries, features, webhook_url
from ..i18n import translate
from ..models import DeliveryMode, Instance, RetryShape, Role
from ..services import services
from ..tenancy import instance_or_404
from .connection_status import socket_status
from .failures import UI_ERRORS, failure
from .fragments import render_block

bp = Blueprint("connection", __name__, url_prefix="/instances/<name>/connection")

TEMPLATE = "instances/connection.html"
# The customer's toasts, word for word where the seed has one.
NOTICES = {
    (DeliveryMode.WEBHOOK, DeliveryMode.WEBSOCKET): "Webhook enabled! WebSocket was disabled.",
    (DeliveryMode.WEBHOOK, DeliveryMode.NONE): "Webhook enabled!",
    (DeliveryMode.WEBHOOK, DeliveryMode.WEBHOOK): "Webhook settings saved.",
    (DeliveryMode.WEBSOCKET, DeliveryMode.WEBHOOK): "WebSocket enabled! Webhook was disabled.",
    (DeliveryMode.WEBSOCKET, DeliveryMode.NONE): "WebSocket enabled!",
    (DeliveryMode.NONE, DeliveryMode.WEBHOOK): "Webhook disabled!",
    (DeliveryMode.NONE, DeliveryMode.WEBSOCKET): "WebSocket disabled!",
}


def requested_mode(current: DeliveryMode, webhook_on: bool, websocket_on: bool) -> DeliveryMode:
    """The toggles as submitted: when both are on, the one that was off until now is the one just turned on."""
    if webhook_on and websocket_on:
        return DeliveryMode.WEBSOCKET if current is DeliveryMode.WEBHOOK else DeliveryMode.WEBHOOK
    if webhook_on:
        return DeliveryMode.WEBHOOK
    return DeliveryMode.WEBSOCKET if websocket_on else DeliveryMode.NONE


def typed_retries(form) -> dict[str, str] | None:
    """The retry policy's fields as typed in the modal (`retries.<field>`), or None when the form has none."""
    typed = {key.removeprefix("retries."): form[key] for key in form if key.startswith("retries.")}
    return typed or None


def _as_typed_in_json(text: str) -> int | float | str:
    """A field's text as a JSON body would carry it: numbers as numbers, anything else as typed, so the
    API's own check of a policy (the one check) judges both alike."""
    for number in (int, float):
        try:
            return number(text)
        except ValueError:
            pass
    return text


def _webhook_choice(form, offered: frozenset[str]) -> WebhookChoice:
    """The webhook options the form showed (the provider's own); anything else keeps its stored value."""
    typed = typed_retries(form)
    retries = None if typed is None else {key: _as_typed_in_json(value) for key, value in typed.items()}
    if "webhook_options" not in form:
        return WebhookChoice(retries=retries)
    return WebhookChoice(base64="base64" in form if "base64" in offered else None,
                         by_events="by_events" in form if "by_events" in offered else None,
                         events=form.getlist("events"), retries=retries)


def _render(instance: Instance, notice: str | None = None, error: str | None = None, status: int = 200,
            block: str = "connection", typed: dict[str, str] | None = None):
    """The modal (or, outside htmx, its page); `block` "current_state" is the part that polls.

    `typed` is a retry policy that failed: shown as typed, with the error beside it.
    """
    state, offered = services().manager.state(instance), features(instance)
    context = {"instance": instance, "state": state, "socket": socket_status(state["socket"]),
               "notice": notice, "notice_tone": "neutral" if instance.mode is DeliveryMode.NONE else "success",
               "error": error, "catalogue": offered.events.groups,
               "webhook_options": offered.webhook_options, "websocket_refused": offered.websocket_refused,
               "retries": effective_retries(instance), "retry_shapes": [shape.value for shape in RetryShape],
               "typed_retries": typed, "selected": set(chosen_events(instance, instance.webhook_events))}
    if request.headers.get("HX-Request") is None:
        return render_template(TEMPLATE, **context), status
    return render_block(TEMPLATE, block, **context), status


@bp.get("")
@login_required()
def show(name: str):
    """The modal's content (a page of its own without htmx); `?part=state` is its current-state box."""
    block = "current_state" if request.args.get("part") == "state" else "connection"
    return _render(instance_or_404(name), block=block)


@bp.post("/webhook-url")
@login_required(Role.OPERATOR)
def full_webhook_url(name: str):
    """The webhook URL with its secret, for the copy button only: never part of a page, never cached."""
    response = jsonify(url=webhook_url(instance_or_404(name)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("")
@login_required(Role.OPERATOR)
def switch(name: str):
    """Apply the toggles; on failure the provider's words and the toggles at the true state."""
    instance = instance_or_404(name)
    previous, form = instance.mode, request.form
    wanted = requested_mode(previous, "webhook" in form, "websocket" in form)
    if wanted is previous and wanted is not DeliveryMode.WEBHOOK:
        return _render(instance, notice=translate("Nothing changed."))
    manager = services().manager
    try:
        if wanted is DeliveryMode.WEBHOOK:
            manager.enable_webhook(instance, _webhook_choice(form, features(instance).webhook_options))
        else:
            manager.apply(instance, wanted)
    except UI_ERRORS as error:
        return _render(instance, None, *failure(error), typed=typed_retries(form))
    return _render(instance, notice=translate(NOTICES[wanted, previous]))
