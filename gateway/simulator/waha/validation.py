"""Session bodies checked and stripped the way WAHA's ValidationPipe (whitelist) does it.

Follows src/structures/sessions.dto.ts (SessionConfig) and src/structures/webhooks.config.dto.ts
(WebhookConfig, HmacConfiguration, RetriesConfiguration, CustomHeader), as waha-2026.2.1-rest.md observed.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .versions import Version

CONFIG_FIELDS = ("metadata", "proxy", "debug", "noweb", "webhooks", "ignore", "client")
POLICIES = ("constant", "linear", "exponential")


class Invalid(Exception):
    """A 400 whose `messages` list says what class-validator found."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _number(value) -> bool:
    """class-validator's IsNumber: a JSON number, any sign or size (null is "optional", so left out)."""
    return value is None or (isinstance(value, (int, float)) and not isinstance(value, bool))


def session_config(config, version: Version):
    """The config as WAHA keeps it: unknown fields gone; None stays None (the boot state)."""
    if config is None:
        return None
    if not isinstance(config, dict):
        raise Invalid(["config must be an object"])
    kept = {key: config[key] for key in CONFIG_FIELDS if key in config}
    if "webhooks" in kept:
        if not isinstance(kept["webhooks"], list):
            raise Invalid(["config.webhooks must be an array"])
        kept["webhooks"] = [_webhook(hook, index, version) for index, hook in enumerate(kept["webhooks"])]
    return kept


def _webhook(hook, index: int, version: Version) -> dict:
    where = f"config.webhooks.{index}"
    if not isinstance(hook, dict):
        raise Invalid([f"{where} must be an object"])
    problems, kept = [], {}
    url = hook.get("url")
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        problems.append(f"{where}.url must be a URL address")
    kept["url"] = url
    events = hook.get("events")
    allowed = version.events + (("*",) if version.star_allowed else ())
    if not isinstance(events, list):
        problems.append(f"{where}.events must be an array")
    elif any(name not in allowed for name in events):
        problems.append(f"each value in {where}.events must be one of the following values: {', '.join(allowed)}")
    kept["events"] = events
    if isinstance(hook.get("hmac"), dict):
        kept["hmac"] = {"key": hook["hmac"].get("key")}
    if isinstance(hook.get("retries"), dict):
        retries = {key: hook["retries"][key] for key in ("policy", "delaySeconds", "attempts") if key in hook["retries"]}
        if "policy" in retries and retries["policy"] not in POLICIES:
            problems.append(f"{where}.retries.policy must be one of the following values: {', '.join(POLICIES)}")
        problems += [f"{where}.retries.{key} must be a number conforming to the specified constraints"
                     for key in ("delaySeconds", "attempts") if key in retries and not _number(retries[key])]
        kept["retries"] = retries
    if isinstance(hook.get("customHeaders"), list):
        kept["customHeaders"] = [{"name": h.get("name"), "value": h.get("value")}
                                 for h in hook["customHeaders"] if isinstance(h, dict)]
    if problems:
        raise Invalid(problems)
    return kept
