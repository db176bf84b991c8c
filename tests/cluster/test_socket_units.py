"""Which lease carries an instance's socket: the provider's routing decides, not a flag of one provider."""
from __future__ import annotations

import pytest

from gateway.connections.desired import server_fingerprint, wanted_units
from gateway.extensions import db
from gateway.models import DeliveryMode, Instance, ProviderServer, Tenant


def test_one_lease_per_shared_socket_and_one_per_namespace(app):
    with app.app_context():
        tenant = Tenant(name="Acme")
        servers = {kind: ProviderServer(name=kind, kind=kind.split("-")[0], base_url=f"http://{kind}.test",
                                        api_key="k", global_events=kind.endswith("global"))
                   for kind in ("evolution", "evolution-global", "waha")}
        for server in servers.values():
            for number in (1, 2):
                db.session.add(Instance(tenant=tenant, server=server, name=f"{server.name}-{number}",
                                        delivery_mode=DeliveryMode.WEBSOCKET.value))
        db.session.add(Instance(tenant=tenant, server=servers["waha"], name="quiet",
                                delivery_mode=DeliveryMode.WEBHOOK.value))
        db.session.commit()
        units = {unit.label: len(unit.instance_ids) for unit in wanted_units().values()}
    # Evolution gives each instance a namespace; a global-events server and WAHA's /ws carry all of theirs.
    assert units == {"evolution-1": 1, "evolution-2": 1, "server:evolution-global": 2, "server:waha": 2}


@pytest.mark.parametrize("change, moves", [
    ({"base_url": "http://elsewhere.test"}, True), ({"api_key": "rotated"}, True), ({"global_events": True}, True),
    ({"name": "renamed"}, False)])
def test_a_socket_fingerprint_moves_with_what_the_server_connects_to(change, moves):
    server = ProviderServer(name="evolution", kind="evolution", base_url="http://evolution.test", api_key="k",
                            global_events=False)
    before = server_fingerprint(server)
    for name, value in change.items():
        setattr(server, name, value)
    assert (server_fingerprint(server) != before) is moves
    assert "rotated" not in server_fingerprint(server)
