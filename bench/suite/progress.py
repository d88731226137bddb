"""The run's progress bar: tqdm over the cells' predicted cost, not their count.

Cells differ in cost by three orders of magnitude (METIS on a 2k-node graph
against KaHIP strong on a 75k-node one at k = 64), so a bar that counts
cells predicts nonsense.  The bar's unit is :func:`suite.plan.cost_weight`
(a cell's predicted relative cost), so tqdm's rate and ETA are in cost per
second; the cell count and each finished cell's line go beside it.  On a
terminal the bar redraws in place; in a log file each cell is one line.
"""

import sys

from tqdm import tqdm


def fmt_seconds(s):
    """``3725.2`` -> ``'1:02:05'``.

    >>> fmt_seconds(65.4), fmt_seconds(3725.2), fmt_seconds(float("nan"))
    ('1:05', '1:02:05', '?')
    """
    if s != s or s == float("inf"):
        return "?"
    h, rest = divmod(int(round(s)), 3600)
    m, sec = divmod(rest, 60)
    return f"{h}:{m:02d}:{sec:02d}" if h else f"{m}:{sec:02d}"


class Progress:
    """``update(cell, seconds, message)`` per finished cell; ``close()`` at the end.

    >>> import io
    >>> cells = [{"weight": 1.0}, {"weight": 3.0}]
    >>> p = Progress(cells, stream=io.StringIO())
    >>> p.update(cells[0], 0.5, "first"); p.update(cells[1], 1.5); p.close()
    >>> p.done, p.bar.n
    (2, 4.0)
    """

    def __init__(self, cells, stream=None, enabled=True):
        self.stream = stream or sys.stderr
        self.total = len(cells)
        self.done = 0
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.bar = tqdm(total=sum(c["weight"] for c in cells), file=self.stream, disable=not enabled,
                        unit="cost", bar_format="{l_bar}{bar}| {postfix} [{elapsed}<{remaining}]",
                        mininterval=0 if not self.tty else 0.1, dynamic_ncols=self.tty)

    def update(self, cell, seconds, message=""):
        """One cell finished (``seconds`` = its measured time; None if failed)."""
        self.done += 1
        if message and not self.bar.disable:
            self.bar.write(message, file=self.stream)
        self.bar.set_postfix_str(f"{self.done}/{self.total} cells", refresh=False)
        self.bar.update(cell["weight"])

    def close(self):
        self.bar.close()
