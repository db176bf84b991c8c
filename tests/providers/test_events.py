"""Event names: Evolution's allowed list, its catalogue and the three spellings; WAHA's catalogue by version
(pure, no I/O)."""
from types import SimpleNamespace

import pytest

from gateway.providers.evolution import EVOLUTION
from gateway.providers.evolution.events import (
    EMITTED_EVENTS,
    EVOLUTION_CATALOGUE,
    EVOLUTION_EVENTS,
    dotted,
    evolution_selection,
    same_selection,
    upper_snake,
    url_suffix,
)
from gateway.providers.waha import WAHA
from gateway.providers.waha.events import every_event
from gateway.simulator.waha.versions import VERSIONS as SIMULATED_VERSIONS


def test_allowed_list_is_the_sources_in_order():
    assert len(EVOLUTION_EVENTS) == 31 == len(set(EVOLUTION_EVENTS))
    assert EVOLUTION_EVENTS[:4] == ("APPLICATION_STARTUP", "QRCODE_UPDATED", "MESSAGES_SET", "MESSAGES_UPSERT")
    assert EVOLUTION_EVENTS[-3:] == ("INSTANCE_CREATE", "INSTANCE_DELETE", "STATUS_INSTANCE")


@pytest.mark.parametrize("emitted, upper, suffix", [
    ("connection.update", "CONNECTION_UPDATE", "connection-update"),
    ("qrcode.updated", "QRCODE_UPDATED", "qrcode-updated"),
    ("messages.upsert", "MESSAGES_UPSERT", "messages-upsert"),
    ("instance.create", "INSTANCE_CREATE", "instance-create"),
    ("remove.instance", "REMOVE_INSTANCE", "remove-instance"),
    ("send.message.update", "SEND_MESSAGE_UPDATE", "send-message-update"),
    ("group-participants.update", "GROUP_PARTICIPANTS_UPDATE", "group-participants-update"),
    ("typebot.change-status", "TYPEBOT_CHANGE_STATUS", "typebot-change-status"),
    ("call", "CALL", "call"),
])
def test_three_spellings_convert_both_ways(emitted, upper, suffix):
    for spelling in (emitted, upper, suffix):
        assert upper_snake(spelling) == upper
        assert dotted(spelling) == emitted
        assert url_suffix(spelling) == suffix


def test_every_allowed_name_but_group_update_is_emitted():
    emitted = {upper_snake(name) for name in EMITTED_EVENTS}
    assert set(EVOLUTION_EVENTS) - emitted == {"GROUP_UPDATE"}
    assert dotted("GROUP_UPDATE") == "group.update"


def test_selection_accepts_any_spelling_and_keeps_order_without_duplicates():
    names = ["connection.update", "MESSAGES_UPSERT", "qrcode-updated", "Connection.Update"]
    assert evolution_selection(names) == ("CONNECTION_UPDATE", "MESSAGES_UPSERT", "QRCODE_UPDATED")
    assert evolution_selection([]) == ()


@pytest.mark.parametrize("name", ["connection.updated", "creds.update", "messaging-history.set", "", "*"])
def test_selection_rejects_names_evolution_would_refuse(name):
    with pytest.raises(ValueError, match="not an event Evolution lets you select"):
        evolution_selection([name])


def test_groups_update_quirk_is_explained():
    with pytest.raises(ValueError, match="groups.update cannot be selected.*GROUP_UPDATE"):
        evolution_selection(["groups.update"])
    assert evolution_selection(["GROUP_UPDATE"]) == ("GROUP_UPDATE",)


@pytest.mark.parametrize("sent, kept, enabled, same", [
    (["CALL", "CONNECTION_UPDATE"], ["CONNECTION_UPDATE", "CALL"], True, True),
    (["CALL"], ["CALL", "CONNECTION_UPDATE"], True, False),
    (["CALL"], [], True, False),
    ([], list(EVOLUTION_EVENTS), True, True),
    ([], [], True, True),
    ([], ["CALL"], True, False),
    (["CALL"], [], False, True),
    ([], ["CALL"], False, False),
])
def test_same_selection(sent, kept, enabled, same):
    assert same_selection(sent, kept, enabled) is same


def test_the_evolution_catalogue_offers_every_selectable_event_once_in_the_customers_groups():
    names = [name for group in EVOLUTION_CATALOGUE for name, _ in group.events]
    assert sorted(names) == sorted(EVOLUTION_EVENTS)
    assert len(names) == len(set(names))
    assert [group.label for group in EVOLUTION_CATALOGUE] == [
        "Messages", "Contacts", "Chats", "Groups", "Connection & QR", "Calls", "Labels", "Instance", "Integrations"]
    assert all(label and label != name for group in EVOLUTION_CATALOGUE for name, label in group.events)


def test_every_evolution_server_offers_the_whole_catalogue():
    assert EVOLUTION.features(SimpleNamespace(version="2.3.6")).events is EVOLUTION.catalogue
    assert EVOLUTION.catalogue.groups is EVOLUTION_CATALOGUE


def test_the_waha_catalogue_offers_every_selectable_event_once():
    from gateway.providers.waha.events import WAHA_CATALOGUE, WAHA_EVENTS

    names = [name for group in WAHA_CATALOGUE for name, _ in group.events]
    assert sorted(names) == sorted(WAHA_EVENTS) and len(names) == len(set(names))
    assert WAHA.catalogue.groups == WAHA_CATALOGUE
    assert all(label and label != name for group in WAHA_CATALOGUE for name, label in group.events)


@pytest.mark.parametrize("version", sorted(SIMULATED_VERSIONS))
def test_a_waha_server_offers_exactly_the_events_its_version_emits(version):
    """The simulator plays each version as the contract captured it; the gateway knows the same on its own."""
    offered = WAHA.features(SimpleNamespace(version=version)).events
    assert offered.events == SIMULATED_VERSIONS[version].events
    in_groups = [name for group in offered.groups for name, _ in group.events]
    assert sorted(in_groups) == sorted(offered.events) and all(group.events for group in offered.groups)
    assert offered.select(["MESSAGE", "message.ack"]) == ("message", "message.ack")


def test_waha_2024_refuses_the_events_that_came_later_and_names_its_version():
    select = WAHA.features(SimpleNamespace(version="2024.10.8")).events.select
    with pytest.raises(ValueError, match=r"WAHA 2024.10.8 does not emit 'message.edited': the event came with a later"):
        select(["message", "message.edited"])
    with pytest.raises(ValueError, match="'message.sent' is not an event WAHA lets you select"):
        select(["message.sent"])
    current = WAHA.features(SimpleNamespace(version="2026.2.1")).events.select
    assert current(["message.edited", "group.v2.join"]) == ("message.edited", "group.v2.join")


@pytest.mark.parametrize("version, everything", [
    ("2026.2.1", ("*",)), (None, ("*",)), ("2024.10.8", SIMULATED_VERSIONS["2024.10.8"].events)])
def test_every_event_is_named_one_by_one_where_the_version_refuses_a_star(version, everything):
    assert every_event(version) == everything
