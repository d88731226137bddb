"""Run one benchmark cell in a warm worker process.

:func:`run_cell` is what the local process pool and the Dask workers
execute, one call per cell (graph x tool x k x seed).  Per process it

1. warms up once: klpart compiles (or loads from Numba's cache) its kernels,
   and each tool runs once on a small mesh before its first timed cell;
2. keeps the last graphs it loaded and each tool's prepared input (a tool's
   ``prepare`` converts the graph once, outside the timing);
3. times ``repeats`` runs of the tool with ``time.perf_counter`` and keeps
   the median;
4. measures the peak memory of those runs.

Peak memory, in a long-lived worker: before the timed runs the worker
collects garbage, hands freed heap memory back to the OS (``malloc_trim``),
resets the kernel's high-water mark of its resident size (writing ``5`` to
``/proc/self/clear_refs``, Linux >= 4.0) and reads its resident size
(``base_mb``); after them it reads the high-water mark (``VmHWM``).
``peak_mb`` = high-water mark - ``base_mb``: the memory the partitioning
call needed beyond its prepared input.  Without the reset (not Linux) the
columns are left empty unless the cell ran in a fresh process
(``run.py --fresh``).  Cells are serialised per process (a lock), so a Dask
worker with several threads still measures one cell at a time.
"""

import ctypes
import gc
import math
import os
import socket
import statistics
import threading
import time

import numpy as np

_LOCK = threading.Lock()
_STATE = {"warm": False, "graphs": {}, "tools": {}, "warm_tools": set(), "cells": 0}
_GRAPH_CACHE = 2  # graphs kept per process


# ---------------------------------------------------------------- memory
def _status_mb(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return math.nan


def reset_peak():
    """Reset this process's resident high-water mark; False if impossible."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def _trim():
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


# ---------------------------------------------------------------- evaluation
def evaluate(graph, labels, k, imbalance):
    """``(cut, imbalance, balanced)`` of a k-way labelling.  The bound is
    klpart's: every block weighs at most ``(1 + imbalance) * ceil(total / k)``.

    >>> from klpart.datasets import grid_graph
    >>> evaluate(grid_graph(2, 2), [0, 0, 1, 1], 2, 0.03)
    (2.0, 0.0, True)
    """
    labels = np.asarray(labels, np.int64)
    if labels.shape != (graph.num_nodes,) or (labels.size and (labels.min() < 0 or labels.max() >= k)):
        raise ValueError(f"labels are not a {k}-way partition of {graph.num_nodes} nodes")
    rows = np.repeat(np.arange(graph.num_nodes), np.diff(graph.indptr))
    cut = graph.edge_weights[labels[rows] != labels[graph.indices]].sum() / 2
    weights = np.bincount(labels, weights=graph.node_weights, minlength=k)
    total = float(graph.node_weights.sum())
    bound = math.floor((1 + imbalance) * math.ceil(total / k) + 1e-9)
    return float(cut), float(weights.max() / (total / k) - 1), bool(weights.max() <= bound)


# ---------------------------------------------------------------- warm-up
def warm_up():
    """Compile (or load) klpart's kernels once per process."""
    if _STATE["warm"]:
        return
    import klpart
    from klpart.datasets import delaunay_graph

    g = delaunay_graph(500, seed=0)
    for k in (2, 3):
        klpart.partition(g, k, seed=0)
    klpart.kernighan_lin_bisection(g, seed=0)
    _STATE["warm"] = True


def _warm_tool(name, cache):
    """Run a tool once on a small mesh before its first timed cell."""
    if name in _STATE["warm_tools"]:
        return
    from anchors import make_tools

    from .graphs import GraphSpec

    spec = GraphSpec("warm-up-delaunay-500", "delaunay", size=(500,), cache=cache)
    graph = spec.load()
    (tool,), _ = make_tools([name])
    tool.prepare(graph, spec.metis_file(graph) if tool.needs_file else None)
    for k in (2,) if tool.bisection_only else (2, 4):
        tool.run(k, 0.03, 0)
    _STATE["warm_tools"].add(name)


def _graph(spec):
    graphs = _STATE["graphs"]
    if spec.name not in graphs:
        while len(graphs) >= _GRAPH_CACHE:
            old = next(iter(graphs))
            del graphs[old]
            for tool in _STATE["tools"].values():
                if getattr(tool, "prepared_for", None) == old:
                    tool.release()
        graphs[spec.name] = spec.load()
    return graphs[spec.name]


def _tool(name, spec, graph):
    from anchors import make_tools

    tools = _STATE["tools"]
    if name not in tools:
        (tools[name],), _ = make_tools([name])
    tool = tools[name]
    if getattr(tool, "prepared_for", None) != spec.name:
        tool.release()
        tool.prepare(graph, spec.metis_file(graph) if tool.needs_file else None)
        tool.prepared_for = spec.name
    return tool


# ---------------------------------------------------------------- the cell
def run_cell(cell):
    """Run one cell; returns ``{"row": dict}`` or ``{"error": str}``.

    ``cell`` is a dict: ``spec`` (GraphSpec), ``tool``, ``k``, ``seed``,
    ``eps`` (allowed imbalance), ``repeats``, ``cache`` (for warm-up graphs).
    """
    with _LOCK:
        try:
            return {"row": _run(cell)}
        except Exception as err:  # a tool failing is a note, not a crash
            return {"error": f"{type(err).__name__}: {err}"}


def _run(cell):
    spec, name, k, seed, eps = cell["spec"], cell["tool"], cell["k"], cell["seed"], cell["eps"]
    warm_up()
    _warm_tool(name, cell["cache"])
    graph = _graph(spec)
    tool = _tool(name, spec, graph)
    _trim()
    measured = reset_peak() or cell.get("fresh", False)
    base = _status_mb("VmRSS")
    times = []
    for _ in range(max(1, cell.get("repeats", 1))):
        t = time.perf_counter()
        labels = tool.run(k, eps, seed)
        times.append(time.perf_counter() - t)
    peak = _status_mb("VmHWM")
    cut, imb, ok = evaluate(graph, labels, k, eps)
    _STATE["cells"] += 1
    return dict(
        graph=spec.name, n=graph.num_nodes, m=graph.num_edges, tool=name, k=k, seed=seed,
        cut=cut, imbalance=round(imb, 6), balanced=ok, time=statistics.median(times),
        peak_mb=round(max(peak - base, 0.0), 3) if measured else "",
        base_mb=round(base, 1) if measured else "",
        family=spec.family, eps=eps, repeats=len(times), host=f"{socket.gethostname()}:{os.getpid()}",
    )
