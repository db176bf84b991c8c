"""Helpers shared by the JSON API views: the body, typed fields, and the request's choices."""
from __future__ import annotations

from flask import abort, request

from ...connections.manager import WebhookChoice
from ...i18n import translate
from ...services import services


def json_body(required: bool = True) -> dict:
    """The request's JSON object, or a 400 that says what is wrong with it."""
    if not required and not request.get_data(cache=True):
        return {}
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "The body must be a JSON object.")
    return data


def optional_bool(data: dict, *names: str) -> bool | None:
    """The first of `names` present, which must be true or false."""
    for name in names:
        if name in data and data[name] is not None:
            if not isinstance(data[name], bool):
                abort(400, translate("{key} must be true or false.", key=name))
            return data[name]
    return None


def optional_events(data: dict) -> list[str] | None:
    events = data.get("events")
    if events is None:
        return None
    if not isinstance(events, list) or not all(isinstance(name, str) for name in events):
        abort(400, "events must be a list of event names.")
    return events


def webhook_choice(data: dict) -> WebhookChoice:
    """The seed's snake_case body, and Evolution's own camelCase spelling, both accepted.

    `retries` goes as it came: whether it fits depends on the instance's server (the manager checks it).
    """
    return WebhookChoice(base64=optional_bool(data, "webhook_base64", "base64"),
                         by_events=optional_bool(data, "webhook_by_events", "byEvents", "by_events"),
                         events=optional_events(data), retries=data.get("retries"))


def manager():
    return services().manager
