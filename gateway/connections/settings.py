"""What the provider should hold for an instance, derived from the instance's stored choices (any provider)."""
from __future__ import annotations

from flask import current_app

from ..logs import mask
from ..models import DeliveryMode, Instance
from ..providers import provider_for
from ..providers.base import Catalogue, DeliverySettings, Provider


class SettingError(ValueError):
    """A delivery setting the provider would refuse (an unknown event name); the message says why."""


def provider_of(instance: Instance) -> Provider:
    return provider_for(instance.server.kind)


def catalogue(instance: Instance) -> Catalogue:
    return provider_of(instance).catalogue


def webhook_url(instance: Instance, masked: bool = False) -> str:
    secret = mask(instance.webhook_secret) if masked else instance.webhook_secret
    return provider_of(instance).webhook_url(current_app.config["PUBLIC_URL"], secret, instance.server)


def selection(instance: Instance, events: list[str] | None) -> list[str] | None:
    """An operator's event choice checked and spelled as the provider wants; None means keep the stored one."""
    try:
        return None if events is None else list(chosen_events(instance, events))
    except ValueError as error:
        raise SettingError(str(error)) from None


def chosen_events(instance: Instance, events: list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """The operator's selection in the provider's spelling (ValueError for an unknown name)."""
    names = catalogue(instance)
    return names.select(names.default if events is None else events)


def effective_events(instance: Instance, selection: tuple[str, ...]) -> tuple[str, ...]:
    """What the provider is asked for: the selection plus the gateway's own needs ([] stays all)."""
    if not selection:
        return ()
    return selection + tuple(name for name in catalogue(instance).control if name not in selection)


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
            "events": list(chosen_events(instance, instance.webhook_events)),
        },
    }


def delivery_settings(instance: Instance) -> DeliverySettings:
    return DeliverySettings(
        name=instance.name,
        webhook_url=webhook_url(instance),
        secret=instance.webhook_secret,
        webhook_events=effective_events(instance, chosen_events(instance, instance.webhook_events)),
        websocket_events=effective_events(instance, chosen_events(instance, instance.websocket_events)),
        base64=instance.webhook_base64,
        by_events=instance.webhook_by_events,
    )

