"""An operator's first hour in a real browser: a PUBLIC_URL that points nowhere is a warning, long names
never widen a page, the naming rule is said in words, and a refused action is an error, never green."""
from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from gateway import lengths
from tests.browser.conftest import screenshot
from tests.connections.conftest import Api, api, create, server_id  # noqa: F401

pytestmark = pytest.mark.timeout(90)

WARN, BAD, OK = "rgb(178, 106, 0)", "rgb(192, 57, 43)", "rgb(31, 138, 76)"  # --warn, --bad, --ok in app.css
VIEWPORT = 1280


def colour(locator) -> str:
    return locator.evaluate("element => getComputedStyle(element).color")


def test_a_public_url_that_points_nowhere_is_shown_as_a_warning(open_page, live, unused_port):
    live.app.config["PUBLIC_URL"] = f"http://127.0.0.1:{unused_port}"
    page = open_page("admin@example.com")
    page.get_by_role("link", name="Settings").click()
    check = page.locator("section#self-check")
    warning = check.locator("[data-self-check=failed]")
    expect(warning).to_contain_text(f"Providers cannot reach this gateway at PUBLIC_URL: no answer from "
                                    f"http://127.0.0.1:{unused_port}")
    assert colour(warning) == WARN
    screenshot(page, "settings-self-check-failed")

    page.get_by_role("link", name="Instances").click()
    banner = page.locator("#self-check-banner")
    expect(banner).to_contain_text("Webhooks will not arrive.")
    assert colour(banner) == WARN
    screenshot(page, "instances-public-url-banner")

    portuguese = open_page("pt@example.com", locale="pt-BR")
    portuguese.goto("/settings")
    expect(portuguese.locator("[data-self-check=failed]")).to_contain_text(
        "Os provedores não alcançam este gateway em PUBLIC_URL")
    screenshot(portuguese, "settings-self-check-failed-pt-BR")

    live.app.config["PUBLIC_URL"] = live.url  # fixed: Settings checks again when it opens
    page.goto("/settings")
    expect(check.locator("[data-self-check=ok]")).to_have_text("✓ This gateway answers at PUBLIC_URL.")
    assert colour(check.locator("[data-self-check=ok]")) == OK
    page.goto("/")
    expect(page.locator("h1")).to_contain_text("Instances")
    expect(banner).to_have_count(0)


def within_viewport(page: Page, name: str) -> None:
    screenshot(page, name)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORT, f"{name} is {width} px wide"


@pytest.fixture
def admin_api(client, make_user, token_for):
    return Api(client, token_for(make_user("root@example.com")))


def test_long_names_keep_every_page_within_the_viewport(open_page, admin_api, sim):
    api = admin_api
    refused = api.post("/api/servers", json={"kind": "evolution", "base_url": sim.base_url, "api_key": sim.api_key,
                                             "name": "S" * 200})
    assert refused.status_code == 422 and refused.json["error"] == "'name' is longer than 120 characters."
    server_name = "S" * lengths.SERVER_NAME
    server = api.post("/api/servers", json={"kind": "evolution", "base_url": sim.base_url, "api_key": sim.api_key,
                                            "name": server_name})
    assert server.status_code == 201, server.json
    instance_name = "i" * lengths.INSTANCE_NAME
    api.post("/api/instances", json={"name": instance_name, "server_id": server.json["id"], "mode": "none"})
    email = "a" * 188 + "@example.com"  # 200 characters

    page = open_page(email)
    within_viewport(page, "long-names-instances")
    name_cell = page.locator("#instance-rows strong.truncate")
    expect(name_cell).to_have_attribute("title", instance_name)
    page.get_by_text("Create or import instances").click()
    field = page.get_by_label("Name", exact=True)
    field.fill("n" * 200)
    assert len(field.input_value()) == lengths.INSTANCE_NAME  # the form holds the database's limit
    within_viewport(page, "long-names-instances-form")
    page.goto("/settings")
    within_viewport(page, "long-names-settings")
    page.goto(f"/events?instance={instance_name}")
    within_viewport(page, "long-names-events")


def test_the_naming_rule_is_said_in_words_and_a_refusal_is_an_error(open_page, create):  # noqa: F811
    create("Sales", mode="none")
    page = open_page("admin@example.com")
    page.get_by_text("Create or import instances").click()
    rule = ("1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit; unique on its server "
            "whatever the case")
    expect(page.locator("#name-rule")).to_have_text(rule)
    field = page.get_by_label("Name", exact=True)
    field.fill("has space")
    page.get_by_role("button", name="Create", exact=True).click()
    assert field.evaluate("element => element.validationMessage") == rule

    field.fill("SALES")
    with page.expect_response(lambda response: response.url.endswith("/instances")) as answer:
        page.get_by_role("button", name="Create", exact=True).click()
    assert answer.value.status == 422
    error = page.locator("#panel .alert.error")
    expect(error).to_have_text('An instance named "Sales" already exists.')
    assert colour(error) == BAD
    expect(page.locator("#panel .toast")).to_have_count(0)
    screenshot(page, "instances-refused-create")


def test_an_instance_whose_webhooks_never_come_says_what_to_check(open_page, live, api, create, sim,  # noqa: F811
                                                                   unused_port):
    live.app.config.update(PUBLIC_URL=f"http://127.0.0.1:{unused_port}", UNHEARD_WEBHOOK_AFTER=0)
    create("sales", mode="webhook")
    page = open_page("admin@example.com")
    sim.control("POST", "instances/sales/scan", {"number": "5511999990000"})  # its webhook goes nowhere
    assert api.post("/api/instance-management/sync/sales").status_code == 200  # the row is pushed live
    flag = page.locator("#instance-rows [data-flag=unheard-webhook]")
    expect(flag).to_contain_text("but no webhook has arrived.")
    expect(flag).to_contain_text(f"can reach PUBLIC_URL (http://127.0.0.1:{unused_port})")
    assert colour(flag) == WARN
    screenshot(page, "instances-unheard-webhook")
