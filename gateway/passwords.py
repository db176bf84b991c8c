"""Password policy: long enough, and not guessable, judged offline by zxcvbn's frequency lists.

zxcvbn carries the common-password, name and word lists and spots repeats, sequences and keyboard
walks (`password`, `12345678`, `aaaaaaaa`, `qwertyuiop` all score 0), so no list is kept here.
"""
from __future__ import annotations

from zxcvbn import zxcvbn

from . import lengths
from .i18n import Refusal

MIN_LENGTH = 8
# zxcvbn scores 0-4; 2 means "somewhat guessable" (about 10^8 guesses), enough behind a login throttle.
MIN_SCORE = 2
MAX_LENGTH = lengths.PASSWORD


class WeakPassword(Refusal):
    """A password the policy refuses; the message says why and is safe to show."""


def check_password_policy(password: str, *user_inputs: str) -> None:
    """Raise WeakPassword unless `password` is acceptable; `user_inputs` (e-mail, tenant) count as guessable."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword("The password needs at least {count} characters.", count=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise WeakPassword("The password can have at most {count} characters.", count=MAX_LENGTH)
    verdict = zxcvbn(password, user_inputs=[value for value in user_inputs if value])
    if verdict["score"] < MIN_SCORE:
        hint = verdict["feedback"]["warning"] or "It is too easy to guess."
        raise WeakPassword("This password is too common or too simple: {hint}. "
                           "Choose a longer one, e.g. a few unrelated words.", hint=hint.rstrip("."))
