"""Filtered events as a download, JSONL or CSV, streamed a batch at a time whatever the size."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from flask import Response, stream_with_context

from ..ingest.pipeline import LiveEvent
from ..models import utcnow
from ..providers import event_summary
from .event_filter import EventFilter, FilterError

MEDIA_TYPES = {"jsonl": "application/x-ndjson", "csv": "text/csv"}
CSV_COLUMNS = ("id", "received_at", "instance", "event", "source", "sender", "text", "data")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _events(monitor: EventFilter) -> Iterator[LiveEvent]:
    for event, name in monitor.every():
        yield LiveEvent.of(event, name)


def _jsonl(monitor: EventFilter) -> Iterator[str]:
    """One stream frame (the shape /api/events and /api/stream use) per line."""
    for event in _events(monitor):
        yield json.dumps(event.frame, ensure_ascii=False, default=str) + "\n"


def _cell(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(monitor: EventFilter) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    yield line(CSV_COLUMNS)
    for event in _events(monitor):
        said = event_summary(event.name, event.payload)
        yield line((event.id, event.received_at, event.instance, event.name, event.source, _cell(said.sender),
                    _cell(said.text), json.dumps(event.payload.get("data"), ensure_ascii=False, default=str)))


def download(args) -> Response:
    """`?format=jsonl|csv` plus the monitor's filters: the download, newest first.

    FilterError for a format that is neither or a filter that cannot be applied.
    """
    monitor, kind = EventFilter.from_args(args), args.get("format", "jsonl")
    if kind not in MEDIA_TYPES:
        raise FilterError("format must be jsonl or csv.")
    lines = _jsonl(monitor) if kind == "jsonl" else _csv(monitor)
    filename = f"events-{utcnow():%Y%m%dT%H%M%SZ}.{kind}"
    return Response(stream_with_context(lines), mimetype=MEDIA_TYPES[kind],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
