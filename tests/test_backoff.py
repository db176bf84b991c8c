"""Back-off delays are exactly what the docstring promises."""
import pytest

from gateway.connections.backoff import Backoff


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
