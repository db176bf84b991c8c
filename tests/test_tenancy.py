"""Nobody sees another tenant's data; another tenant's instance is as absent as a missing one."""
from gateway.extensions import db
from gateway.models import Instance, ProviderServer, Role, User


def make_instance(app, user_id, name):
    with app.app_context():
        user = db.session.get(User, user_id)
        server = db.session.execute(db.select(ProviderServer)).scalar_one_or_none() or ProviderServer(
            name="evo", kind="evolution", base_url="http://127.0.0.1:1", api_key="server-key-123456")
        db.session.add(Instance(tenant_id=user.tenant_id, server=server, name=name))
        db.session.commit()


def test_other_tenants_instance_answers_404_like_a_missing_one(app, client, make_user, token_for):
    alice = make_user("alice@example.com", tenant="Acme")
    bob = make_user("bob@example.com", tenant="Globex", role=Role.VIEWER)
    make_instance(app, alice, "acme-sales")
    make_instance(app, bob, "globex-support")

    as_alice, as_bob = token_for(alice), token_for(bob)
    assert client.get("/api/instances/acme-sales", headers=as_alice).json["name"] == "acme-sales"
    foreign = client.get("/api/instances/acme-sales", headers=as_bob)
    missing = client.get("/api/instances/no-such-instance", headers=as_bob)
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json["error"].replace("acme-sales", "X") == missing.json["error"].replace("no-such-instance", "X")
    assert [i["name"] for i in client.get("/api/instances", headers=as_bob).json] == ["globex-support"]
    assert [i["name"] for i in client.get("/api/instances", headers=as_alice).json] == ["acme-sales"]


def test_instance_json_never_carries_secrets(app, client, make_user, token_for):
    alice = make_user("alice@example.com")
    make_instance(app, alice, "acme-sales")
    with app.app_context():
        secret = db.session.execute(db.select(Instance)).scalar_one().webhook_secret
    body = client.get("/api/instances/acme-sales", headers=token_for(alice)).get_data(as_text=True)
    assert secret not in body and "server-key-123456" not in body


def test_instances_page_is_scoped_too(app, client, make_user, login):
    alice = make_user("alice@example.com", tenant="Acme")
    bob = make_user("bob@example.com", tenant="Globex")
    make_instance(app, alice, "acme-sales")
    make_instance(app, bob, "globex-support")
    login("bob@example.com")
    page = client.get("/").get_data(as_text=True)
    assert "globex-support" in page and "acme-sales" not in page
