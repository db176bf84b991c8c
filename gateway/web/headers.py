"""Security headers on every answer: a Content-Security-Policy that allows no inline script or style
(the templates have none; htmx is configured for it by the htmx-config meta tag in base.html), no
framing, no MIME sniffing, and no referrer sent to other sites.
"""
from __future__ import annotations

from flask import Flask, Response

# QR codes are data: images; the live views are same-origin WebSockets ('self' covers ws: and wss:).
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def secure(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def init_app(app: Flask) -> None:
    app.after_request(secure)
