"""Evolution envelopes for the ingest tests (the real captures and a builder for made-up ones), an
instance to store them for, and a tally of what the event writer's callers got back."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import gevent
import pytest
from hypothesis import strategies as st

from gateway.extensions import db
from gateway.ingest.pipeline import Pipeline, Target
from gateway.models import Event, Instance, ProviderServer, Tenant
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


@pytest.fixture
def target(app) -> Target:
    """The instance `sales` (Evolution), as the pipeline takes it."""
    with app.app_context():
        server = ProviderServer(name="evo", kind="evolution", base_url="http://127.0.0.1:9", api_key="k")
        row = Instance(tenant=Tenant(name="Acme"), server=server, name="sales")
        db.session.add(row)
        db.session.commit()
        return Target(row.id, row.tenant_id, row.name, "evolution")


def message(key: str) -> dict:
    return {"event": "messages.upsert", "instance": "sales", "data": {"key": {"id": key}}}


def connection(state: str, at: str) -> dict:
    return {"event": "connection.update", "instance": "sales", "date_time": at,
            "data": {"instance": "sales", "state": state, "statusReason": 200}}


@dataclass
class Counts:
    """What the callers of a round of submissions got back, one caller per event (as webhooks)."""

    sent: int
    # Answered, as a webhook is with a 200: stored, or a duplicate of an event stored before.
    acknowledged: int
    stored: int
    duplicated: int
    # The failed callers' errors (a webhook answered with an error is retried by its provider).
    errors: list[str] = field(default_factory=list)


def spawn_callers(pipeline: Pipeline, target: Target, envelopes: list[dict],
                  source: str = "webhook") -> list[gevent.Greenlet]:
    """One caller per envelope, all submitting at once (so they share rounds)."""
    return [gevent.spawn(pipeline.handle, target, envelope, source) for envelope in envelopes]


def tally(callers: list[gevent.Greenlet]) -> Counts:
    """Wait for the callers (none may be left hanging) and count what they got."""
    gevent.joinall(callers, timeout=30)
    assert all(caller.ready() for caller in callers), "a caller is still waiting for the writer"
    ids = [caller.value for caller in callers if caller.successful()]
    return Counts(sent=len(callers), acknowledged=len(ids), stored=sum(1 for i in ids if i is not None),
                  duplicated=ids.count(None), errors=[str(c.exception) for c in callers if not c.successful()])


def send(pipeline: Pipeline, target: Target, envelopes: list[dict], source: str = "webhook") -> Counts:
    return tally(spawn_callers(pipeline, target, envelopes, source))


def stored_events(app) -> list[Event]:
    with app.app_context():
        events = list(db.session.execute(db.select(Event).order_by(Event.id)).scalars())
        db.session.expunge_all()
        return events


def sales(app) -> Instance:
    with app.app_context():
        instance = db.session.execute(db.select(Instance).where(Instance.name == "sales")).scalar_one()
        db.session.expunge(instance)
        return instance
