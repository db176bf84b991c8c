"""What the provider should hold for an instance, derived from the instance's stored choices."""
from __future__ import annotations

from flask import current_app

from ..logs import mask
from ..models import DeliveryMode, Instance
from ..providers.evolution import WebhookConfig, WebsocketConfig
from ..providers.events import evolution_selection

WEBHOOK_PATH = "/api/webhooks/evolution"
SECRET_HEADER = "X-Gateway-Secret"
# The seed's selection when the operator never chose one.
DEFAULT_EVENTS = ("MESSAGES_UPSERT", "MESSAGES_UPDATE")
# The gateway itself needs these to show QR codes and connection state, whatever is selected.
CONTROL_EVENTS = ("QRCODE_UPDATED", "CONNECTION_UPDATE", "LOGOUT_INSTANCE")


def webhook_url(instance: Instance, masked: bool = False) -> str:
    secret = mask(instance.webhook_secret) if masked else instance.webhook_secret
    return f"{current_app.config['PUBLIC_URL']}{WEBHOOK_PATH}/{secret}"


class SettingError(ValueError):
    """A delivery setting the provider would refuse (an unknown event name); the message says why."""


def selection(events: list[str] | None) -> list[str] | None:
    """An operator's event choice checked and spelled as Evolution wants; None means keep the stored one."""
    try:
        return None if events is None else list(chosen_events(events))
    except ValueError as error:
        raise SettingError(str(error)) from None


def chosen_events(events: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """The operator's selection in Evolution's spelling (ValueError for an unknown name)."""
    return evolution_selection(DEFAULT_EVENTS if events is None else events)


def effective_events(selection: tuple[str, ...]) -> tuple[str, ...]:
    """What the provider is asked for: the selection plus the gateway's own needs ([] stays all)."""
    if not selection:
        return ()
    return selection + tuple(name for name in CONTROL_EVENTS if name not in selection)


def delivery_flags(instance: Instance, masked_url: bool = True) -> dict:
    """The seed's shape, derived from the one stored mode so it can never say 'both'.

    `events` is the operator's selection, or the defaults that apply while nothing was chosen.
    """
    mode = instance.mode
    return {
        "webhookEnabled": mode is DeliveryMode.WEBHOOK,
        "websocketEnabled": mode is DeliveryMode.WEBSOCKET,
        "webhookConfig": {
            "url": webhook_url(instance, masked=masked_url),
            "webhook_base64": instance.webhook_base64,
            "webhook_by_events": instance.webhook_by_events,
            "events": list(chosen_events(instance.webhook_events)),
        },
    }


def wanted_webhook(instance: Instance) -> WebhookConfig:
    return WebhookConfig(
        enabled=True,
        url=webhook_url(instance),
        events=effective_events(chosen_events(instance.webhook_events)),
        base64=instance.webhook_base64,
        by_events=instance.webhook_by_events,
        headers={SECRET_HEADER: instance.webhook_secret},
    )


def wanted_websocket(instance: Instance) -> WebsocketConfig:
    return WebsocketConfig(enabled=True, events=effective_events(chosen_events(instance.websocket_events)))
