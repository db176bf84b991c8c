"""WAHA's retry policy as an operator gives it: WAHA's DTO shape, the gateway's default for what is left out,
and a message for every value WAHA would take but not honour."""
from __future__ import annotations

import pytest

from gateway.models import RetryShape
from gateway.providers.base import RetryPolicy
from gateway.providers.waha.retries import DEFAULT, MAX_DELAY_SECONDS, chosen


@pytest.mark.parametrize("given, policy", [
    ({}, DEFAULT),
    ({"policy": "constant", "delaySeconds": 1, "attempts": 3}, RetryPolicy(RetryShape.CONSTANT, 1, 3)),
    ({"attempts": 0}, RetryPolicy(DEFAULT.shape, DEFAULT.delay_seconds, 0)),  # WAHA takes 0: one delivery
    ({"policy": "linear", "delaySeconds": 0.5}, RetryPolicy(RetryShape.LINEAR, 0.5, DEFAULT.attempts)),
    ({"attempts": 4.0}, RetryPolicy(DEFAULT.shape, DEFAULT.delay_seconds, 4)),
])
def test_fields_left_out_take_the_gateways_default(given, policy):
    assert chosen(given) == policy


@pytest.mark.parametrize("given, words", [
    ([], "retries must be an object"),
    ("exponential", "retries must be an object"),
    ({"policy": "random"}, "retries.policy must be one of constant, linear, exponential"),
    ({"policy": None}, "retries.policy must be one of"),
    ({"delaySeconds": -1}, "retries.delaySeconds must be a number of seconds from 0"),
    ({"delaySeconds": "2"}, "retries.delaySeconds must be a number"),
    ({"delaySeconds": MAX_DELAY_SECONDS + 1}, "retries.delaySeconds must be a number"),
    ({"delaySeconds": float("nan")}, "retries.delaySeconds must be a number"),
    ({"attempts": -1}, "retries.attempts must be a whole number"),
    ({"attempts": 1.5}, "retries.attempts must be a whole number"),
    ({"attempts": True}, "retries.attempts must be a whole number"),
    ({"attempts": float("inf")}, "retries.attempts must be a whole number"),
    ({"delay": 2, "attempts": 3}, "not delay"),
])
def test_a_value_waha_would_not_honour_says_why(given, words):
    with pytest.raises(ValueError, match=words):
        chosen(given)
