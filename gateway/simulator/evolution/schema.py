"""Request body validation with the messages Evolution's JSON schemas (npm `jsonschema`) produce.

Follows src/api/abstract/abstract.router.ts (dataValidate), src/validate/instance.schema.ts,
src/api/integrations/event/webhook/webhook.schema.ts and src/api/integrations/event/event.schema.ts.
"""
from __future__ import annotations

from typing import Any

from .catalog import EVENTS

MISSING = object()  # JavaScript's `undefined`: the key is absent

_TYPES = {
    "boolean": lambda v: isinstance(v, bool),
    "string": lambda v: isinstance(v, str),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}


def _not_empty(*names: str) -> dict:
    """The `isNotEmpty` helper: only applies when every key present is one of `names`."""
    return {
        "if": {"propertyNames": {"enum": list(names)}},
        "then": {"properties": {n: {"minLength": 1, "description": f'The "{n}" cannot be empty'} for n in names}},
    }


_EVENT_LIST = {"type": "array", "minItems": 0, "items": {"type": "string", "enum": list(EVENTS)}}

WEBHOOK = {
    "type": "object",
    "properties": {
        "webhook": {
            "type": "object",
            "properties": {
                "enabled": {"type": "boolean"},
                "url": {"type": "string"},
                "headers": {"type": "object"},
                "byEvents": {"type": "boolean"},
                "base64": {"type": "boolean"},
                "events": _EVENT_LIST,
            },
            "required": ["enabled", "url"],
            **_not_empty("enabled", "url"),
        },
    },
    "required": ["webhook"],
}

_EVENT_TARGET = {
    "type": "object",
    "properties": {"enabled": {"type": "boolean", "enum": [True, False]}, "events": _EVENT_LIST},
    "required": ["enabled"],
}

EVENT = {
    "type": "object",
    "properties": {name: _EVENT_TARGET for name in ("websocket", "rabbitmq", "nats", "sqs", "kafka")},
}

INSTANCE = {
    "type": "object",
    "properties": {
        "instanceName": {"type": "string"},
        "token": {"type": "string"},
        "number": {"type": "string"},
        "businessId": {"type": "string"},
        "qrcode": {"type": "boolean"},
        **{k: {"type": "boolean"} for k in (
            "rejectCall", "groupsIgnore", "alwaysOnline", "readMessages", "readStatus", "syncFullHistory")},
        "msgCall": {"type": "string"},
        "wavoipToken": {"type": "string"},
        "webhookUrl": {"type": "string"},
        "webhookByEvents": {"type": "boolean"},
        "webhookBase64": {"type": "boolean"},
    },
    **_not_empty("instanceName"),
}


def errors(instance: Any, schema: dict) -> list[str]:
    """Every violation, in the order the npm validator walks the schema's keywords."""
    return [_message(path, text, sub) for path, text, sub in _walk(instance, schema, "instance")]


def _message(path: str, text: str, schema: dict) -> str:
    # dataValidate prefers the schema's description, else strips the first "instance." of the stack.
    return schema.get("description") or f"{path} {text}".replace("instance.", "", 1)


def _walk(value: Any, schema: dict, path: str):
    if value is MISSING:
        return
    for keyword, arg in schema.items():
        if keyword == "type" and not _TYPES[arg](value):
            yield path, f"is not of a type(s) {arg}", schema
        elif keyword == "enum" and value not in arg:
            shown = ",".join(str(v).lower() if isinstance(v, bool) else str(v) for v in arg)
            yield path, f"is not one of enum values: {shown}", schema
        elif keyword == "minLength" and isinstance(value, str) and len(value) < arg:
            yield path, f"does not meet minimum length of {arg}", schema
        elif keyword == "properties" and isinstance(value, dict):
            for name, sub in arg.items():
                yield from _walk(value.get(name, MISSING), sub, f"{path}.{name}")
        elif keyword == "required" and isinstance(value, dict):
            for name in arg:
                if name not in value:
                    yield path, f'requires property "{name}"', schema
        elif keyword == "items" and isinstance(value, list):
            for index, item in enumerate(value):
                yield from _walk(item, arg, f"{path}[{index}]")
        elif keyword == "if" and isinstance(value, dict):
            if all(key in arg["propertyNames"]["enum"] for key in value):
                yield from _walk(value, schema["then"], path)
