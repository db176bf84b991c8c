"""The instances page and its actions; each action answers with the re-rendered panel."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from .. import instances as lifecycle
from ..accounts import has_users
from ..auth import login_required
from ..connections.manager import WebhookChoice
from ..extensions import db
from ..i18n import LANGUAGES, translate
from ..models import Instance, ProviderServer, Role
from ..services import services
from ..tenancy import instance_or_404, scoped
from .failures import UI_ERRORS, failure
from .fragments import render_block

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """First run offers the setup form; afterwards the tenant's instances."""
    if not has_users():
        return render_template("accounts/setup.html", form={})
    return instances()


def _context() -> dict:
    return {
        "instances": db.session.execute(scoped(Instance).order_by(Instance.name)).scalars().all(),
        "servers": db.session.execute(db.select(ProviderServer).order_by(ProviderServer.name)).scalars().all(),
    }


@login_required()
def instances():
    """The caller's instances, live."""
    return render_template("instances/index.html", form={}, **_context())


def panel(error: str | None = None, notice: str | None = None, status: int = 200, form=None):
    """The instances panel (forms and table) after an action, with its outcome."""
    return render_block("instances/index.html", "panel", error=error, notice=notice, form=form or {},
                        **_context()), status


def _server(form) -> ProviderServer:
    server = db.session.get(ProviderServer, form.get("server_id", type=int) or 0)
    if server is None:
        raise lifecycle.InstanceError(translate("Choose a registered server."))
    return server


@bp.post("/instances")
@login_required(Role.OPERATOR)
def create():
    """Create an instance on a server with its delivery mode."""
    form = request.form
    try:
        instance = lifecycle.create_instance(
            services().manager, g.user.tenant_id, _server(form), form.get("name", "").strip(),
            lifecycle.parse_mode(form.get("mode", "none")), WebhookChoice(), None)
    except UI_ERRORS as error:
        return panel(*failure(error), form=form)
    return panel(notice=translate("Instance {name} created.", name=instance.name))


@bp.post("/instances/import")
@login_required(Role.OPERATOR)
def import_instances():
    """Take over the instances a server already has."""
    try:
        imported = lifecycle.import_instances(services().manager, g.user.tenant_id, _server(request.form), None)
    except UI_ERRORS as error:
        return panel(*failure(error))
    return panel(notice=translate("{count} instance(s) imported.", count=len(imported)))


ACTIONS = {"connect": lifecycle.connect, "logout": lifecycle.logout, "delete": lifecycle.delete,
           "forget": lifecycle.forget}


@bp.post("/instances/<name>/<action>")
@login_required(Role.OPERATOR)
def act(name: str, action: str):
    """Connect (shows the QR), log out, delete (on the provider too) or forget (here only) an instance."""
    if action not in ACTIONS:
        abort(404)
    try:
        ACTIONS[action](services().manager, instance_or_404(name))
    except UI_ERRORS as error:
        return panel(*failure(error))
    return panel()


@bp.post("/language")
def language():
    """Remember the language picked in the page's switch."""
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400, "Unknown language.")
    session["lang"] = lang
    back = request.form.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else url_for("pages.index"))
