"""The connection modal: webhook XOR websocket for one instance, with the provider's answer shown."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from ..auth import login_required
from ..connections.manager import WebhookChoice
from ..connections.settings import catalogue, chosen_events, provider_of
from ..i18n import translate
from ..models import DeliveryMode, Instance, Role
from ..services import services
from ..tenancy import instance_or_404
from .failures import UI_ERRORS, failure
from .fragments import render_block

bp = Blueprint("connection", __name__, url_prefix="/instances/<name>/connection")

TEMPLATE = "instances/connection.html"
NOTICES = {
    (DeliveryMode.WEBHOOK, DeliveryMode.WEBSOCKET): "Webhook enabled. WebSocket was disabled.",
    (DeliveryMode.WEBHOOK, DeliveryMode.NONE): "Webhook enabled.",
    (DeliveryMode.WEBHOOK, DeliveryMode.WEBHOOK): "Webhook settings saved.",
    (DeliveryMode.WEBSOCKET, DeliveryMode.WEBHOOK): "WebSocket enabled. Webhook was disabled.",
    (DeliveryMode.WEBSOCKET, DeliveryMode.NONE): "WebSocket enabled.",
    (DeliveryMode.NONE, DeliveryMode.WEBHOOK): "Webhook disabled. Messages will not be received.",
    (DeliveryMode.NONE, DeliveryMode.WEBSOCKET): "WebSocket disabled. Messages will not be received.",
}


def requested_mode(current: DeliveryMode, webhook_on: bool, websocket_on: bool) -> DeliveryMode:
    """The toggles as submitted: when both are on, the one that was off until now is the one just turned on."""
    if webhook_on and websocket_on:
        return DeliveryMode.WEBSOCKET if current is DeliveryMode.WEBHOOK else DeliveryMode.WEBHOOK
    if webhook_on:
        return DeliveryMode.WEBHOOK
    return DeliveryMode.WEBSOCKET if websocket_on else DeliveryMode.NONE


def _webhook_choice(form, offered: frozenset[str]) -> WebhookChoice:
    """The webhook options the form showed (the provider's own); anything else keeps its stored value."""
    if "webhook_options" not in form:
        return WebhookChoice()
    return WebhookChoice(base64="base64" in form if "base64" in offered else None,
                         by_events="by_events" in form if "by_events" in offered else None,
                         events=form.getlist("events"))


def _render(instance: Instance, notice: str | None = None, error: str | None = None, status: int = 200):
    page = TEMPLATE if request.headers.get("HX-Request") is None else None
    context = {"instance": instance, "state": services().manager.state(instance), "notice": notice,
               "error": error, "all_events": catalogue(instance).events,
               "webhook_options": provider_of(instance).webhook_options,
               "selected": set(chosen_events(instance, instance.webhook_events))}
    if page:
        return render_template(page, **context), status
    return render_block(TEMPLATE, "connection", **context), status


@bp.get("")
@login_required()
def show(name: str):
    """The modal's content (a page of its own without htmx)."""
    return _render(instance_or_404(name))


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
            manager.enable_webhook(instance, _webhook_choice(form, provider_of(instance).webhook_options))
        else:
            manager.apply(instance, wanted)
    except UI_ERRORS as error:
        return _render(instance, None, *failure(error))
    return _render(instance, notice=translate(NOTICES[wanted, previous]))
