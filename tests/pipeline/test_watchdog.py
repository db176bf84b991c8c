"""The silence watchdog heals a provider that forgot the webhook of a quiet, open instance."""
from __future__ import annotations

from datetime import timedelta

import pytest

from gateway.extensions import db
from gateway.models import Instance, utcnow
from gateway.services import services
from gateway.simulator.testing import wait_for


@pytest.fixture
def quiet(app, create, sim, store, provider):
    """`sales` in webhook mode, open, then silent for an hour, and its webhook lost on the provider."""
    create(mode="webhook")
    sim.control("POST", "instances/sales/scan", {})
    wait_for_state(store, "open")
    url = provider.webhook("sales")["url"]
    assert provider.rest("POST", "/webhook/set/sales", {"webhook": {"enabled": False, "url": url}}).status_code == 201
    make_silent(app, "sales", timedelta(hours=1))
    return url


def wait_for_state(store, state):
    wait_for(lambda: store.instance("sales").connection_state == state, what=f"state {state}")


def make_silent(app, name, for_how_long):
    with app.app_context():
        instance = db.session.execute(db.select(Instance).where(Instance.name == name)).scalar_one()
        instance.last_event_at = instance.created_at = utcnow() - for_how_long
        instance.last_sync_at = None
        db.session.commit()
        services().watchdog.checked_at.pop(instance.id, None)  # its own last check ages with the silence


def watchdog(app):
    with app.app_context():
        return services().watchdog.run()


def test_a_silent_instance_gets_its_lost_webhook_back_and_it_is_recorded(app, quiet, sim, provider, store):
    assert watchdog(app) == {"sales": "healed"}
    webhook = provider.webhook("sales")
    assert webhook["enabled"] is True and webhook["url"] == quiet
    reason = store.instance("sales").drift_reason
    assert reason.startswith("silence watchdog") and "the webhook is off on the provider" in reason
    [key] = sim.control("POST", "instances/sales/messages", {})["ids"]
    assert store.wait_messages("sales", [key]) == {key: ["webhook"]}
    assert watchdog(app) == {}  # checked just now: not again within the silence window


def test_an_instance_heard_from_recently_is_left_alone(app, quiet, provider):
    make_silent(app, "sales", timedelta(seconds=10))
    assert watchdog(app) == {}
    assert provider.webhook("sales")["enabled"] is False


def test_a_silent_instance_whose_webhook_is_intact_is_only_checked(app, quiet, provider, store):
    assert watchdog(app) == {"sales": "healed"}
    make_silent(app, "sales", timedelta(hours=1))
    before = store.instance("sales").drift_reason
    assert watchdog(app) == {"sales": "checked"}
    assert store.instance("sales").drift_reason == before


def test_silence_is_judged_without_regard_to_the_periodic_sync(app, quiet, provider, store):
    """With the defaults (sync every 300 s, silence 900 s) a sync always came first and hid the silence."""
    assert (app.config["SYNC_INTERVAL"], app.config["WATCHDOG_SILENCE"]) == (300, 900)
    with app.app_context():
        instance = db.session.execute(db.select(Instance).where(Instance.name == "sales")).scalar_one()
        instance.last_sync_at = utcnow()  # the periodic sync ran a moment ago and saw no event either
        db.session.commit()
    assert watchdog(app) == {"sales": "healed"}
    assert provider.webhook("sales")["enabled"] is True


def test_the_watchdog_catches_up_what_a_silently_stopped_webhook_lost(app, quiet, sim, provider, store):
    """The webhook is lost while messages arrive and are acked: after the heal, catch-up stores them all."""
    ids = sim.control("POST", "instances/sales/messages", {"count": 3})["ids"]
    for key in ids:
        sim.control("POST", "instances/sales/ack", {"id": key, "status": "DELIVERY_ACK"})
    assert store.message_sources("sales") == {}  # nothing was delivered
    assert watchdog(app) == {"sales": "healed"}
    assert store.wait_messages("sales", ids) == {key: ["catchup"] for key in ids}
    acks = wait_for(lambda: len(store.events("sales", "messages.update")) == 3 and store.events("sales", "messages.update"))
    assert sorted(a.payload["data"]["keyId"] for a in acks) == sorted(ids)
