"""WahaClient over real HTTP against a loopback stand-in."""
import pytest

from gateway.providers.errors import ProviderNotFound, ProviderUnauthorized, ProviderUnavailable
from gateway.providers.waha.client import WahaClient


def test_check_lists_sessions_with_the_key(waha):
    assert WahaClient(waha.base_url, waha.api_key).check() == [{"name": "default", "status": "WORKING"}]


def test_wrong_key_is_unauthorized_and_never_echoed(waha):
    with pytest.raises(ProviderUnauthorized) as caught:
        WahaClient(waha.base_url, "wrong-key").check()
    assert (caught.value.status, caught.value.message) == (401, "Unauthorized")
    assert "wrong-key" not in str(caught.value)


def test_error_list_message_is_flattened(waha):
    client = WahaClient(waha.base_url, waha.api_key)
    with pytest.raises(ProviderNotFound, match="Cannot GET /api/nothing"):
        client.http.call("GET", "/api/nothing")


def test_unreachable_server_is_unavailable(unused_port):
    with pytest.raises(ProviderUnavailable, match="cannot reach"):
        WahaClient(f"http://127.0.0.1:{unused_port}", "any-key", timeout=2).check()
