"""The instances page's "Catch up" button: the same catch-up as the API, answered with the panel."""
from __future__ import annotations

from flask import Blueprint

from ..auth import login_required
from ..catchup import catch_up as run_catch_up
from ..i18n import translate
from ..models import Role
from ..services import services
from ..tenancy import instance_or_404
from .failures import UI_ERRORS
from .pages import failed, panel

bp = Blueprint("catchup", __name__)


@bp.post("/instances/<name>/catch-up")
@login_required(Role.OPERATOR)
def catch_up(name: str):
    """Read back what delivery missed; the notice says how much was new."""
    try:
        result = run_catch_up(services().resync, instance_or_404(name))
    except UI_ERRORS as error:
        return failed(error)
    return panel(notice=translate("{name} caught up: {recovered} missed event(s) recovered of {read} read.",
                                  name=result["instance"], recovered=result["recovered"], read=result["read"]))
