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
    from klpart import read_metis

    return read_metis(WALSHAW_DIR / f"{name}.graph")


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
