"""Evolution's delivery channels: its webhook and its socket.io websocket, set, read back and compared."""
from __future__ import annotations

from ...models import DeliveryMode
from ..base import DeliverySettings
from .client import EvolutionClient, WebhookConfig, WebsocketConfig
from .drift import diagnose

WEBHOOK_PATH = "/api/webhooks/evolution"
# Evolution signs nothing: the gateway's secret travels in the URL and in this header.
SECRET_HEADER = "X-Gateway-Secret"


class EvolutionChannels:
    """Each call is one provider call (set and its read-back), so the manager can undo it."""

    def __init__(self, client: EvolutionClient, settings: DeliverySettings):
        self.client = client
        self.settings = settings

    def wanted_webhook(self) -> WebhookConfig:
        s = self.settings
        return WebhookConfig(enabled=True, url=s.webhook_url, events=s.webhook_events, base64=s.base64,
                             by_events=s.by_events, headers={SECRET_HEADER: s.secret})

    def wanted_websocket(self) -> WebsocketConfig:
        return WebsocketConfig(enabled=True, events=self.settings.websocket_events)

    def create(self, mode: str) -> None:
        """Create with the chosen mode's block only: Evolution stores a nested block enabled whatever it says."""
        self.client.create_instance(
            self.settings.name,
            webhook=self.wanted_webhook() if mode == DeliveryMode.WEBHOOK.value else None,
            websocket=self.wanted_websocket() if mode == DeliveryMode.WEBSOCKET.value else None)

    def enable_webhook(self) -> None:
        hook = self.wanted_webhook()
        self.client.set_webhook(self.settings.name, url=hook.url, enabled=True, events=hook.events,
                                base64=hook.base64, by_events=hook.by_events, headers=hook.headers)

    def disable_webhook(self) -> None:
        self.client.disable_webhook(self.settings.name, self.settings.webhook_url)

    def enable_websocket(self) -> None:
        self.client.set_websocket(self.settings.name, enabled=True, events=self.settings.websocket_events)

    def disable_websocket(self) -> None:
        self.client.set_websocket(self.settings.name, enabled=False)

    def diagnose(self, mode: str) -> list[str]:
        name = self.settings.name
        return diagnose(DeliveryMode(mode), self.wanted_webhook(), self.wanted_websocket(),
                        self.client.find_webhook(name), self.client.find_websocket(name))

    def webhook_view(self) -> dict | None:
        """The webhook as the server holds it, without its URL (which carries the secret)."""
        hook = self.client.find_webhook(self.settings.name)
        if hook is None:
            return None
        return {"enabled": hook.enabled, "events": list(hook.events), "base64": hook.base64,
                "byEvents": hook.by_events, "pointsHere": hook.url == self.settings.webhook_url}
