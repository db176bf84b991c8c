"""Health checks for the platform: the process is up, and the database (and Redis, when set) answer."""
import redis
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from ..extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """The process serves requests."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """The database answers a query, and Redis a PING when configured; 503 otherwise so the platform
    holds traffic back."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means not ready
        db.session.rollback()
        return jsonify(status="unavailable", error=type(error).__name__), 503
    client = current_app.extensions.get("redis")
    if client is not None:
        try:
            client.ping()
        except (redis.RedisError, OSError) as error:
            return jsonify(status="unavailable", error=f"redis: {type(error).__name__}"), 503
    return jsonify(status="ok")
