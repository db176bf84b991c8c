"""First-run setup, login and logout pages."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ..accounts import AccountError, create_user, has_users
from ..auth import login_user, logout_user
from ..i18n import translate
from ..extensions import db
from ..models import Role, User

bp = Blueprint("accounts", __name__)


@bp.post("/setup")
def setup():
    """Create the first administrator and its tenant; closed once any user exists."""
    if has_users():
        abort(404)
    form = request.form
    try:
        user = create_user(form.get("tenant", ""), form.get("email", ""), form.get("password", ""), Role.ADMIN)
    except AccountError as error:
        return render_template("accounts/setup.html", error=str(error), form=form), 400
    login_user(user)
    return redirect(url_for("pages.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in with e-mail and password."""
    if request.method == "GET":
        return render_template("accounts/login.html", form={})
    email = request.form.get("email", "").strip().lower()
    user = db.session.execute(db.select(User).where(User.email == email)).scalar_one_or_none()
    if user is None or not user.check_password(request.form.get("password", "")):
        return render_template("accounts/login.html", error=translate("Wrong e-mail or password."), form=request.form), 401
    login_user(user)
    next_url = request.args.get("next", "")
    # Only same-site paths, so the login form cannot be used as an open redirect.
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = url_for("pages.index")
    return redirect(next_url)


@bp.post("/logout")
def logout():
    """End the session."""
    if g.user is not None:
        flash(translate("You are logged out."))
    logout_user()
    return redirect(url_for("accounts.login"))
