"""English and Brazilian Portuguese for the pages: the browser's language unless the user picked one."""
from __future__ import annotations

from flask import has_request_context, request, session

from .translations import PT_BR

LANGUAGES = {"en": "English", "pt-BR": "Português (Brasil)"}
MODE_LABELS = {"webhook": "Webhook", "websocket": "WebSocket", "none": "None"}


def language() -> str:
    """The session's choice, else the best match of the browser's Accept-Language, else English."""
    if not has_request_context():
        return "en"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(["en", "pt-BR", "pt"], default="en")
    return "pt-BR" if best.startswith("pt") else "en"


def translate(text: str, **values) -> str:
    """`text` in the page's language (English is the key), with `{name}` placeholders filled in."""
    if language() == "pt-BR":
        text = PT_BR.get(text, text)
    return text.format(**values) if values else text
