"""create_app(): configuration, extensions, blueprints, CSRF policy and services, built on each call."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event

from .config import Config
from .extensions import csrf, db, migrate, sock, tune_sqlite
from .logs import configure_logging, mask

ROOT = Path(__file__).resolve().parent.parent


def _csrf_unless_bearer() -> None:
    """Forms and session-backed API calls need the CSRF token; bearer-token calls cannot be forged.

    Webhook receivers prove themselves by the instance's secret instead. An API call from nobody
    has nothing to forge: it is left to answer 401, as the API document says. A request that matches
    no route (404, 405) gets that answer, not a complaint about its form.
    """
    if request.headers.get("Authorization") or request.blueprint == "webhooks" or request.routing_exception:
        return
    if request.path.startswith("/api/") and g.user is None:
        return
    csrf.protect()


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        "gateway",
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
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", tune_sqlite)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    sock.init_app(app)

    from . import auth, cli, errors, lengths, limits, metrics, sessions
    from .instances import DEFAULT_MODE, NAME_RULE
    from .services import init_services
    from .i18n import LANGUAGES, MODE_LABELS, language, translate
    from .realtime.hub import FragmentCache
    from .web import accounts, catchup, connection, events, headers, health, live, pages, reachability
    from .web import settings, streams, webhooks
    from .web import metrics as metrics_page
    from .web.api import instance_management, instances, openapi, servers, tokens, users, webhook_management
    from .web.api import websocket
    from .web import webhook_fast_path
    from .web.api import audit as api_audit
    from .web.api import cluster as api_cluster
    from .web.api import events as api_events

    for blueprint in (health.bp, accounts.bp, pages.bp, catchup.bp, connection.bp, events.bp, settings.bp, live.bp,
                      streams.bp, webhooks.bp, servers.bp, instances.bp, instance_management.bp,
                      webhook_management.bp, websocket.bp, api_events.bp, tokens.bp, users.bp, openapi.bp,
                      api_audit.bp, api_cluster.bp, metrics_page.bp):
        app.register_blueprint(blueprint)
    reachability.init_app(app)
    app.add_url_rule("/favicon.ico", "favicon", lambda: app.send_static_file("favicon.ico"))
    sessions.init_app(app)
    app.before_request(auth.load_current_user)
    app.before_request(_csrf_unless_bearer)
    limits.init_app(app)  # after load_current_user: the limits are keyed by the caller
    metrics.init_app(app)
    errors.register_error_handlers(app)
    headers.init_app(app)
    cli.init_app(app)
    init_services(app)
    webhook_fast_path.init_app(app)  # in front of all of Flask; needs the services
    app.extensions["fragments"] = FragmentCache()
    app.jinja_env.globals.update(csrf_token=generate_csrf, mask=mask, t=translate, language=language,
                                 languages=LANGUAGES, mode_labels=MODE_LABELS, lengths=lengths,
                                 instance_name_rule=NAME_RULE, default_mode=DEFAULT_MODE.value)
    return app
