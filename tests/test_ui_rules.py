"""Pure rules behind the pages: which mode the modal's toggles ask for, and complete translations."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from gateway.models import DeliveryMode as M
from gateway.translations import PT_BR
from gateway.web.connection import NOTICES, requested_mode

ROOT = Path(__file__).resolve().parents[1]
# Texts chosen at run time: states, delivery modes, roles, socket states, the modal's notices.
DYNAMIC = {"open", "connecting", "close", "unknown", "Webhook", "WebSocket", "None", "admin", "operator", "viewer",
           "connected", "retrying", "idle", "stopped", "refused", "not started", *NOTICES.values()}


@pytest.mark.parametrize("current, webhook, websocket, wanted", [
    (M.WEBSOCKET, True, True, M.WEBHOOK),   # webhook just turned on
    (M.WEBHOOK, True, True, M.WEBSOCKET),   # websocket just turned on
    (M.NONE, True, False, M.WEBHOOK),
    (M.NONE, False, True, M.WEBSOCKET),
    (M.WEBHOOK, False, False, M.NONE),
    (M.WEBHOOK, True, False, M.WEBHOOK),    # settings changed, mode kept
])
def test_requested_mode(current, webhook, websocket, wanted):
    assert requested_mode(current, webhook, websocket) is wanted


def texts_to_translate() -> set[str]:
    found = set()
    for path in [*ROOT.glob("templates/**/*.html"), *ROOT.glob("gateway/web/*.py")]:
        source = path.read_text()
        found |= set(re.findall(r"""\bt(?:ranslate)?\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]""", source))
        found |= set(re.findall(r"""\bt(?:ranslate)?\(\s*'((?:[^'\\]|\\.)+)'\s*[,)]""", source))
    return found


def test_every_page_text_has_a_brazilian_portuguese_translation():
    missing = sorted((texts_to_translate() | DYNAMIC) - set(PT_BR))
    assert not missing, missing
