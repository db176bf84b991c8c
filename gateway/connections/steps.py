"""Run a switch as steps that each know how to undo themselves, so a failure leaves no half state."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from ..providers.errors import ProviderError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    name: str
    do: Callable[[], object]
    undo: Callable[[], object] | None = None


class SwitchError(Exception):
    """A step failed; what was already done has been undone (unless `rollback_failed` says otherwise)."""

    def __init__(self, step: str, error: ProviderError, rollback_failed: list[str]):
        self.step = step
        self.error = error
        self.rollback_failed = rollback_failed
        message = f"{step} failed: {error.message}"
        if rollback_failed:
            message += f" (could not undo: {', '.join(rollback_failed)})"
        super().__init__(message)
        self.message = message


def run_steps(steps: list[Step]) -> None:
    """Do every step; on a provider error undo them in reverse and raise SwitchError.

    The failing step is undone too: it may have half happened (a set applied, its read-back
    failed). Undos restore the previous state, so undoing what did not happen is harmless.
    """
    done: list[Step] = []
    for step in steps:
        done.append(step)
        try:
            step.do()
        except ProviderError as error:
            raise SwitchError(step.name, error, _undo(done)) from error


def _undo(done: list[Step]) -> list[str]:
    failed = []
    for step in reversed(done):
        if step.undo is None:
            continue
        try:
            step.undo()
        except ProviderError as error:
            log.error("undo failed", extra={"fields": {"step": step.name, "error": error.message}})
            failed.append(step.name)
    return failed
