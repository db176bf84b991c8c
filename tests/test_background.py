"""The background pool's bounded batches: every item once, never more greenlets at once than asked."""
from __future__ import annotations

from collections import Counter

import gevent
from gevent.event import Event

from gateway.background import Background
from gateway.simulator.testing import wait_for


def test_a_batch_runs_every_item_once_on_at_most_the_bound_at_once(app):
    background, release = Background(app), Event()
    running, peak, done = Counter(), Counter(), Counter()

    def work(item):
        running["now"] += 1
        peak["max"] = max(peak["max"], running["now"])
        release.wait(5)
        running["now"] -= 1
        done[item] += 1

    batch = gevent.spawn(background.run_each, "test", work, list(range(10)), 3)
    wait_for(lambda: running["now"] == 3, what="three items started")
    assert not done  # the other seven wait for a free greenlet
    release.set()
    batch.join(timeout=5)
    assert batch.dead and done == Counter(range(10)) and peak["max"] == 3


def test_an_item_that_raises_leaves_the_rest_to_the_other_greenlets(app):
    background, done = Background(app), Counter()

    def work(item):
        if item == 2:
            raise RuntimeError("this one fails")
        done[item] += 1

    background.run_each("test", work, list(range(6)), 2)
    assert done == Counter(item for item in range(6) if item != 2)
