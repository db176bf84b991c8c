"""De-duplication keys shared by every provider's rule: bounded, printable, and a digest when they are not."""
from __future__ import annotations

import hashlib
import json

MAX_LENGTH = 128


def bounded(name: str, *parts: str) -> str:
    """`name:part:...` as it is when short and printable ASCII, else `name:` and its sha256."""
    key = ":".join((name, *parts))
    if len(key) <= MAX_LENGTH and key.isascii() and key.isprintable():
        return key
    return f"{name}:{sha256(key)}"


def sha256(text: str) -> str:
    # surrogatepass: JSON may carry lone surrogates ("\ud800"), which plain UTF-8 refuses.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def digest(document: object) -> str:
    """sha256 of the canonical JSON (sorted keys, compact, ASCII) of a document."""
    return sha256(json.dumps(document, sort_keys=True, separators=(",", ":")))
