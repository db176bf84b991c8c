"""Compare what the provider has with what the gateway chose (pure: no I/O)."""
from __future__ import annotations

from ...models import DeliveryMode
from .client import WebhookConfig, WebsocketConfig, lost_settings


def _on(config: WebhookConfig | WebsocketConfig | None) -> bool:
    return config is not None and config.enabled


def diagnose(mode: DeliveryMode, wanted_webhook: WebhookConfig, wanted_websocket: WebsocketConfig,
             webhook: WebhookConfig | None, websocket: WebsocketConfig | None) -> list[str]:
    """Why the provider's configuration differs from the chosen mode; empty when it agrees."""
    reasons = []
    if mode is DeliveryMode.WEBHOOK:
        if not _on(webhook):
            reasons.append("the webhook is off on the provider")
        elif webhook.url != wanted_webhook.url:
            reasons.append("the provider's webhook points elsewhere")
        elif lost := lost_settings(wanted_webhook, webhook):
            reasons.append(f"the provider's webhook differs ({', '.join(lost)})")
    elif _on(webhook):
        reasons.append("the webhook is on at the provider")
    if mode is DeliveryMode.WEBSOCKET:
        if not _on(websocket):
            reasons.append("the websocket is off on the provider")
        elif lost := lost_settings(wanted_websocket, websocket):
            reasons.append(f"the provider's websocket differs ({', '.join(lost)})")
    elif _on(websocket):
        reasons.append("the websocket is on at the provider")
    return reasons
