"""Evolution envelopes for the ingest tests: the real captures and a builder for made-up ones."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import strategies as st

from gateway.providers.evolution.events import EMITTED_EVENTS, dotted

CONTRACT = Path(__file__).resolve().parents[1] / "fixtures" / "contract"
DATE_TIME = "2026-11-23T04:22:36.847Z"


def captured_events() -> list[tuple[str, str | None, dict]]:
    """(transport, by-events path suffix, envelope) for every event in the three captures."""
    found = []
    for line in (CONTRACT / "evolution-webhooks.jsonl").read_text().splitlines():
        post = json.loads(line)
        suffix = post["path"].rsplit("/", 1)[-1]
        found.append(("webhook", suffix if dotted(suffix) in EMITTED_EVENTS else None, post["body"]))
    for name in ("evolution-socket-instance.jsonl", "evolution-socket-global.jsonl"):
        for line in (CONTRACT / name).read_text().splitlines():
            record = json.loads(line)
            if record["kind"] == "event":
                found.append(("socket", None, record["data"]))
    return found


def pytest_generate_tests(metafunc):
    """A test taking `captured` runs once for every captured event."""
    if "captured" in metafunc.fixturenames:
        found = captured_events()
        ids = [f"{transport}-{i}-{envelope['event']}" for i, (transport, _, envelope) in enumerate(found)]
        metafunc.parametrize("captured", found, ids=ids)


@pytest.fixture(scope="session")
def captures() -> list[tuple[str, str | None, dict]]:
    return captured_events()


def _envelope(event: str, data, *, socket: bool = False, **fields) -> dict:
    """An envelope as Evolution 2.3.6 builds it; the socket form has no `destination`."""
    envelope = {"event": event, "instance": "sales", "data": data}
    if not socket:
        envelope["destination"] = "https://gateway.example/hooks/evolution/7"
    envelope.update(
        date_time=DATE_TIME, sender="5511999990000@s.whatsapp.net",
        server_url="http://127.0.0.1:18080", apikey="0D7E1F7A-INSTANCE-TOKEN",
    )
    envelope.update(fields)
    return envelope


@pytest.fixture(scope="session")
def envelope():
    """Build an Evolution envelope: `envelope(event, data, socket=False, **overrides)`."""
    return _envelope


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
_NAMES = st.sampled_from(EMITTED_EVENTS) | st.text(max_size=30)


@pytest.fixture(scope="session")
def json_values():
    """Any JSON value (NaN aside, which JSON has not)."""
    return _JSON


@pytest.fixture(scope="session")
def envelopes():
    """Envelope-like objects: any JSON, or an object with an event name and any other members."""
    fields = {key: _JSON for key in ("instance", "data", "date_time", "sender", "apikey", "destination")}
    shaped = st.fixed_dictionaries({"event": _NAMES}, optional=fields)
    return shaped | st.dictionaries(st.sampled_from([*fields, "event"]), _JSON) | _JSON
