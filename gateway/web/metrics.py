"""GET /metrics for Prometheus, behind its own bearer token (METRICS_TOKEN); off while none is set."""
from __future__ import annotations

import hmac

from flask import Blueprint, abort, current_app, request

from .. import metrics
from ..services import services

bp = Blueprint("metrics", __name__)


@bp.get("/metrics")
def scrape():
    """The process's metrics in the Prometheus text format."""
    expected = current_app.config["METRICS_TOKEN"]
    if not expected:
        abort(404, "Metrics are off: set METRICS_TOKEN to turn them on.")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        abort(401, "The metrics need Authorization: Bearer <METRICS_TOKEN>.")
    body, content_type = metrics.exposition(services())
    return body, 200, {"Content-Type": content_type}
