"""The gateway: per-number delivery control for Evolution API and WAHA WhatsApp gateways."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, request
from flask_wtf.csrf import generate_csrf

from .config import Config
from .extensions import csrf, db, migrate, sock
from .logs import configure_logging, mask

ROOT = Path(__file__).resolve().parent.parent


def _csrf_unless_bearer() -> None:
    """Forms and session-backed API calls need the CSRF token; bearer-token calls cannot be forged."""
    if request.headers.get("Authorization") or request.endpoint in _CSRF_EXEMPT_ENDPOINTS:
        return
    csrf.protect()


# Receivers of provider webhooks prove themselves by secret, not by a browser token.
_CSRF_EXEMPT_ENDPOINTS: set[str] = set()


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.from_mapping(Config(app.instance_path).as_dict())
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    configure_logging(app.config["LOG_LEVEL"])

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    sock.init_app(app)

    from . import auth, cli, errors
    from .web import accounts, health, pages
    from .web.api import instances, servers

    for blueprint in (health.bp, accounts.bp, pages.bp, servers.bp, instances.bp):
        app.register_blueprint(blueprint)
    app.before_request(auth.load_current_user)
    app.before_request(_csrf_unless_bearer)
    errors.register_error_handlers(app)
    cli.init_app(app)
    app.jinja_env.globals.update(csrf_token=generate_csrf, mask=mask)
    return app
