"""WAHA's delivery channels: the gateway's one entry in the session's `config.webhooks[]`, and `/ws`.

WAHA has no switch for its socket (every client of /ws gets the events), so the websocket channel
is the gateway's socket client alone. The webhook is the gateway's own entry in the session's
config; every other entry, and every other config field, is read, kept and written back untouched
(PUT replaces the whole config and restarts a running session, so nothing is written when nothing
would change).
"""
from __future__ import annotations

from ...i18n import Message
from ...models import DeliveryMode
from ..base import DeliverySettings
from ..errors import ProviderMismatch, ProviderRejected
from . import retries
from .client import WahaClient
from .events import every_event
from .versions import signs, ws_carries_messages

WEBHOOK_PATH = "/api/webhooks/waha"


def websocket_refusal(version: str | None) -> Message | None:
    """Why websocket delivery is refused on this version, in words; None where /ws carries messages."""
    if ws_carries_messages(version):
        return None
    return Message("WAHA {version}'s /ws sends session.status only, so messages would be lost: "
                   "use webhook delivery on this server", version=version)


def webhook_url(public_url: str, secret: str, version: str | None) -> str:
    """Signing servers prove themselves by HMAC; older ones carry the secret in the URL."""
    base = f"{public_url}{WEBHOOK_PATH}"
    return base if signs(version) else f"{base}/{secret}"


class WahaChannels:
    def __init__(self, client: WahaClient, settings: DeliverySettings, server):
        self.client = client
        self.settings = settings
        self.server = server
        self.base = settings.webhook_url.split(WEBHOOK_PATH)[0] + WEBHOOK_PATH

    # -- what the gateway wants -------------------------------------------------------------------
    def wanted_hook(self) -> dict:
        hook = {"url": self.settings.webhook_url,
                "events": list(self.settings.webhook_events or every_event(self.server.version))}
        if signs(self.server.version):
            hook["hmac"] = {"key": self.settings.secret}
            hook["retries"] = (self.settings.retries or retries.DEFAULT).as_json()
        return hook

    def ours(self, hook: dict) -> bool:
        url = hook.get("url") if isinstance(hook, dict) else None
        return isinstance(url, str) and (url == self.base or url.startswith(self.base + "/"))

    # -- calls ---------------------------------------------------------------------------------
    def create(self, mode: str) -> None:
        """Take over the session (Core's `default` exists at boot) or create it, with the gateway's webhook if chosen."""
        if mode == DeliveryMode.WEBSOCKET.value:
            self.enable_websocket()  # refused before anything is created where /ws carries no messages
        hook = self.wanted_hook() if mode == DeliveryMode.WEBHOOK.value else None
        session = self.client.find(self.settings.name)
        if session is None:
            self.client.create(self.settings.name, {"webhooks": [hook]} if hook else None)
            return
        self._write(session.config, hook)

    def enable_webhook(self) -> None:
        session = self.client.session(self.settings.name)
        wanted = self.wanted_hook()
        kept = self._write(session.config, wanted)
        mine = [h for h in ((kept or {}).get("webhooks") or []) if self.ours(h)]
        if mine != [wanted]:
            raise ProviderMismatch(f"WAHA did not keep the gateway's webhook for {self.settings.name!r}")

    def disable_webhook(self) -> None:
        session = self.client.find(self.settings.name)
        if session is not None:
            self._write(session.config, None)

    def enable_websocket(self) -> None:
        """Nothing to turn on at WAHA (every /ws client gets the events), but an old /ws carries no messages."""
        refusal = websocket_refusal(self.server.version)
        if refusal:
            raise ProviderRejected(str(refusal))

    def disable_websocket(self) -> None:
        """Nothing to turn off on WAHA: stopping the gateway's socket client is the whole switch."""

    def _write(self, config: dict | None, hook: dict | None) -> dict | None:
        """Read-modify-write: the other webhooks and fields as they were, the gateway's entry as wanted."""
        others = [h for h in ((config or {}).get("webhooks") or []) if not self.ours(h)]
        webhooks = others + ([hook] if hook else [])
        current = (config or {}).get("webhooks") or []
        if webhooks == current and (config is not None or not webhooks):
            return config  # unchanged: a PUT would restart the session for nothing
        updated = {**(config or {}), "webhooks": webhooks}
        return self.client.put_config(self.settings.name, updated).config

    # -- truth ----------------------------------------------------------------------------------
    def diagnose(self, mode: str) -> list[str]:
        session = self.client.session(self.settings.name)
        reasons = []
        live = self.client.version()
        if live and live != self.server.version:
            reasons.append(f"WAHA's version changed ({self.server.version or 'unknown'} -> {live})")
            self.server.version = live  # what the re-apply must follow (signing, URL)
        mine = [h for h in ((session.config or {}).get("webhooks") or []) if self.ours(h)]
        if mode == DeliveryMode.WEBHOOK.value:
            if session.config is None:
                reasons.append("WAHA has no config for the session (restarted? it keeps config in memory only)")
            elif not mine:
                reasons.append("the webhook is off on the provider")
            elif mine != [self.wanted_hook()]:
                reasons.append(self._difference(mine))
        elif mine:
            reasons.append("the webhook is on at the provider")
        if mode == DeliveryMode.WEBSOCKET.value and not ws_carries_messages(self.server.version):
            reasons.append(f"WAHA {self.server.version}'s /ws sends session.status only: messages are lost in "
                           f"websocket mode, choose webhook delivery")
        return reasons

    def _difference(self, mine: list[dict]) -> str:
        """Which of the gateway's fields WAHA holds otherwise (never the values: the key and URL are secret)."""
        if len(mine) > 1:
            return f"the provider holds {len(mine)} webhooks of the gateway's, not one"
        wanted = self.wanted_hook()
        labels = {"url": "url", "events": "events", "hmac": "signing key", "retries": "retries"}
        fields = [label for key, label in labels.items() if mine[0].get(key) != wanted.get(key)]
        return f"the provider's webhook differs ({', '.join(fields) or 'other fields'})"

    def webhook_view(self) -> dict | None:
        session = self.client.find(self.settings.name)
        if session is None:
            return None
        hooks = (session.config or {}).get("webhooks") or []
        mine = next((h for h in hooks if self.ours(h)), None)
        return {"enabled": mine is not None, "events": (mine or {}).get("events", []),
                "signed": bool(((mine or {}).get("hmac") or {}).get("key")), "retries": (mine or {}).get("retries"),
                "pointsHere": bool(mine) and mine.get("url") == self.settings.webhook_url,
                "otherWebhooks": len(hooks) - (mine is not None)}
