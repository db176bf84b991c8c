"""§9: every answer carries the security headers, and no template holds what the policy forbids
(inline scripts, inline styles, on* handlers), which the browser test then proves page by page.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gateway.web.headers import HEADERS

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


@pytest.mark.parametrize("path", ["/login", "/", "/api/instances", "/api/webhooks/evolution/x", "/nowhere",
                                  "/static/app.js", "/healthz"])
def test_every_answer_carries_the_security_headers(client, path):
    response = client.get(path)
    for name, value in HEADERS.items():
        assert response.headers[name] == value, (path, name)
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_holds_what_the_policy_forbids(template):
    source = template.read_text()
    found = [f"{what}: {match.group()!r}" for what, pattern in FORBIDDEN.items()
             for match in pattern.finditer(source)]
    assert not found, found
