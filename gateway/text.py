"""Text the databases can hold: PostgreSQL's text types cannot hold NUL, and no encoding can write a
lone surrogate (which strict JSON's "\\udXXX" escapes can produce), so neither database can store one.
"""
from __future__ import annotations

import re

from .i18n import Message
from .lengths import too_long

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Names (of events, instances, servers) hold no control characters either: they end up in logs,
# headers and pages.
_NOT_IN_NAMES = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def storable(text: str, length: int | None = None) -> str:
    """`text` cut to `length`, with NUL and lone surrogates replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text if length is None else text[:length])


def name_problem(field: str, text: str, length: int | None = None) -> Message | None:
    """Why `text` cannot be a name (of at most `length` characters), or None when it can."""
    bad = _NOT_IN_NAMES.search(text)
    if bad is not None:
        return Message("'{field}' holds a character that is not allowed in a name (U+{code}, at position {position}).",
                       field=field, code=f"{ord(bad.group()):04X}", position=bad.start())
    return None if length is None else too_long(f"'{field}'", text, length)
