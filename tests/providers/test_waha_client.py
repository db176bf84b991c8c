"""WahaClient against the WAHA simulator: every method and every trap."""
import pytest

from gateway.providers.errors import ProviderNotFound, ProviderRejected, ProviderUnauthorized, ProviderUnavailable
from gateway.providers.waha import catchup
from gateway.providers.waha.client import WahaClient
from gateway.simulator.testing import wait_for

# NowebInMemoryStore.errorMessage: what NOWEB answers (400) for chats and messages without its store.
NO_STORE = ('Enable NOWEB store "config.noweb.store.enabled=True" and "config.noweb.store.full_sync=True" when '
            'starting a new session. Read more: https://waha.devlike.pro/docs/engines/noweb#store')
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


def _working(waha, wsim):
    waha.connect("default")
    wait_for(lambda: waha.status("default").word == "SCAN_QR_CODE", 5, "SCAN_QR_CODE")
    wsim.control("POST", "instances/default/scan", {"number": "5511999990000"})


def test_fetch_instances_by_name_and_default_at_boot(waha):
    [default] = waha.fetch_instances("default")
    assert (default.name, default.status, default.config, default.me) == ("default", "STOPPED", None, None)
    assert waha.fetch_instances("sales") == []
    assert waha.connection_state("default") == "close"


def test_creating_a_session_that_exists_is_wahas_422(waha):
    with pytest.raises(ProviderRejected, match="already exists. Use PUT") as caught:
        waha.create("default", None)  # `default` exists at boot: the gateway takes it over with a PUT instead
    assert caught.value.status == 422


def test_a_201_that_creates_nothing_is_refused_not_taken_for_a_session(waha, wsim):
    """The start:false trap's answer (201, nothing in it) never passes for a created session."""
    waha.delete("default")
    wsim.control("POST", "faults", {"method": "POST", "path": "/api/sessions", "status": 201, "body": {}})
    with pytest.raises(ProviderRejected, match="without creating it"):
        waha.create("default", None)


def test_connect_by_number_waits_for_the_qr_and_asks_for_a_pairing_code(waha, wsim):
    qr = waha.connect("default", "5511999990000")  # STOPPED: started, then given time to reach SCAN_QR_CODE
    assert waha.status("default").word == "SCAN_QR_CODE"
    assert qr.code == wsim.control("GET", "instances/default")["qr"] and qr.base64.startswith("data:image/png;base64,")
    assert len(qr.pairing_code) == 9 and qr.pairing_code[4] == "-"  # shown as ABCD-ABCD
    again = waha.connect("default")  # running: not started twice (that would be WAHA's 422 "already started")
    assert again.code == qr.code and again.pairing_code is None


def test_a_pairing_code_outside_scan_qr_code_is_rejected(waha):
    with pytest.raises(ProviderRejected, match="Session status is not as expected") as caught:
        waha.request_code("default", "5511999990000")
    assert caught.value.status == 422


def test_delete_is_synchronous(waha):
    waha.delete("default")
    assert waha.wait_deleted("default") and waha.find("default") is None and waha.fetch_instances() == []


def test_catch_up_gives_incoming_messages_as_envelopes_and_the_status_now(waha, wsim):
    assert catchup.missed(waha, "default", 0) == []  # not WORKING: WAHA's chats API would refuse
    _working(waha, wsim)
    [incoming] = wsim.control("POST", "instances/default/messages", {"text": "hi"})["ids"]
    wsim.control("POST", "instances/default/messages", {"text": "mine", "fromMe": True})
    [envelope] = catchup.missed(waha, "default", 0)
    assert (envelope["event"], envelope["session"], envelope["payload"]["id"]) == ("message", "default", incoming)
    assert envelope["me"]["id"] == "5511999990000@c.us"
    assert catchup.state_now(waha, "default") == [{"event": "session.status", "session": "default",
                                                   "me": envelope["me"],
                                                   "payload": {"name": "default", "status": "WORKING"}}]


def test_catch_up_recovers_nothing_from_an_engine_without_a_message_store(waha, wsim):
    _working(waha, wsim)
    wsim.control("POST", "instances/default/messages", {})
    wsim.control("POST", "faults", {"path": "/api/default/chats", "status": 400, "times": 5, "body": {
        "message": NO_STORE, "error": "Bad Request", "statusCode": 400}})
    with pytest.raises(ProviderRejected, match="Enable NOWEB store"):
        waha.find_messages("default", 0)
    assert catchup.missed(waha, "default", 0) == []
