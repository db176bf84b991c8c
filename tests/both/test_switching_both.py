"""Switching, failure injection at every provider call, drift, 20 togglers, tenancy and the seed's webhook-management
routes: one body, two providers."""
from __future__ import annotations

import itertools

import gevent
import pytest

from gateway.models import Role
from tests.both.conftest import EXPECTED, stored_mode, switch
from tests.cluster.gateways import Watch
from tests.connections.conftest import Api

MODES = ["none", "webhook", "websocket"]
SWITCHES = [(a, b) for a in MODES for b in MODES if a != b]
# More provider calls than any switch makes: the last indexes prove the switch then succeeds.
CALLS = range(6)


@pytest.mark.parametrize("start, target", SWITCHES)
def test_every_switch_reaches_the_provider_and_the_database(api, app, backend, create, start, target):
    create(mode=start, events=backend.selection)
    backend.wait_truth(start)
    response = switch(api, backend.name, target)
    assert response.status_code == 200, response.json
    assert stored_mode(app, backend.name) == target
    flags = (response.json["webhookEnabled"], response.json["websocketEnabled"])
    assert flags == EXPECTED[target] and not all(flags)
    backend.wait_truth(target)


@pytest.mark.parametrize("call", CALLS)
@pytest.mark.parametrize("start, target", SWITCHES)
def test_a_500_at_any_provider_call_is_undone(api, app, backend, create, start, target, call):
    # A socket's join reads the provider in the background; here only the switch's own calls may count.
    app.extensions["gateway"].supervisor.on_join = lambda instance_id, first: None
    create(mode=start, events=backend.selection)
    backend.wait_truth(start)
    backend.fault(skip=call)
    response = switch(api, backend.name, target)
    backend.clear_faults()
    if response.status_code == 200:
        assert call > 0, "every switch calls the provider at least once"
        assert stored_mode(app, backend.name) == target
        backend.wait_truth(target)
        return
    assert response.status_code == 502 and "database is on fire" in response.json["error"]
    assert stored_mode(app, backend.name) == start
    backend.wait_truth(start)
    state = api.get(f"/api/instance-management/state/{backend.name}").json
    assert state["mode"] == start and state["drift"] is False


def test_drift_behind_the_gateways_back_is_found_and_healed(api, backend, create):
    create(mode="webhook", events=backend.selection)
    backend.tamper()
    assert backend.truth() == (False, False)
    synced = api.post(f"/api/instance-management/sync/{backend.name}").json
    assert synced["mode"] == "webhook" and "re-applied webhook" in synced["driftReason"]
    backend.wait_truth("webhook")


def test_twenty_togglers_leave_one_truth(api, app, backend, create):
    create(mode="none")
    modes = itertools.cycle(MODES)
    with Watch(backend.truth) as watch:
        jobs = [gevent.spawn(switch, api, backend.name, next(modes)) for _ in range(20)]
        gevent.joinall(jobs, raise_error=True)
    assert (True, True) not in watch.seen, "the provider delivered both ways at once"
    assert {job.value.status_code for job in jobs} == {200}
    final = stored_mode(app, backend.name)
    backend.wait_truth(final)
    state = api.post(f"/api/instance-management/sync/{backend.name}").json
    assert state["mode"] == final and state["drift"] is False


def test_another_tenants_instance_is_404(client_factory, backend, create, make_user, token_for):
    create(mode="webhook")
    stranger = Api(client_factory(), token_for(make_user("eve@example.com", tenant="Other", role=Role.ADMIN)))
    for method, path in [("get", f"/api/instances/{backend.name}"),
                         ("get", f"/api/instance-management/state/{backend.name}"),
                         ("post", f"/api/instance-management/websocket/{backend.name}"),
                         ("get", f"/api/webhook-management/{backend.kind}/{backend.name}"),
                         ("delete", f"/api/webhook-management/{backend.kind}/{backend.name}")]:
        assert getattr(stranger, method)(path).status_code == 404, path
    backend.wait_truth("webhook")


@pytest.fixture
def client_factory(app):
    return app.test_client


def test_the_seeds_webhook_management_routes_work_on_both(api, app, backend, create, make_user, token_for):
    create(mode="websocket")
    base = f"/api/webhook-management/{backend.kind}"
    assert set(backend.selection) <= set(api.get(f"{base}/events").json["events"])
    viewer = Api(app.test_client(), token_for(make_user("viewer@example.com", role=Role.VIEWER)))
    assert viewer.post(f"{base}/{backend.name}", json={"events": backend.selection}).status_code == 403
    unknown = api.post(f"{base}/{backend.name}", json={"events": ["no.such.event"]})
    assert unknown.status_code == 422 and "no.such.event" in unknown.json["error"]
    assert api.post(f"{base}/{backend.name}", json={"events": backend.selection}).status_code == 200
    backend.wait_truth("webhook")
    found = api.get(f"{base}/{backend.name}").json
    assert found["provider"]["enabled"] and found["provider"]["pointsHere"]
    # Each provider adds the control events the gateway needs (state, QR) to the selection.
    assert set(backend.selection) <= set(found["provider"]["events"]) and found["state"]["mode"] == "webhook"
    other = next(kind for kind in ("evolution", "waha") if kind != backend.kind)
    assert api.get(f"/api/webhook-management/{other}/{backend.name}").status_code == 404
    assert api.delete(f"{base}/{backend.name}").json["mode"] == "none"
    backend.wait_truth("none")
    assert stored_mode(app, backend.name) == "none"
