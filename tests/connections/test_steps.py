"""The step runner: undo on failure, and which undos it names when they fail."""
from __future__ import annotations

import pytest

from gateway.connections.steps import Step, SwitchError, run_steps
from gateway.providers.errors import ProviderRejected


def failing(message: str):
    def fail():
        raise ProviderRejected(message)
    return fail


def test_the_failing_step_and_the_completed_ones_are_undone_newest_first():
    done = []
    steps = [Step("first", lambda: done.append("first"), lambda: done.append("undo first")),
             Step("second", failing("no"), lambda: done.append("undo second"))]
    with pytest.raises(SwitchError) as raised:
        run_steps(steps)
    assert done == ["first", "undo second", "undo first"]
    assert raised.value.message == "second failed: no" and not raised.value.uncertain


def test_only_a_completed_step_whose_undo_failed_is_named():
    """Undoing a re-apply's failing step repeats the refused call: that is no step left undone."""
    steps = [Step("first", lambda: None, failing("gone")),
             Step("enabling the websocket", failing("refused"), failing("refused"))]
    with pytest.raises(SwitchError) as raised:
        run_steps(steps)
    assert raised.value.rollback_failed == ["first"] and raised.value.uncertain
    assert raised.value.message == "enabling the websocket failed: refused (could not undo: first)"


def test_the_steps_after_the_failing_one_never_run():
    ran = []
    with pytest.raises(SwitchError):
        run_steps([Step("a", failing("down")), Step("b", lambda: ran.append("b"))])
    assert ran == []
