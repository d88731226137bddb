"""Progress display of the ``klpart`` command line (tqdm), and the notice
shown before Numba compiles klpart's kernels for the first time."""

import os
import sys
import threading

__all__ = ["Progress", "kernels_cached", "compile_notice"]


class Progress:
    """Elapsed time and the current phase on one line of a terminal (a tqdm
    bar without a total).

    The line appears after ``delay`` seconds (quick runs show nothing), is
    refreshed every ``interval`` seconds by a background thread until the
    ``with`` block ends, and is then erased.  Nothing at all is written when
    ``stream`` is not a terminal: redirected output and logs stay exactly
    what the command prints.

    klpart's kernels report no progress of their own, so this says what is
    running and for how long, not how much is left.

    Parameters
    ----------
    stream : file object, optional
        Where to draw (standard error by default).
    delay : float, default 1.0
        Seconds before the first drawing.
    interval : float, default 0.2
        Seconds between redrawings.

    Attributes
    ----------
    phase : str
        What is running; the command sets it as it goes.

    Examples
    --------
    >>> import io
    >>> from klpart.cli._progress import Progress
    >>> log = io.StringIO()  # not a terminal: nothing is drawn
    >>> with Progress(log, delay=0.0) as progress:
    ...     progress.phase = "partitioning"
    >>> log.getvalue()
    ''
    """

    def __init__(self, stream=None, delay=1.0, interval=0.2):
        self.stream = sys.stderr if stream is None else stream
        self.delay = delay
        self.interval = interval
        self._phase = ""
        self._bar = None
        self._stop = threading.Event()
        self._thread = None

    @property
    def phase(self):
        return self._phase

    @phase.setter
    def phase(self, text):
        self._phase = text
        if self._bar is not None:
            self._bar.set_description_str(f"klpart: {text}", refresh=False)

    def __enter__(self):
        try:
            tty = self.stream.isatty()
        except (AttributeError, ValueError):  # no isatty, or a closed stream
            tty = False
        if tty:
            from tqdm import tqdm

            self._bar = tqdm(
                total=None,
                file=self.stream,
                delay=self.delay,
                leave=False,
                dynamic_ncols=True,
                bar_format="{desc} {elapsed}",
                desc=f"klpart: {self._phase}",
            )
            # tqdm redraws on updates only; the kernels make none, so a
            # daemon thread refreshes the elapsed time
            self._thread = threading.Thread(target=self._run, name="klpart-progress", daemon=True)
            self._thread.start()
        return self

    def _run(self):
        if self._stop.wait(self.delay):
            return  # a quick run: nothing drawn
        while not self._stop.wait(self.interval):
            try:
                self._bar.refresh()
            except (OSError, ValueError):  # the terminal went away
                return

    def __exit__(self, *exc):
        if self._bar is not None:
            self._stop.set()
            self._thread.join()
            try:
                self._bar.close()
            except (OSError, ValueError):
                pass
        return False


def kernels_cached(folder=None):
    """True when Numba's on-disk cache holds klpart's kernels.

    The check is deliberately cheap: Numba writes one index file
    (``*.nbi``) per cached function into the ``__pycache__`` folder next to
    the module; when ``klpart/_kernels/__pycache__`` has none for the
    partitioner's main modules (``fm``, ``kway``, ``coarsen``), the next run
    compiles them (tens of seconds).  A cache made by another Python or
    Numba version counts as present: then the notice is simply not shown.

    Parameters
    ----------
    folder : str, optional
        The kernels' folder (default: that of :mod:`klpart._kernels`).

    Examples
    --------
    >>> import tempfile
    >>> from klpart.cli._progress import kernels_cached
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     kernels_cached(tmp)
    False
    """
    if folder is None:
        folder = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "_kernels")
    cache = os.path.join(folder, "__pycache__")
    try:
        names = os.listdir(cache)
    except OSError:
        return False
    modules = {name.split(".", 1)[0] for name in names if name.endswith(".nbi")}
    return {"fm", "kway", "coarsen"} <= modules


def compile_notice(stream=None, folder=None):
    """Say on ``stream`` (standard error, when it is a terminal) that the
    kernels are being compiled, when :func:`kernels_cached` says they are
    not; returns whether it did."""
    stream = sys.stderr if stream is None else stream
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    # on a terminal only, like the progress line: logs and the tests' captured
    # standard error stay exactly the command's messages
    if not tty or kernels_cached(folder):
        return False
    try:
        print("klpart: compiling kernels, first run only (this takes a minute)", file=stream)
    except (OSError, ValueError):
        pass
    return True
