"""Server-rendered pages."""
from flask import Blueprint, g, render_template

from ..accounts import has_users
from ..auth import login_required
from ..extensions import db
from ..models import Instance
from ..tenancy import scoped

bp = Blueprint("pages", __name__)


@bp.get("/")
def index():
    """First run offers the setup form; afterwards the tenant's instances."""
    if not has_users():
        return render_template("accounts/setup.html", form={})
    return instances()


@login_required()
def instances():
    """The caller's instances."""
    rows = db.session.execute(scoped(Instance).order_by(Instance.name)).scalars().all()
    return render_template("instances/index.html", instances=rows, user=g.user)
