"""First-run setup, login, logout and password change pages."""
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ..accounts import AccountError, authenticate, change_password, create_user, has_users
from ..auth import login_required, login_user, logout_user
from ..i18n import translate
from ..limits import throttle_login
from ..models import Role
from ..passwords import MIN_LENGTH

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
        return render_template("accounts/setup.html", error=error.translated(), form=form), 400
    login_user(user)
    return redirect(url_for("pages.index"))


@bp.route("/login", methods=["GET", "POST"])
@throttle_login
def login():
    """Log in with e-mail and password."""
    if request.method == "GET":
        return render_template("accounts/login.html", form={})
    user = authenticate(request.form.get("email", ""), request.form.get("password", ""))
    if user is None:
        return render_template("accounts/login.html", error=translate("Wrong e-mail or password."), form=request.form), 401
    login_user(user)
    next_url = request.args.get("next", "")
    # Only same-site paths, so the login form cannot be used as an open redirect.
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = url_for("pages.index")
    return redirect(next_url)


@bp.post("/logout")
def logout():
    """End the session, server-side too: a copy of its cookie stops working."""
    if g.user is not None:
        flash(translate("You are logged out."))
    logout_user()
    return redirect(url_for("accounts.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required()
def password():
    """Change one's own password; every other session of the user ends, this one goes on."""
    if request.method == "GET":
        return render_template("accounts/password.html", min_password=MIN_LENGTH)
    form = request.form
    error = None
    if form.get("new_password", "") != form.get("confirm_password", ""):
        error = translate("The new passwords do not match.")
    else:
        try:
            change_password(g.user, form.get("current_password", ""), form.get("new_password", ""))
        except AccountError as refused:
            error = refused.translated()
    if error is not None:
        return render_template("accounts/password.html", min_password=MIN_LENGTH, error=error), 422
    login_user(g.user)
    flash(translate("Your password was changed. Your other sessions were logged out."))
    return redirect(url_for("pages.index"))
