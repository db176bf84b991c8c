"""WahaClient against the WAHA simulator: every method and every trap."""
import pytest

from gateway.providers.errors import ProviderNotFound, ProviderRejected, ProviderUnauthorized, ProviderUnavailable
from gateway.providers.waha.client import WahaClient
from gateway.simulator.testing import wait_for

OTHERS = {"url": "http://127.0.0.1:9/customer", "events": ["message"], "customHeaders": [{"name": "X", "value": "1"}]}


def test_check_reports_version_and_sessions(waha):
    info = waha.check()
    assert (info.version, info.instances) == ("2026.2.1", 1)
    assert waha.fetch_instances()[0].status == "STOPPED"  # listed although stopped (all=true)


def test_wrong_key_is_unauthorized_and_never_echoed(wsim):
    with pytest.raises(ProviderUnauthorized) as caught:
        WahaClient(wsim.base_url, "wrong-key").check()
    assert (caught.value.status, caught.value.message) == (401, "Unauthorized")
    assert "wrong-key" not in str(caught.value)


def test_unreachable_server_is_unavailable(unused_port):
    with pytest.raises(ProviderUnavailable, match="cannot reach"):
        WahaClient(f"http://127.0.0.1:{unused_port}", "any-key", timeout=2).check()


def test_another_session_name_gets_wahas_own_422(waha):
    with pytest.raises(ProviderRejected, match="WAHA Core support only 'default' session") as caught:
        waha.create("sales", None)
    assert caught.value.status == 422


def test_create_after_delete_really_creates(waha):
    waha.delete("default")
    assert waha.find("default") is None
    created = waha.create("default", {"webhooks": [OTHERS]})  # start:true, never the start:false trap
    assert created.status == "STARTING" and waha.session("default").config["webhooks"] == [OTHERS]


def test_put_config_replaces_the_whole_config(waha):
    waha.put_config("default", {"webhooks": [OTHERS], "metadata": {"a": "b"}})
    assert waha.session("default").config == {"webhooks": [OTHERS], "metadata": {"a": "b"}}
    waha.put_config("default", None)
    assert waha.session("default").config is None


def test_status_maps_wahas_words(waha, wsim):
    assert (waha.status("default").state, waha.status("default").word) == ("close", "STOPPED")
    assert waha.connect("default").base64 is None  # started: STARTING has no QR yet
    wait_for(lambda: waha.status("default").word == "SCAN_QR_CODE", 5, "SCAN_QR_CODE")
    assert waha.status("default").state == "connecting"
    qr = waha.current_qr("default")
    assert qr.base64.startswith("data:image/png;base64,") and qr.code == wsim.control("GET", "instances/default")["qr"]
    assert len(waha.request_code("default", "5511999990000")) == 9
    wsim.control("POST", "instances/default/scan", {"number": "5511999990000"})
    assert waha.status("default").state == "open"
    assert waha.current_qr("default") is None  # 422 once WORKING


def test_logout_and_missing_session(waha, wsim):
    waha.connect("default")
    wait_for(lambda: waha.status("default").word == "SCAN_QR_CODE", 5, "SCAN_QR_CODE")
    wsim.control("POST", "instances/default/scan", {})
    waha.logout("default")
    assert waha.session("default").me is None
    waha.delete("default")
    with pytest.raises(ProviderNotFound):
        waha.status("default")


def test_find_messages_reads_every_active_chat_since(waha, wsim):
    waha.connect("default")
    wait_for(lambda: waha.status("default").word == "SCAN_QR_CODE", 5, "SCAN_QR_CODE")
    wsim.control("POST", "instances/default/scan", {})
    old = wsim.control("POST", "instances/default/messages", {"text": "old", "timestamp": 1000})["ids"]
    new = wsim.control("POST", "instances/default/messages", {"text": "new", "count": 2, "chatId": "55119@c.us"})["ids"]
    found = waha.find_messages("default", 2000)
    assert [m["id"] for m in found] == new and old[0] not in {m["id"] for m in found}
