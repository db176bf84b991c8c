"""Settings as an administrator runs it: edit and delete servers (one of them down), revoke tokens,
manage users; a viewer is told why the controls are off. Screenshots in English and Portuguese.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gateway.extensions import db
from gateway.models import Instance, ProviderServer, Role
from tests.browser.conftest import PASSWORD, screenshot
from tests.connections.conftest import register_server

pytestmark = pytest.mark.timeout(90)


@pytest.fixture
def down_server_id(app, unused_port):  # noqa: F811  (the live app)
    """A server whose port nothing listens on, with an instance of the admin's tenant known here."""
    with app.app_context():
        server = ProviderServer(name="gone", kind="evolution", base_url=f"http://127.0.0.1:{unused_port}",
                                api_key="gone-server-key-1234")
        db.session.add(server)
        db.session.commit()
        return server.id


def add_instance(app, server_id: int, name: str) -> None:
    with app.app_context():
        db.session.add(Instance(tenant_id=1, server_id=server_id, name=name))
        db.session.commit()


def accept_dialogs(page: Page) -> None:
    """hx-confirm asks through window.confirm: answer yes like an operator who means it."""
    page.on("dialog", lambda dialog: dialog.accept())


def test_edit_and_delete_servers_including_one_that_is_down(open_page, app, sim, down_server_id):
    page = open_page("admin@example.com")
    accept_dialogs(page)
    register_server(app, sim, name="sim")
    add_instance(app, down_server_id, "sales")
    page.goto("/settings")
    servers = page.locator("section#servers")
    down_row, up_row = servers.locator(f"#server-{down_server_id}"), servers.locator("tr", has_text="sim")
    expect(down_row.locator("[data-health]")).to_have_attribute("data-health", "down")
    expect(down_row.locator(".health")).to_contain_text("unreachable")
    expect(up_row.locator("[data-health]")).to_have_attribute("data-health", "ok")
    expect(up_row.locator(".health")).to_contain_text(" ms")
    screenshot(page, "settings-servers-health-en")

    # A server that is down can be renamed: no call is made for a name.
    down_row.get_by_text("Edit").click()
    down_row.get_by_label("Name").fill("gone-for-good")
    down_row.get_by_role("button", name="Save").click()
    expect(servers.get_by_role("status")).to_have_text("Server gone-for-good saved.")
    # A new key is checked first: the down server refuses it with the reason, nothing saved.
    down_row = servers.locator(f"#server-{down_server_id}")
    down_row.get_by_text("Edit").click()
    down_row.get_by_label("New API key").fill("another-key-5678")
    down_row.get_by_role("button", name="Save").click()
    expect(servers.get_by_role("alert")).to_contain_text("did not accept the key: cannot reach")
    assert "another-key-5678" not in page.content()

    # Delete: it is in use, so the answer asks to forget its instances here first.
    servers.locator(f"#server-{down_server_id}").get_by_role("button", name="Delete").click()
    expect(servers.get_by_role("alert")).to_contain_text("used by 1 instance(s): sales")
    screenshot(page, "settings-server-in-use-en")
    servers.get_by_role("button", name="Delete the server and forget its instances here").click()
    expect(servers.get_by_role("status")).to_have_text("Server gone-for-good deleted.")
    expect(servers.locator(f"#server-{down_server_id}")).to_have_count(0)
    with app.app_context():
        assert db.session.execute(db.select(Instance.id)).first() is None

    # The working server is edited with a checked key, and deleted when nothing uses it.
    up_row = servers.locator("tr", has_text="sim")
    up_row.get_by_text("Edit").click()
    up_row.get_by_label("New API key").fill(sim.api_key)
    up_row.get_by_label("Name").fill("evolution-main")
    up_row.get_by_role("button", name="Save").click()
    expect(servers.get_by_role("status")).to_have_text("Server evolution-main saved.")
    servers.locator("tr", has_text="evolution-main").get_by_role("button", name="Delete").click()
    expect(servers.get_by_role("status")).to_have_text("Server evolution-main deleted.")
    expect(servers).to_contain_text("No server yet.")


def test_an_instance_whose_server_is_down_is_forgotten_here(open_page, app, down_server_id):
    page = open_page("admin@example.com")
    accept_dialogs(page)
    add_instance(app, down_server_id, "sales")
    page.goto("/")
    row = page.locator("#instance-rows tr", has_text="sales")
    row.get_by_text("More").click()
    row.get_by_role("button", name="Delete").click()
    expect(page.locator("#panel").get_by_role("alert")).to_contain_text("cannot reach")
    row = page.locator("#instance-rows tr", has_text="sales")
    row.get_by_text("More").click()
    row.get_by_role("button", name="Forget here").click()
    expect(page.locator("#panel").get_by_role("status")).to_contain_text("sales was forgotten here")
    expect(page.locator("#instance-rows")).not_to_contain_text("sales")


def test_a_revoked_token_answers_401(open_page, client, context_permissions):
    page = open_page("admin@example.com")
    accept_dialogs(page)
    context_permissions(page)
    page.goto("/settings")
    tokens = page.locator("section#tokens")
    tokens.get_by_label("Token name").fill("deploy bot")
    tokens.get_by_label("Expires").select_option(label="in 30 days")
    tokens.get_by_role("button", name="Create token").click()
    token = tokens.get_by_label("New API token").input_value()
    tokens.get_by_role("button", name="Copy").click()
    expect(tokens.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/instances", headers=headers).status_code == 200

    page.reload()
    row = tokens.locator("tr", has_text="deploy bot")
    expect(row).to_contain_text(token[:8])
    expect(row.locator("td").nth(4)).not_to_have_text("never")  # it was just used
    expect(row.locator("td").nth(5)).not_to_have_text("never")  # it expires
    screenshot(page, "settings-tokens-en")
    row.get_by_role("button", name="Revoke").click()
    expect(tokens.get_by_role("status")).to_have_text("Token deploy bot revoked.")
    expect(tokens.locator("tr", has_text="deploy bot")).to_have_count(0)
    refused = client.get("/api/instances", headers=headers)
    assert refused.status_code == 401 and refused.json["error"]


def test_add_change_role_and_remove_a_user(open_page, user_id):
    page = open_page("admin@example.com")
    accept_dialogs(page)
    page.goto("/settings")
    users = page.locator("section#users")
    users.locator("form fieldset").get_by_label("E-mail").fill("ops@example.com")
    users.locator("form fieldset").get_by_label("Password").fill(PASSWORD)
    users.get_by_role("button", name="Add user").click()
    expect(users.get_by_role("status")).to_have_text("User ops@example.com added.")

    users.get_by_label("Role of ops@example.com").select_option("viewer")
    users.locator("tr", has_text="ops@example.com").get_by_role("button", name="Change role").click()
    expect(users.get_by_role("status")).to_have_text("ops@example.com is now viewer.")
    expect(users.get_by_label("Role of ops@example.com")).to_have_value("viewer")

    # The last administrator keeps the role, and the page says why.
    users.get_by_label("Role of admin@example.com").select_option("operator")
    users.locator("tr", has_text="admin@example.com").get_by_role("button", name="Change role").click()
    expect(users.get_by_role("alert")).to_contain_text("last administrator")
    expect(users.get_by_label("Role of admin@example.com")).to_have_value("admin")

    users.locator("tr", has_text="ops@example.com").get_by_role("button", name="Remove").click()
    expect(users.get_by_role("status")).to_have_text("User ops@example.com removed.")
    expect(users.locator("tr", has_text="ops@example.com")).to_have_count(0)
    with pytest.raises(Exception):
        user_id("ops@example.com")


def test_a_viewer_sees_why_the_controls_are_off(open_page, app, sim):
    open_page("admin@example.com")
    register_server(app, sim)
    page = open_page("viewer@example.com", role=Role.VIEWER)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    note = page.get_by_role("note")
    expect(note).to_contain_text("only an administrator can change servers, users and API tokens")
    expect(note).to_contain_text("Ask admin@example.com.")
    add_user = page.locator("section#users form fieldset").last
    expect(add_user.get_by_role("button", name="Add user")).to_be_disabled()
    expect(add_user).to_have_attribute("title", "Only an administrator can change this.")
    revoke_or_edit = page.locator("section#servers button", has_text="Edit")
    expect(revoke_or_edit).to_be_disabled()
    expect(revoke_or_edit).to_have_attribute("aria-describedby", "role-note")
    screenshot(page, "settings-viewer-en")
    page.goto("/")
    expect(page.get_by_role("note")).to_contain_text("You are signed in as viewer")


@pytest.mark.parametrize("locale, suffix", [("en-US", "en"), ("pt-BR", "pt-BR")])
def test_settings_screenshots(open_page, app, sim, unused_port, locale, suffix):
    page = open_page("admin@example.com", locale=locale)
    register_server(app, sim, name="evolution-main")
    with app.app_context():
        db.session.add(ProviderServer(name="old-server", kind="evolution", base_url=f"http://127.0.0.1:{unused_port}",
                                      api_key="old-server-key-1234"))
        db.session.commit()
    page.goto("/settings")
    tokens = page.locator("section#tokens")
    tokens.locator("input[name=name]").fill("deploy bot")
    tokens.locator("button[type=submit]").click()
    expect(tokens.locator("#new-token")).to_be_visible()
    expect(page.locator("[data-health=down]")).to_be_visible()
    expect(page.locator("[data-health=ok]")).to_be_visible()
    if suffix == "pt-BR":
        expect(page.locator("h1")).to_have_text("Configurações")
        expect(page.locator("[data-health=down]")).to_have_text("inacessível")
    screenshot(page, f"settings-{suffix}")
    # A refusal reads in the page's language too.
    accept_dialogs(page)
    add_instance(app, 2, "sales")
    page.locator("#server-2 button.danger").click()
    expected = {"en": "Server old-server is used by 1 instance(s): sales.",
                "pt-BR": "O servidor old-server é usado por 1 instância(s): sales."}[suffix]
    expect(page.locator("section#servers [role=alert]")).to_contain_text(expected)
    screenshot(page, f"settings-server-in-use-{suffix}")
