"""The retry policy of the gateway's webhook on WAHA: the default it asks for, and an operator's choice checked.

WAHA's src/structures/webhooks.config.dto.ts (RetriesConfiguration) takes `policy` (constant, linear
or exponential), `delaySeconds` and `attempts` (numbers), each optional; WebhookSender.ts gives
`attempts` to axios-retry as its retry count and waits `delaySeconds * 1000` ms on a Node timer.
The DTO sets no range: the gateway refuses what WAHA would take but not honour (a negative count, a
fraction of a retry, a delay longer than a Node timer holds, which fires at once).
"""
from __future__ import annotations

from ...i18n import Refusal
from ...models import RetryShape
from ..base import RetryPolicy

# WAHA's own default is 15 retries every 2 s; the gateway answers fast, so back off instead.
DEFAULT = RetryPolicy(RetryShape.EXPONENTIAL, 2, 8)
FIELDS = ("policy", "delaySeconds", "attempts")
# A Node timer longer than 2**31 - 1 ms fires at once; a count is kept in a database integer.
MAX_DELAY_SECONDS = 2_147_483
MAX_ATTEMPTS = 2**31 - 1


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def chosen(given) -> RetryPolicy:
    """An operator's policy in WAHA's shape; fields left out keep the gateway's default (so `{}` is the default).

    The one check of a policy, whether it came as JSON or from the connection modal's fields.
    """
    if not isinstance(given, dict):
        raise Refusal('retries must be an object such as {"policy": "exponential", "delaySeconds": 2, '
                      '"attempts": 8}.')
    shape, delay, attempts = (given.get(name, default) for name, default in
                              zip(FIELDS, (DEFAULT.shape.value, DEFAULT.delay_seconds, DEFAULT.attempts)))
    unknown = sorted(set(given) - set(FIELDS))
    if unknown:
        raise Refusal("retries takes policy, delaySeconds and attempts only, not {fields}.",
                      fields=", ".join(unknown))
    if shape not in {s.value for s in RetryShape}:
        raise Refusal("retries.policy must be one of {shapes}.", shapes=", ".join(s.value for s in RetryShape))
    if not _number(delay) or not 0 <= delay <= MAX_DELAY_SECONDS:
        raise Refusal("retries.delaySeconds must be a number of seconds from 0 to {limit}.", limit=MAX_DELAY_SECONDS)
    if not _number(attempts) or not 0 <= attempts <= MAX_ATTEMPTS or attempts != int(attempts):
        raise Refusal("retries.attempts must be a whole number of retries from 0 to {limit}.", limit=MAX_ATTEMPTS)
    return RetryPolicy(RetryShape(shape), delay, int(attempts))
