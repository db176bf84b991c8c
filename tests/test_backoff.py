"""Reconnect delays are exactly what the docstrings promise, down to the socket client's own loop."""
from unittest import mock

import pytest

from gateway.connections.backoff import Backoff, Outcome, Retry, next_retry
from gateway.connections.socket_client import Endpoint, SocketClient
from gateway.providers.base import SocketAddress

D, N, F = Outcome.DROPPED, Outcome.NO_NAMESPACE, Outcome.FAILED


@pytest.mark.parametrize("attempt, ceiling", [(0, 0.5), (1, 1.0), (2, 2.0), (5, 16.0), (6, 30.0), (100, 30.0)])
def test_ceiling_doubles_up_to_the_cap(attempt, ceiling):
    assert Backoff(base=0.5, cap=30.0).ceiling(attempt) == ceiling


@pytest.mark.parametrize("draw", [0.0, 0.25, 0.999])
def test_full_jitter_scales_the_ceiling_by_the_draw(draw):
    assert Backoff(base=1.0, cap=8.0).delay(3, rand=lambda: draw) == pytest.approx(8.0 * draw)


def test_delays_stay_within_zero_and_the_cap():
    backoff = Backoff(base=0.1, cap=2.0)
    delays = [backoff.delay(attempt) for attempt in range(50) for _ in range(20)]
    assert all(0.0 <= d <= 2.0 for d in delays)
    assert max(delays) > 1.0  # the jitter really spreads them


@pytest.mark.parametrize("outcome, attempt, retry", [
    (F, 0, Retry("failed", 0.5, 1)),
    (F, 3, Retry("failed", 4.0, 4)),
    (D, 5, Retry("retrying", 0.5, 1)),  # a join wipes out the failures before it
    (N, 5, Retry("awaiting_first_event", 1.5, 0)),  # fixed, whatever came before
])
def test_next_retry_by_outcome(outcome, attempt, retry):
    with mock.patch("gateway.connections.backoff.random.random", return_value=1.0):
        assert next_retry(outcome, attempt, Backoff(0.5, 30.0), 1.5) == retry


class ScriptedStop:
    """Stands in for the client's stop event: records every wait instead of sleeping."""

    def __init__(self, client):
        self.client, self.waits, self.stopped = client, [], False

    def is_set(self):
        return self.stopped

    def set(self):
        self.stopped = True

    def wait(self, delay):
        self.waits.append((self.client.state, delay, self.client.failures))
        return False


def run_script(outcomes, draws):
    """Run the client's loop over scripted connection outcomes; the (state, wait, failures) it went through."""
    client = SocketClient(Endpoint(SocketAddress("http://127.0.0.1:1"), "/", "global:sim"), lambda *a: None,
                          lambda first: None, Backoff(0.5, 30.0))
    stop = client._stop = ScriptedStop(client)
    script = iter(outcomes)

    def attempt():
        outcome = next(script, None)
        if outcome is None:
            client.stop()
            return F
        return outcome

    client._connect_and_listen = attempt
    with mock.patch("gateway.connections.backoff.random.random", side_effect=draws):
        client.run()
    assert client.state == "stopped"
    return stop.waits


def test_the_loop_waits_exactly_the_documented_delays():
    waits = run_script([F, F, F, D, F, F, D], draws=[1.0, 1.0, 0.5, 1.0, 1.0, 0.25, 0.5])
    assert waits == [
        ("failed", 0.5, 1), ("failed", 1.0, 2), ("failed", 1.0, 3),  # 0.5 * 2**2 * draw 0.5
        ("retrying", 0.5, 0),  # joined, then dropped: straight back to the first step
        ("failed", 1.0, 1),  # the next failure continues from there
        ("failed", 0.5, 2),  # and grows: 0.5 * 2**2 * draw 0.25
        ("retrying", 0.25, 0),
    ]


def test_a_flapping_provider_is_rejoined_after_the_first_step_every_time():
    """Joined for a moment, dropped, again and again: each wait is the first step's, never a grown one."""
    waits = run_script([F, F, F, F, F, D, D, D, D], draws=[1.0] * 9)
    assert [delay for _, delay, _ in waits[5:]] == [0.5, 0.5, 0.5, 0.5]
