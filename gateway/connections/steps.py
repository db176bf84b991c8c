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
    """A step failed and what was done has been undone, except the completed steps `rollback_failed` names.

    `uncertain`: the failing step's own undo failed as well. The step may have half happened, or
    nothing happened and the undo failed for the step's own reason (a re-apply undoing into the
    state just refused); only a sync can tell, so it is not named among the steps left undone.
    """

    def __init__(self, step: str, error: ProviderError, rollback_failed: list[str], uncertain: bool = False):
        self.step = step
        self.error = error
        self.rollback_failed = rollback_failed
        self.uncertain = uncertain
        message = f"{step} failed: {error.message}"
        if rollback_failed:
            message += f" (could not undo: {', '.join(rollback_failed)})"
        super().__init__(message)
        self.message = message


def run_steps(steps: list[Step]) -> None:
    """Do every step; on a provider error undo the failing step, then the completed ones in reverse.

    The failing step is undone too: it may have half happened (a set applied, its read-back
    failed). Undos restore the previous state, so undoing what did not happen is harmless.
    """
    done: list[Step] = []
    for step in steps:
        try:
            step.do()
        except ProviderError as error:
            uncertain = bool(_undo([step]))
            raise SwitchError(step.name, error, _undo(done), uncertain) from error
        done.append(step)


def _undo(steps: list[Step]) -> list[str]:
    """Undo `steps` in reverse; the names of those whose undo failed."""
    failed = []
    for step in reversed(steps):
        if step.undo is None:
            continue
        try:
            step.undo()
        except ProviderError as error:
            log.error("undo failed", extra={"fields": {"step": step.name, "error": error.message}})
            failed.append(step.name)
    return failed
