"""The longest text accepted in each field: one number per field, read by the database column, the
API's and forms' validation, and the pages' `maxlength`, so all three always agree."""
from __future__ import annotations

from .i18n import Message

TENANT_NAME = 120
EMAIL = 254
# Passwords are stored hashed; zxcvbn's cost (the password policy) grows with length, and no real
# password is this long.
PASSWORD = 128
TOKEN_NAME = 120
SERVER_NAME = 120
SERVER_URL = 500
API_KEY = 500
# Evolution puts instance names in URL paths and socket namespaces.
INSTANCE_NAME = 100


def too_long(field: str | Message, value: str, limit: int) -> Message | None:
    """The length rule a value breaks, in the one wording every form and API answer uses, or None
    when it fits."""
    if len(value) <= limit:
        return None
    return Message("{field} is longer than {limit} characters.", field=field, limit=limit)
