"""Defect 2: the webhook path is parsed strictly. Its first segment is always the secret and is always
checked; a by-events suffix is taken only after it, so the secret can never become an event name.
"""
from __future__ import annotations

import pytest

from gateway.connections.settings import SECRET_HEADER, WEBHOOK_PATH


def connection_update(envelope) -> dict:
    """A by-events body as Evolution posts it to `<url>/connection-update`: no `event` field."""
    body = {**envelope("connection.update", {"instance": "sales", "state": "open", "statusReason": 200}),
            "instance": "sales"}
    del body["event"]
    return body


def test_a_by_events_post_with_the_header_is_stored_under_the_suffix_not_the_secret(served, envelope):
    response = served.post(connection_update(envelope), f"{served.hook}/connection-update",
                           headers={SECRET_HEADER: served.secret})
    assert response.status_code == 200, response.text
    assert [event.name for event in served.events()] == ["connection.update"]


@pytest.mark.parametrize("case", ["header right, path wrong", "header names the event slot",
                                  "path right, header wrong"])
def test_the_path_secret_is_always_checked(served, envelope, case):
    good = {**envelope("messages.upsert", {"key": {"id": "3EB0PATH"}}), "instance": "sales"}
    bare = f"{served.url}{WEBHOOK_PATH}"
    url, header = {
        "header right, path wrong": (f"{bare}/not-the-secret", served.secret),
        "header names the event slot": (f"{bare}/connection-update", served.secret),
        "path right, header wrong": (served.hook, "not-the-secret"),
    }[case]
    response = served.post(good, url, headers={SECRET_HEADER: header})
    assert response.status_code == 401, response.text
    assert served.events() == []


@pytest.mark.parametrize("suffix", ["/connection-update/extra", "//connection-update", "/"])
def test_a_path_that_is_not_secret_then_event_is_not_found(served, envelope, suffix):
    body = {**envelope("messages.upsert", {"key": {"id": "3EB0PATH"}}), "instance": "sales"}
    response = served.post(body, served.hook + suffix, headers={SECRET_HEADER: served.secret})
    assert response.status_code == 404, response.text
    assert served.secret not in response.text
    assert served.events() == []
