"""The instances page and its actions; each action answers with the re-rendered panel."""
from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, request, session, url_for

from .. import instances as lifecycle
from ..accounts import has_users
from ..auth import login_required
from ..connections.manager import WebhookChoice
from ..extensions import db
from ..i18n import LANGUAGES, translate
from ..models import MAX_ID, Instance, ProviderServer, Role
from ..services import services
from ..tenancy import instance_or_404, scoped
from .failures import UI_ERRORS, failure
from .fragments import render_block
from .times import moment_element, qr_expires, qr_lifetime

bp = Blueprint("pages", __name__)
bp.add_app_template_global(moment_element, "moment")
bp.add_app_template_global(qr_expires)
bp.add_app_template_global(qr_lifetime)


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


def failed(error: Exception, form=None):
    """The panel with the error inline (not as a notice), answered with the error's status."""
    message, status = failure(error)
    return panel(error=message, status=status, form=form)


def _server(form) -> ProviderServer:
    server_id = form.get("server_id", type=int) or 0
    server = db.session.get(ProviderServer, server_id) if 0 < server_id <= MAX_ID else None
    if server is None:
        raise lifecycle.InstanceError("Choose a registered server.")
    return server


@bp.post("/instances")
@login_required(Role.OPERATOR)
def create():
    """Create an instance on a server with its delivery mode."""
    form = request.form
    try:
        instance = lifecycle.create_instance(
            services().manager, g.user.tenant_id, _server(form), form.get("name", "").strip(),
            lifecycle.parse_mode(form.get("mode", lifecycle.DEFAULT_MODE.value)), WebhookChoice(), None)
    except UI_ERRORS as error:
        return failed(error, form=form)
    return panel(notice=translate("Instance {name} created.", name=instance.name))


@bp.post("/instances/import")
@login_required(Role.OPERATOR)
def import_instances():
    """Take over the instances a server already has."""
    try:
        imported = lifecycle.import_instances(services().manager, g.user.tenant_id, _server(request.form), None)
    except UI_ERRORS as error:
        return failed(error)
    return panel(notice=translate("{count} instance(s) imported.", count=len(imported)))


# Each action and the notice it leaves (None: the re-rendered row says enough).
ACTIONS = {
    "connect": (lifecycle.connect, None),
    "logout": (lifecycle.logout, None),
    "delete": (lifecycle.delete, None),
    "sync": (lambda manager, instance: manager.sync(instance), "{name} was read from the provider again."),
    "reconnect": (lifecycle.reconnect_socket, "The socket of {name} is reconnecting."),
    "forget": (lifecycle.forget, "{name} was forgotten here; nothing was deleted on the provider."),
}


@bp.post("/instances/<name>/<action>")
@login_required(Role.OPERATOR)
def act(name: str, action: str):
    """Connect (shows the QR), log out, delete (on the provider too), forget (here only), sync now or
    reconnect the socket of an instance."""
    if action not in ACTIONS:
        abort(404)
    run, notice = ACTIONS[action]
    try:
        run(services().manager, instance_or_404(name))
    except UI_ERRORS as error:
        return failed(error)
    return panel(notice=translate(notice, name=name) if notice else None)


@bp.post("/instances/<name>/pairing-code")
@login_required(Role.OPERATOR)
def pairing_code(name: str):
    """Connect by phone number; the panel shows the code to type in WhatsApp."""
    try:
        lifecycle.pairing_code(services().manager, instance_or_404(name), request.form.get("number", ""))
    except UI_ERRORS as error:
        return failed(error)
    return panel(notice=translate("Type the pairing code in WhatsApp on the phone of {name}.", name=name))


@bp.post("/language")
def language():
    """Remember the language picked in the page's switch."""
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400, "Unknown language.")
    session["lang"] = lang
    back = request.form.get("next", "")
    return redirect(back if back.startswith("/") and not back.startswith("//") else url_for("pages.index"))
