"""Telling the operator when providers cannot reach the gateway: the self-check in Settings (and its
banner on every page), and the flag on an instance whose webhooks never came."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, current_app, render_template

from ..auth import login_required
from ..connections import unheard
from ..models import Instance, Role, utcnow
from ..selfcheck import SelfCheck
from ..services import services

bp = Blueprint("reachability", __name__, url_prefix="/settings/self-check")


@bp.post("")
@login_required(Role.ADMIN)
def self_check():
    """Run the self-check now and show its outcome (Settings loads this when it opens)."""
    return render_template("settings/_self_check.html", check=services().selfcheck.run())


def latest_self_check() -> SelfCheck | None:
    return services().selfcheck.latest


def webhook_unheard_since(instance: Instance) -> datetime | None:
    return unheard.webhook_unheard_since(instance, current_app.config["UNHEARD_WEBHOOK_AFTER"], utcnow())


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(latest_self_check=latest_self_check, webhook_unheard_since=webhook_unheard_since)
