"""Prometheus metrics: what the gateway counts, and one small function per place that counts it.

Each hook in the ingest path, the receiver, the supervisor and the streams is a one-line call
into this module. Labels stay bounded: event names outside the provider's catalogue are "other".
Counters live in the process (prometheus_client's default registry), like the single worker.
"""
from __future__ import annotations

import collections
import functools
import time

from flask import Flask, Response, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

# The socket client states the UI knows (see the brief); any other current state is counted as well.
SOCKET_STATES = ("idle", "connecting", "connected", "awaiting_first_event", "retrying", "failed", "stopped")

EVENTS_RECEIVED = Counter("gateway_events_received", "Provider events that reached the pipeline",
                          ["provider", "source", "event"])
DUPLICATES = Counter("gateway_events_duplicate", "Events dropped as duplicates of a stored one",
                     ["provider", "source"])
CATCHUP_RECOVERED = Counter("gateway_catchup_events_recovered",
                            "Events stored by a catch-up that had not arrived live", ["provider"])
WEBHOOK_ANSWERS = Counter("gateway_webhook_responses", "Answers of the provider webhook receiver",
                          ["status"])
BATCH_SIZE = Histogram("gateway_writer_batch_size", "Events per group commit of the event writer",
                       buckets=(1, 2, 5, 10, 25, 50, 100, 250, 500))
COMMIT_SECONDS = Histogram("gateway_writer_commit_seconds", "Time to store one batch of events",
                           buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
QUEUE_DEPTH = Gauge("gateway_writer_queue_depth", "Events waiting for the event writer")
SOCKETS = Gauge("gateway_provider_sockets", "The gateway's provider socket clients by state", ["state"])
RECONNECTS = Counter("gateway_socket_reconnects", "Provider socket reconnections after a drop")
DRIFT_FOUND = Counter("gateway_drift_found", "Syncs that found the provider different from the chosen mode")
DRIFT_REPAIRED = Counter("gateway_drift_repaired", "Drifts repaired by applying the chosen mode again")
STREAM_CLIENTS = Gauge("gateway_live_stream_clients", "Open live streams (/api/stream and /ws/ui)")
FRAMES_SKIPPED = Counter("gateway_stream_frames_skipped", "Frames a slow live-stream client did not get")


clock = time.perf_counter


@functools.cache
def _counter(metric: Counter, *labels: str):
    """A labelled counter, looked up once: labels() validates and locks on every call, per event.
    Bounded like the labels themselves."""
    return metric.labels(*labels)


# Counts per event and per webhook answer, added to their counters when the metrics are read: an
# increment takes the counter's lock, which (a gevent lock) costs more than a dict update, per event.
_tally: collections.Counter = collections.Counter()


def _flush_tally() -> None:
    counts = dict(_tally)  # no greenlet switch between the copy and the clear: nothing is lost
    _tally.clear()
    for (metric, labels), count in counts.items():
        _counter(metric, *labels).inc(count)


def event_ingested(event, source: str, event_id: int | None) -> None:
    """Count an event handed to the writer: received, and then stored or dropped as a duplicate."""
    provider = event.provider
    _tally[(EVENTS_RECEIVED, (provider, source, event.name if event.known else "other"))] += 1
    if event_id is None:
        _tally[(DUPLICATES, (provider, source))] += 1
    elif source == "catchup":
        _tally[(CATCHUP_RECOVERED, (provider,))] += 1


def batch_committed(size: int, started: float) -> None:
    """A writer batch is stored; `started` is the `clock()` reading taken before it."""
    BATCH_SIZE.observe(size)
    COMMIT_SECONDS.observe(time.perf_counter() - started)


def socket_reconnected() -> None:
    RECONNECTS.inc()


def drift_found() -> None:
    DRIFT_FOUND.inc()


def drift_repaired() -> None:
    DRIFT_REPAIRED.inc()


def frames_skipped(count: int) -> None:
    if count:
        FRAMES_SKIPPED.inc(count)


def webhook_answered(status: int) -> None:
    """An answer of the webhook receiver, from Flask or from its fast path (gateway/web/webhook_fast_path.py)."""
    _tally[(WEBHOOK_ANSWERS, (str(status),))] += 1


def _webhook_answered(response: Response) -> Response:
    if request.blueprint == "webhooks":
        webhook_answered(response.status_code)
    return response


def _refresh(services) -> None:
    """The gauges are read from the live objects when scraped, so they can never drift from them."""
    QUEUE_DEPTH.set(services.writer.queued)
    STREAM_CLIENTS.set(services.bus.subscriber_count)
    counts = dict.fromkeys(SOCKET_STATES, 0)
    for client in services.supervisor.status()["connections"]:
        counts[client["state"]] = counts.get(client["state"], 0) + 1
    SOCKETS.clear()
    for state, count in counts.items():
        SOCKETS.labels(state).set(count)


def exposition(services) -> tuple[bytes, str]:
    """The text format body and its content type, the tally added and the gauges refreshed first."""
    _flush_tally()
    _refresh(services)
    return generate_latest(), CONTENT_TYPE_LATEST


def init_app(app: Flask) -> None:
    """Count every answer of the webhook receiver, errors included (their handlers run first)."""
    app.after_request(_webhook_answered)
