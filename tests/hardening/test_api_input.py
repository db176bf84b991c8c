"""What schemathesis found beyond the document: ids too large for SQLite and names holding NUL (which
PostgreSQL cannot compare) answer a 4xx, not a 500, on both databases.
"""
from __future__ import annotations

import pytest

from tests.conftest import csrf_token

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
HUGE = 2**70
LARGE = 2**40  # past PostgreSQL's INTEGER


@pytest.fixture
def admin(make_user, token_for):
    return token_for(make_user())


@BOTH
@pytest.mark.parametrize("method, path, body, status", [
    ("get", f"/api/events/{HUGE}", None, 404),
    ("get", f"/api/events?before={HUGE}", None, 400),
    ("post", "/api/instances", {"name": "sales", "server_id": HUGE}, 422),
    ("post", "/api/instances", {"name": "sales", "server_id": -HUGE}, 422),
    ("post", "/api/instances/import", {"server_id": LARGE}, 422),
    ("get", f"/api/events/{LARGE}", None, 404),
    ("get", "/api/events?instance=sa%00les", None, 404),
    ("get", "/api/events?event=messages%00upsert", None, 400),
    ("get", "/api/instances/sa%00les", None, 404),
    ("post", "/api/instance-management/sync/sa%00les", None, 404),
    ("get", "/api/events/export?event=x%00&instance=", None, 200),
    ("get", "/api/events/export?since=0001-01-01T00:00%2B05:00", None, 422),
], ids=["event-id", "before", "server-id", "negative-server-id", "large-server-id", "large-event-id", "nul-instance-filter", "nul-event-filter",
        "nul-instance", "nul-instance-action", "nul-export-filter", "time-out-of-range"])
def test_an_impossible_id_or_name_is_a_clear_4xx(client, admin, method, path, body, status):
    response = getattr(client, method)(path, json=body, headers=admin)
    assert response.status_code == status, response.get_data(as_text=True)
    assert status == 200 or response.json["error"]


@BOTH
def test_the_pages_take_impossible_ids_and_names_too(client, make_user, login):
    make_user()
    login()
    assert client.get("/events?instance=sa%00les&event=x%00").status_code == 200
    assert client.get(f"/events/older?before={HUGE}&event=x%00").status_code == 422
    token = {"X-CSRFToken": csrf_token(client)}
    assert client.post(f"/settings/servers/{HUGE}/test", headers=token).status_code == 404
    created = client.post("/instances", data={"name": "sales", "server_id": str(HUGE), "mode": "none"},
                          headers=token)
    assert created.status_code < 500 and "Choose a registered server." in created.get_data(as_text=True)
