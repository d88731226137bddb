"""Helpers shared by the benchmark scripts: graph loading, summaries."""

import math
import os
import platform
from pathlib import Path

import numpy as np

WALSHAW_DIR = Path(
    os.environ.get("KLPART_WALSHAW", Path(__file__).resolve().parents[2] / "shared" / "graphs" / "walshaw")
)


def load_walshaw(name):
    """A Walshaw archive graph (METIS format) as a CSRGraph."""
    try:
        from klpart import read_metis
    except (ImportError, AttributeError):
        read_metis = _read_unweighted_metis
    return read_metis(WALSHAW_DIR / f"{name}.graph")


def _read_unweighted_metis(path):
    # stop-gap until klpart.io lands: unit-weight METIS files only
    import scipy.sparse as sp

    from klpart.convert import from_scipy

    with open(path) as f:
        lines = [line for line in f if not line.startswith("%")]
    n = int(lines[0].split()[0])
    rows, cols = [], []
    for i, line in enumerate(lines[1 : n + 1]):
        nbrs = [int(t) - 1 for t in line.split()]
        rows.extend([i] * len(nbrs))
        cols.extend(nbrs)
    A = sp.csr_array((np.ones(len(rows), np.int64), (rows, cols)), shape=(n, n))
    return from_scipy(A)


def geomean(values):
    values = [v for v in values if v is not None and not math.isnan(v)]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else float("nan")


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
