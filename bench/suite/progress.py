"""A small progress bar with ETA on stderr.

The ETA learns a time rate per (tool, k) from the finished cells (seconds
per unit of :func:`suite.plan.cost_weight`) and scales the predicted cost
of the remaining cells by wall-clock time over predicted cost so far, so
overheads (loading, warm-up, evaluation) and parallel workers are included.
On a terminal the bar redraws in place; otherwise (a log file) each update
is one line.
"""

import sys
import time


def fmt_seconds(s):
    """``3725.2`` -> ``'1:02:05'``.

    >>> fmt_seconds(65.4), fmt_seconds(3725.2)
    ('1:05', '1:02:05')
    """
    if s != s or s == float("inf"):
        return "?"
    s = int(round(s))
    h, rest = divmod(s, 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


class Progress:
    def __init__(self, cells, stream=None, enabled=True, width=24):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.width = width
        self.total = len(cells)
        self.remaining = {id(c): c for c in cells}
        self.rates = {}  # (tool, k) -> [time, weight]
        self.done = 0
        self.start = time.perf_counter()
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self._done_cells = []

    def _rate(self, tool, k):
        for key in ((tool, k), tool, None):
            if key in self.rates:
                t, w = self.rates[key]
                return t / w if w else 0.0
        return None

    def eta(self):
        elapsed = time.perf_counter() - self.start
        if not self._done_cells:
            return float("nan")
        predicted_done = sum(self._predict(c) for c in self._done_cells)
        predicted_left = sum(self._predict(c) for c in self.remaining.values())
        return elapsed * predicted_left / predicted_done if predicted_done > 0 else float("nan")

    def _predict(self, cell):
        rate = self._rate(cell["tool"], cell["k"])
        return cell["weight"] * (rate if rate is not None else 0.0)

    def update(self, cell, seconds, message=""):
        """One cell finished (``seconds`` = its measured time; None if failed)."""
        self.remaining.pop(id(cell), None)
        self.done += 1
        if seconds is not None:
            for key in ((cell["tool"], cell["k"]), cell["tool"], None):
                t, w = self.rates.get(key, (0.0, 0.0))
                self.rates[key] = (t + seconds, w + cell["weight"])
            self._done_cells.append(cell)
        if not self.enabled:
            return
        frac = self.done / self.total if self.total else 1.0
        filled = int(round(frac * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = time.perf_counter() - self.start
        line = (f"[{bar}] {self.done}/{self.total} {frac:4.0%} elapsed {fmt_seconds(elapsed)} "
                f"ETA {fmt_seconds(self.eta()) if self.remaining else '0:00'}")
        if self.tty:
            if message:
                self.stream.write("\r\033[K" + message + "\n")
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + (f"  {message}" if message else "") + "\n")
        self.stream.flush()

    def close(self):
        if self.enabled and self.tty:
            self.stream.write("\n")
            self.stream.flush()
