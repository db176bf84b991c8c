"""Defect 4: a malformed webhook gets a 400 with a message, never a 500, on SQLite and PostgreSQL;
a payload with NUL or lone surrogates inside is stored and reads back exactly as sent.
"""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

BOTH = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)
ODD = ["\x00", "\ud800", "\udfff", "\x1b", "\u0085"]


def message(envelope, **fields) -> dict:
    return {**envelope("messages.upsert", {"key": {"id": "3EB0ODD"}}), "instance": "sales", **fields}


@BOTH
@pytest.mark.parametrize("field", ["event", "instance"])
@pytest.mark.parametrize("odd", ODD, ids=["nul", "high-surrogate", "low-surrogate", "escape", "c1-control"])
def test_a_name_with_a_character_no_database_holds_is_refused(served, envelope, field, odd):
    body = message(envelope, **{field: f"sa{odd}les" if field == "instance" else f"messages{odd}.upsert"})
    response = served.post(body)
    assert response.status_code == 400, response.text
    assert f"'{field}' holds a character" in response.json()["error"]
    assert served.events() == []


@BOTH
def test_a_name_from_the_path_is_checked_too(served, envelope):
    body = message(envelope)
    del body["event"]
    response = served.post(body, f"{served.hook}/messages%00upsert")
    assert response.status_code == 400, response.text
    assert served.events() == []


@BOTH
def test_nul_and_surrogates_inside_the_payload_are_stored_and_read_back_exactly(served, envelope, make_user,
                                                                                token_for):
    odd = "|".join(ODD)  # apart: a high and a low surrogate side by side are a valid pair in JSON
    body = message(envelope, data={"key": {"id": "3EB0ODD"}, "text": f"a{odd}b", f"k{odd}": [odd, {odd: odd}]})
    body["data"]["pushName"] = f"Ann{odd}"
    response = served.post(body)
    assert response.status_code == 200, response.text
    [stored] = served.events()
    assert stored.payload["data"] == body["data"]
    events = served.get("/api/events", headers=token_for(make_user())).json()["events"]
    assert [event["data"] for event in events] == [body["data"]]


@BOTH
def test_odd_facts_are_applied_as_their_columns_can_hold_them(served, envelope):
    body = {**envelope("connection.update", {"instance": "sales", "state": "open", "statusReason": 200,
                                             "wuid": "5" * 40 + "@s.whatsapp.net",
                                             "profileName": "Ann\x00\ud800" + "x" * 300}), "instance": "sales"}
    qr = {**envelope("qrcode.updated", {"qrcode": {"instance": "sales", "code": "2@\x00", "base64": "data\x00",
                                                   "pairingCode": "P" * 40}}), "instance": "sales"}
    assert [served.post(qr).status_code, served.post(body).status_code] == [200, 200]
    instance = served.instance()
    assert instance.profile_name.startswith("Ann\ufffd\ufffdxx") and len(instance.profile_name) == 255
    assert instance.phone_number == "5" * 32


ODD_TEXT = st.text(st.characters(codec=None, exclude_categories=()) | st.sampled_from(ODD), max_size=30)
DEEP = st.integers(1, 3000).map(lambda depth: "[" * depth + "]" * depth)
LONG = st.integers(121, 20_000).map(lambda size: "n" * size)
NAMES = ODD_TEXT | st.sampled_from(["messages.upsert", "sales"]) | LONG
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@BOTH
@FUZZ
@given(event=NAMES, instance=NAMES | st.none(), data=ODD_TEXT | st.dictionaries(ODD_TEXT, ODD_TEXT, max_size=3),
       deep=st.sampled_from([None, "event", "instance", "data"]) , depth=DEEP,
       path=st.sampled_from(["", "/messages-upsert", "/%00", "/%ED%A0%80", "/" + "x" * 5000]))
def test_any_odd_webhook_gets_an_answer_below_500(served, event, instance, data, deep, depth, path):
    import json

    body = {"event": event, "instance": instance, "data": data}
    text = json.dumps(body)
    if deep is not None:
        # Nesting as deep as the JSON parser takes, in place of one field.
        text = text.replace(json.dumps(body[deep]), depth, 1)
    response = served.post(text.encode(), served.hook + path)
    assert response.status_code in (200, 400, 404), response.text
    if response.status_code != 200:
        assert response.json()["error"]
