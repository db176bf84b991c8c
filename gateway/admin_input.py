"""Validation of what administrators send about servers, tokens and users, in one place.

Length limits come from the model's own String columns, so the database, the API's 422 and the
forms (their maxlength) can never disagree; what a name may hold is text.name_problem's rule.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.orm import InstrumentedAttribute

from .i18n import Refusal
from .models import ApiToken, ProviderKind, ProviderServer, Role, User
from .text import name_problem

# A token lives at most ten years: enough for "never again think about it", still a number.
MAX_TOKEN_DAYS = 3650


class InputError(Refusal):
    """Input about servers, tokens or users refused before anything is stored or called."""


def limit(column: InstrumentedAttribute) -> int:
    """The column's length in the database."""
    return column.property.columns[0].type.length


def text(data: dict, key: str, column: InstrumentedAttribute, required: bool = True) -> str | None:
    """A stripped string within the column's length; None when absent and not required."""
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise InputError("{key} is required and must be a string.", key=key)
    value = value.strip()
    problem = name_problem(key, value, limit(column))
    if problem is not None:
        raise InputError(problem)
    return value


def flag(data: dict, key: str) -> bool | None:
    value = data.get(key)
    if value is not None and not isinstance(value, bool):
        raise InputError("{key} must be true or false.", key=key)
    return value


def base_url(value: str) -> str:
    """An http(s) URL with a host, without its trailing slash."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname \
            or any(c.isspace() for c in value):
        raise InputError("base_url must be an http:// or https:// URL with a host (and a valid port).")
    return value.rstrip("/")


def server_fields(data: dict, partial: bool) -> dict:
    """The fields of a server to register (all but name required) or to edit (any subset)."""
    fields: dict = {}
    if not partial or "kind" in data:
        kinds = [k.value for k in ProviderKind]
        if data.get("kind") not in kinds:
            raise InputError("kind must be one of {kinds}.", kinds=", ".join(kinds))
        fields["kind"] = data["kind"]
    for key, column in (("base_url", ProviderServer.base_url), ("api_key", ProviderServer.api_key),
                        ("name", ProviderServer.name)):
        value = text(data, key, column, required=not partial and key != "name")
        if value:
            fields[key] = base_url(value) if key == "base_url" else value
        elif value is not None and key != "name":
            raise InputError("{key} is required and must be a string.", key=key)
    if flag(data, "global_events") is not None:
        fields["global_events"] = data["global_events"]
    return fields


def role(value: object) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InputError("role must be one of {roles}.", roles=", ".join(r.value for r in Role)) from None


def token_fields(data: dict) -> tuple[str, int | None]:
    """A token's name and its lifetime in days (None: it never expires)."""
    name = text(data, "name", ApiToken.name)
    days = data.get("expires_in_days")
    if days is not None and (not isinstance(days, int) or isinstance(days, bool)
                             or not 1 <= days <= MAX_TOKEN_DAYS):
        raise InputError("expires_in_days must be a whole number from 1 to {limit}, or null.", limit=MAX_TOKEN_DAYS)
    return name, days


def user_fields(data: dict) -> tuple[str, str, Role]:
    """E-mail, password and role of a user to add (the password rules live in accounts.py)."""
    email = text(data, "email", User.email)
    password = data.get("password")
    if not isinstance(password, str):
        raise InputError("password is required and must be a string.")
    return email, password, role(data.get("role", Role.OPERATOR.value))
