"""The progress line of the ``klpart`` command line (elapsed time and
phase on standard error, on a terminal only)."""

import itertools
import shutil
import sys
import threading
import time

__all__ = ["Progress"]


class Progress:
    """Elapsed time and the current phase on one line of a terminal.

    A background thread waits ``delay`` seconds, then redraws the line every
    ``interval`` seconds until the ``with`` block ends, when the line is
    erased.  Nothing at all is written when ``stream`` is not a terminal:
    redirected output and logs stay exactly what the command prints.

    The phases come from the command (reading, partitioning ...): klpart's
    kernels report no progress of their own, so this says what is running
    and for how long, not how much is left.

    Parameters
    ----------
    stream : file object, optional
        Where to draw (standard error by default).
    delay : float, default 1.0
        Seconds before the first drawing: quick runs show nothing.
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
        self.phase = ""
        self._stop = threading.Event()
        self._thread = None
        self._drawn = False

    def __enter__(self):
        self._start = time.perf_counter()
        try:
            tty = self.stream.isatty()
        except (AttributeError, ValueError):  # no isatty, or a closed stream
            tty = False
        if tty:
            # a daemon thread never keeps the process alive after an error
            self._thread = threading.Thread(target=self._run, name="klpart-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            if self._drawn:
                self._write("\r\x1b[K")
        return False

    def _write(self, text):
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: not worth a crash
            pass

    def _run(self):
        if self._stop.wait(self.delay):
            return
        spinner = itertools.cycle("|/-\\")
        # a line longer than the terminal wraps, and "\r" then redraws only
        # its last part: shorten the phase instead
        columns = shutil.get_terminal_size().columns
        while True:
            elapsed = time.perf_counter() - self._start
            tail = f" {next(spinner)} {elapsed:.1f} s"
            head = f"klpart: {self.phase}"
            room = max(columns - 1 - len(tail), 10)
            if len(head) > room:
                head = head[: room - 3] + "..."
            self._write(f"\r\x1b[K{head}{tail}")
            self._drawn = True
            if self._stop.wait(self.interval):
                return
