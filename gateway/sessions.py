"""Session cookies: marked Secure on every request that came over HTTPS, in any environment.

Behind a TLS-terminating proxy (Heroku's router) the request reaches the app over HTTP; the
proxy's X-Forwarded-Proto tells the truth, so ProxyFix applies it to request.scheme. Trusting it
is safe for this purpose: a client that lies only gets a cookie its own browser will not send
back over plain HTTP. X-Forwarded-For, which the login throttle keys on, is trusted only for the
configured number of proxies (FORWARDED_HOPS).
"""
from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from .web.webhooks import CookielessWebhooks


class GatewaySessions(CookielessWebhooks):
    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or request.is_secure


def init_app(app: Flask) -> None:
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["FORWARDED_HOPS"], x_proto=1)
    app.session_interface = GatewaySessions()
