"""Reading provider error bodies (pure)."""
import pytest

from gateway.providers.errors import (
    ProviderNotFound,
    ProviderRejected,
    ProviderUnauthorized,
    ProviderUnavailable,
    error_for_status,
)
from gateway.providers.http import provider_message


@pytest.mark.parametrize("body, message", [
    ({"status": 403, "error": "Forbidden", "response": {"message": ['This name "x" is already in use.']}},
     'This name "x" is already in use.'),
    ({"status": 400, "error": "Bad Request", "response": {"message": [['instance requires property "webhook"']]}},
     'instance requires property "webhook"'),
    ({"status": 401, "error": "Unauthorized", "response": {"message": "Unauthorized"}}, "Unauthorized"),
    ({"status": 400, "error": "Bad Request", "response": {"message": ["a", ["b", "c"]]}}, "a; b; c"),
    ({"statusCode": 422, "message": "Session is not ready", "error": "Unprocessable Entity"}, "Session is not ready"),
    ({"statusCode": 400, "message": ["url must be a URL", "events must be a list"], "error": "Bad Request"},
     "url must be a URL; events must be a list"),
    ({"statusCode": 500, "error": "Internal Server Error"}, "Internal Server Error"),
    ("<html>Bad Gateway</html>", "<html>Bad Gateway</html>"),
    (None, "HTTP 502 Bad Gateway"),
    ({}, "HTTP 502 Bad Gateway"),
])
def test_provider_message_is_flattened(body, message):
    assert provider_message(body, "HTTP 502 Bad Gateway") == message


@pytest.mark.parametrize("status, kind", [
    (400, ProviderRejected), (403, ProviderRejected), (422, ProviderRejected),
    (401, ProviderUnauthorized), (404, ProviderNotFound),
    (500, ProviderUnavailable), (502, ProviderUnavailable), (504, ProviderUnavailable),
])
def test_error_for_status(status, kind):
    error = error_for_status(status, "said no")
    assert type(error) is kind
    assert (error.status, error.message, str(error)) == (status, "said no", "said no")
