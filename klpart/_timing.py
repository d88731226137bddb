"""A per-phase wall clock for :attr:`klpart.PartitionResult.timings`."""

import time
from contextlib import contextmanager, nullcontext

__all__ = ["PhaseClock", "NO_CLOCK"]


class PhaseClock:
    """Seconds spent per named phase, summed over every time it ran.

    Examples
    --------
    >>> clock = PhaseClock()
    >>> with clock("coarsening"):
    ...     pass
    >>> list(clock.seconds)
    ['coarsening']
    """

    def __init__(self):
        self.seconds = {}

    @contextmanager
    def __call__(self, phase):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[phase] = self.seconds.get(phase, 0.0) + time.perf_counter() - start


class _NoClock:
    """Stands in for a clock where nothing is timed (nested runs)."""

    def __call__(self, phase):
        return nullcontext()


NO_CLOCK = _NoClock()
