"""Structured (JSON lines) logging to stdout that masks every secret the process knows of."""
from __future__ import annotations

import json
import logging
import re
import sys
import threading
from datetime import datetime, timezone

_known_secrets: set[str] = set()
_lock = threading.Lock()
# Values that look like credentials in free text, whoever logged them.
_SECRET_PATTERNS = re.compile(
    r"(?i)(apikey|api_key|api-key|x-api-key|authorization|token|secret|password)"
    r"(\s*[=:]\s*|\"\s*:\s*\"|'\s*:\s*')(bearer\s+)?([^\s\"',&]+)"
)
# A webhook URL's first segment after the provider is the instance's secret (/api/webhooks/evolution/<secret>):
# request lines, paths and tracebacks carry it, and the process cannot know every instance's secret.
_WEBHOOK_SECRET = re.compile(r"(/webhooks/[A-Za-z]+/+)([^/\s?#\"'\\]+)")


def mask(secret: str | None) -> str:
    """A hint of a secret safe to show: its last four characters at most, never the whole."""
    if not secret:
        return ""
    tail = secret[-4:] if len(secret) >= 12 else ""
    return f"••••{tail}"


def register_secret(secret: str | None) -> None:
    """Remember a secret so that no log line can ever carry it."""
    if secret and len(secret) >= 6:
        with _lock:
            _known_secrets.add(secret)


def redact(text: str) -> str:
    with _lock:
        secrets = sorted(_known_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, mask(secret))
    text = _WEBHOOK_SECRET.sub(lambda m: f"{m.group(1)}{mask(m.group(2))}", text)
    return _SECRET_PATTERNS.sub(lambda m: f"{m.group(1)}{m.group(2)}{m.group(3) or ''}{mask(m.group(4))}", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for key, value in getattr(record, "fields", {}).items():
            entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return redact(json.dumps(entry, default=str, ensure_ascii=False))


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # requests/urllib3 log full URLs at debug level, which may carry keys in query strings.
    logging.getLogger("urllib3").setLevel(max(logging.INFO, root.level))
