"""What the provider should hold for an instance, derived from the instance's stored choices (any provider)."""
from __future__ import annotations

from flask import current_app

from ..i18n import Refusal
from ..logs import mask
from ..models import DeliveryMode, Instance, RetryShape
from ..providers import provider_for
from ..providers.base import Catalogue, DeliverySettings, Features, Provider, RetryPolicy


class SettingError(Refusal):
    """A delivery setting the provider would refuse (an event the server does not emit); the message says why."""


def provider_of(instance: Instance) -> Provider:
    return provider_for(instance.server.kind)


def features(instance: Instance) -> Features:
    """What the instance's server offers (webhook options, websocket delivery, a retry policy)."""
    return provider_of(instance).features(instance.server)


def catalogue(instance: Instance) -> Catalogue:
    """The events the instance's server emits (its version's): the only ones a selection may hold."""
    return features(instance).events


def webhook_url(instance: Instance, masked: bool = False) -> str:
    secret = mask(instance.webhook_secret) if masked else instance.webhook_secret
    return provider_of(instance).webhook_url(current_app.config["PUBLIC_URL"], secret, instance.server)


def selection(instance: Instance, events: list[str] | None) -> list[str] | None:
    """An operator's event choice checked against what the server emits and spelled as the provider wants;
    None means keep the stored one."""
    try:
        return None if events is None else list(catalogue(instance).select(events))
    except ValueError as error:
        raise SettingError.of(error) from None


def chosen_events(instance: Instance, stored: list[str] | None) -> tuple[str, ...]:
    """The stored selection, or the default while none was chosen.

    A selection was checked when it was stored; events its server no longer emits (its version
    changed since) are left out, and the default stands in when none is left ([] stays all).
    """
    names = catalogue(instance)
    if stored is None:
        return names.default
    kept = tuple(name for name in stored if name in names.events)
    return kept if kept or not stored else names.default


def retry_choice(instance: Instance, given) -> RetryPolicy:
    """An operator's retry policy checked against what the instance's server offers."""
    try:
        return provider_of(instance).retry_policy(instance.server, given)
    except ValueError as error:
        raise SettingError.of(error) from None


def stored_retries(instance: Instance) -> RetryPolicy | None:
    """The operator's retry policy; None while none was chosen (the provider's default applies)."""
    if instance.webhook_retry_policy is None:
        return None
    return RetryPolicy(RetryShape(instance.webhook_retry_policy), instance.webhook_retry_delay,
                       instance.webhook_retry_attempts)


def store_retries(instance: Instance, policy: RetryPolicy) -> None:
    instance.webhook_retry_policy = policy.shape.value
    instance.webhook_retry_delay = policy.delay_seconds
    instance.webhook_retry_attempts = policy.attempts


def effective_retries(instance: Instance) -> RetryPolicy | None:
    """The policy the provider is asked for: the operator's, else the default; None where it has none."""
    default = features(instance).retries
    return None if default is None else stored_retries(instance) or default


def effective_events(instance: Instance, selection: tuple[str, ...]) -> tuple[str, ...]:
    """What the provider is asked for: the selection plus the gateway's own needs ([] stays all)."""
    if not selection:
        return ()
    return selection + tuple(name for name in catalogue(instance).control if name not in selection)


def delivery_flags(instance: Instance, masked_url: bool = True) -> dict:
    """The seed's shape, derived from the one stored mode so it can never say 'both'.

    `events` is the operator's selection, or the defaults that apply while nothing was chosen;
    `retries` (where the provider has a retry policy) the operator's policy or the default.
    """
    mode = instance.mode
    config = {
        "url": webhook_url(instance, masked=masked_url),
        "webhook_base64": instance.webhook_base64,
        "webhook_by_events": instance.webhook_by_events,
        "events": list(chosen_events(instance, instance.webhook_events)),
    }
    retries = effective_retries(instance)
    if retries is not None:
        config["retries"] = retries.as_json()
    return {
        "webhookEnabled": mode is DeliveryMode.WEBHOOK,
        "websocketEnabled": mode is DeliveryMode.WEBSOCKET,
        "webhookConfig": config,
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
        retries=stored_retries(instance),
    )

