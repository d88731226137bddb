"""Helpers shared by the benchmark scripts: graph loading, summaries."""

import gc
import os
import statistics
import time
import platform
from pathlib import Path

import numpy as np

from suite.report import geomean  # noqa: F401  (the one geometric mean of the bench scripts)

WALSHAW_DIR = Path(
    os.environ.get("KLPART_WALSHAW", Path(__file__).resolve().parents[2] / "shared" / "graphs" / "walshaw")
)


def load_walshaw(name):
    """A Walshaw archive graph (METIS format) as a CSRGraph."""
    from klpart import read_metis

    return read_metis(WALSHAW_DIR / f"{name}.graph")


def machine_summary():
    """One line: CPU, cores, Python and library versions."""
    import networkx
    import numba
    import scipy

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"machine: {cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}, numba {numba.__version__}, "
        f"networkx {networkx.__version__}"
    )


def timed(func, repeats=1):
    """``(last result, median seconds)`` of ``repeats`` calls of ``func()``,
    garbage collected before each so a collection never lands inside a timing."""
    times = []
    result = None
    for _ in range(repeats):
        gc.collect()
        t = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t)
    return result, statistics.median(times)
