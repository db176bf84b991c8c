"""Secrets never appear in a log line in full."""
import json
import logging

import pytest

from gateway.logs import JsonFormatter, mask, redact, register_secret


def test_mask_shows_at_most_the_last_four_characters():
    assert mask("0123456789abcdef") == "••••cdef"
    assert mask("short") == "••••"
    assert mask(None) == ""


@pytest.mark.parametrize("secret, hint", [("sim-key", "••••key"), ("abcdef", "••••def"), ("abcdefgh", "••••efgh")])
def test_mask_of_a_short_key_shows_its_last_characters_but_never_half(secret, hint):
    assert mask(secret) == hint


def test_registered_secret_is_masked_wherever_it_appears():
    register_secret("S3CRET-VALUE-99887766")
    assert "S3CRET-VALUE-99887766" not in redact("calling with S3CRET-VALUE-99887766 now")


def test_credential_looking_values_are_masked_even_when_unregistered():
    text = redact('{"apikey": "ABCDEF-123456-XYZ"} url?api_key=qwertyuiop12345 Authorization: Bearer gw_abcdefghijkl')
    for secret in ("ABCDEF-123456-XYZ", "qwertyuiop12345", "gw_abcdefghijkl"):
        assert secret not in text


def test_json_formatter_writes_one_redacted_json_object():
    register_secret("another-secret-000111")
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "key is %s", ("another-secret-000111",), None)
    record.fields = {"instance": "sales"}
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "info" and entry["instance"] == "sales"
    assert "another-secret-000111" not in line
