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
    """`text` in the page's language (English is the key), with `{name}` placeholders filled in.

    A value that is itself a Message is translated too, so a sentence never mixes two languages.
    """
    if language() == "pt-BR":
        text = PT_BR.get(text, text)
    if not values:
        return text
    return text.format(**{key: value.translated() if isinstance(value, Message) else value
                          for key, value in values.items()})


class Message:
    """Words for people built from values: an English template with named placeholders, and the values.

    The template, not the text once filled in, is what a translation is looked up by; so a message is
    kept in this form until it is shown: `str()` is English (logs, the command line), `translated()`
    the reader's language.
    """

    __slots__ = ("template", "values")

    def __init__(self, template: str, **values):
        self.template, self.values = template, values

    def __str__(self) -> str:
        if not self.values:
            return self.template
        return self.template.format(**{key: str(value) if isinstance(value, Message) else value
                                       for key, value in self.values.items()})

    def __repr__(self) -> str:
        return f"Message({self.template!r}, **{self.values!r})"

    def translated(self) -> str:
        return translate(self.template, **self.values)


class Refusal(ValueError):
    """A request refused, in words safe to show: a Message, so each reader gets them in their own language."""

    def __init__(self, template: str | Message, **values):
        self.words = template if isinstance(template, Message) else Message(template, **values)
        super().__init__(str(self.words))

    @classmethod
    def of(cls, error: Exception) -> Refusal:
        """Another error's words, translatable when they were (a Refusal's), as they are otherwise."""
        return cls(error.words if isinstance(error, Refusal) else Message(str(error)))

    def translated(self) -> str:
        return self.words.translated()
