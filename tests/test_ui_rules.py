"""Pure rules behind the pages: which mode the modal's toggles ask for, and complete translations."""
from __future__ import annotations

import ast
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import gateway
from gateway.i18n import Refusal
from gateway.models import DeliveryMode as M
from gateway.providers import PROVIDERS
from gateway.translations import PT_BR
from gateway.web.connection import NOTICES, requested_mode
from gateway.web.connection_status import AWAITING_FIRST_EVENT, socket_status

ROOT = Path(__file__).resolve().parents[1]
# Texts chosen at run time: states, delivery modes, roles, socket states, the modal's notices.
DYNAMIC = {"open", "connecting", "close", "unknown", "Webhook", "WebSocket", "None", "admin", "operator", "viewer",
           "connected", "retrying", "idle", "stopped", "refused", "not started", *NOTICES.values(),
           *(socket_status({"state": state}).text for state in (
               None, "idle", "connecting", "connected", "awaiting_first_event", "retrying", "failed", "stopped")),
           socket_status(None).text,
           *(text for provider in PROVIDERS.values() for _, group, events in provider.catalogue.groups
             for text in (group, *(label for _, label in events)))}


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


def _subclasses(cls: type) -> set[str]:
    return {name for sub in cls.__subclasses__() for name in (sub.__name__, *_subclasses(sub))}


def _templates(node: ast.expr):
    """The literal templates an argument can be (both sides of `a if c else b`); None for one built from values."""
    if isinstance(node, ast.IfExp):
        yield from _templates(node.body)
        yield from _templates(node.orelse)
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        yield None


def refusal_templates() -> tuple[set[str], list[str]]:
    """Every literal template given to a Refusal, a Message or translate() in the gateway, and where one is an
    f-string (filled in before it could be translated)."""
    for module in pkgutil.walk_packages(gateway.__path__, "gateway."):
        if ".simulator" not in module.name:
            importlib.import_module(module.name)  # so every Refusal subclass is known
    callees = {"Refusal", "Message", "translate", *_subclasses(Refusal)}
    found, built = set(), []
    for path in (ROOT / "gateway").rglob("*.py"):
        if "simulator" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and node.args and getattr(node.func, "id", getattr(node.func, "attr", None)) in callees:
                for template in _templates(node.args[0]):
                    if template is None:
                        built.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                    else:
                        found.add(template)
    return found, built


def test_every_refusal_is_a_template_translated_before_its_values_are_filled_in():
    templates, built = refusal_templates()
    assert not built, f"f-strings cannot be translated; pass a template and its values: {built}"
    assert "{field} is longer than {limit} characters." in templates  # the scan sees what it should
    missing = sorted(templates - set(PT_BR))
    assert not missing, missing


@pytest.mark.parametrize("status, tone, text", [
    ({"state": "connected"}, "success", "WebSocket connected"),
    ({"state": "idle"}, "neutral", "WebSocket connecting…"),
    ({"state": "connecting"}, "neutral", "WebSocket connecting…"),
    ({"state": "retrying", "last_error": "disconnected"}, "neutral", "WebSocket reconnecting…"),
    ({"state": "awaiting_first_event"}, "neutral", AWAITING_FIRST_EVENT),
    # Until the socket client names that state itself, Evolution's "Invalid namespace" means the same.
    ({"state": "refused", "last_error": "Invalid namespace"}, "neutral", AWAITING_FIRST_EVENT),
    ({"state": "retrying", "last_error": "Invalid namespace"}, "neutral", AWAITING_FIRST_EVENT),
    ({"state": "connecting", "last_error": "Invalid namespace"}, "neutral", AWAITING_FIRST_EVENT),
    ({"state": "refused", "last_error": "apiKey is required"}, "error", "WebSocket failed"),
    ({"state": "failed", "last_error": "401 Unauthorized"}, "error", "WebSocket failed"),
    ({"state": "stopped"}, "neutral", "WebSocket stopped"),
    (None, "neutral", "WebSocket not started"),
])
def test_socket_states_in_the_modal_are_never_green_unless_connected(status, tone, text):
    shown = socket_status(status)
    assert (shown.tone, shown.text) == (tone, text)
    assert shown.settled is (tone != "neutral")  # only a wait keeps the modal asking


def test_a_failed_socket_shows_the_providers_reason():
    assert socket_status({"state": "failed", "last_error": "401 Unauthorized"}).detail == "401 Unauthorized"
