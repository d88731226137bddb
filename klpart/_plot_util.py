"""Input handling behind :mod:`klpart.plot`: colours, partitions, positions,
benchmark rows.

Nothing here imports matplotlib: these helpers turn user input into plain
NumPy arrays and Python lists, so they can be tested (and fail with a clear
message) before a figure exists.
"""

import csv
import math
import numbers
import os
import statistics
from collections.abc import Mapping

import numpy as np

# Okabe & Ito's colour-blind-safe qualitative palette without its black, which
# klpart.plot keeps for cut edges; blue and orange first, because k = 2 is the
# common case and that pair stays distinct under every form of colour
# blindness; yellow last, it has the least contrast on white.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442")
CUT_COLOR = "#000000"
INTERNAL_EDGE_COLOR = "#BBBBBB"
# beyond 7 blocks every further round of the 7 hues is mixed towards black
# (negative) or white (positive), so 28 blocks get distinct colours before any
# repeats; the hue order stays the same, so neighbouring block numbers still
# differ in hue
_SHADES = (0.0, -0.35, 0.45, -0.6)


def palette(k):
    """``k`` colours (``"#rrggbb"`` strings) for blocks 0 .. k-1."""
    if isinstance(k, bool) or not isinstance(k, numbers.Integral) or k < 0:
        raise ValueError(f"k must be a non-negative integer, got {k!r}")
    out = []
    for i in range(int(k)):
        base = OKABE_ITO[i % len(OKABE_ITO)]
        shade = _SHADES[(i // len(OKABE_ITO)) % len(_SHADES)]
        out.append(_mix(base, shade))
    return out


def _mix(color, amount):
    rgb = np.array([int(color[j : j + 2], 16) for j in (1, 3, 5)], float)
    target = 255.0 if amount > 0 else 0.0
    rgb = rgb + abs(amount) * (target - rgb)
    return "#" + "".join(f"{int(round(c)):02X}" for c in rgb)


# --------------------------------------------------------------------------
# Graph and partition
# --------------------------------------------------------------------------
def graph_and_labels(G, partition, weight):
    """``(g, labels, k, names)``: the graph as a CSRGraph with ``weight``,
    the block of every node in node order, the number of blocks and the
    block names of a dict partition with non-integer values (else None).

    Raises ValueError / TypeError for a partition that does not fit the
    graph (instead of the NetworkX error the metrics module raises: these
    are plotting functions).
    """
    from .convert import as_csr_graph

    g = as_csr_graph(G, weight=weight)
    labels, k, names = partition_labels(g, partition)
    return g, labels, k, names


def partition_labels(g, partition):
    """Labels, block count and block names of ``partition`` on CSRGraph g."""
    from . import metrics
    from .partitioning import PartitionResult
    from .trace import KLTrace

    n = g.num_nodes
    if isinstance(partition, KLTrace):
        partition = partition.partition
    if isinstance(partition, PartitionResult):
        labels = np.asarray(partition.labels, np.int64)
        if labels.shape != (n,):
            raise ValueError(
                f"the PartitionResult has {labels.size} labels for a graph of {n} nodes: "
                "it was computed on another graph"
            )
        nodes = partition.nodes
        if nodes is not None and g.nodes is not None and nodes != g.nodes:
            raise ValueError(
                "the PartitionResult's nodes differ from the graph's (another graph, or "
                "another node order)"
            )
        return labels, partition.k, None
    if partition is None or isinstance(partition, (str, bytes)):
        raise TypeError(
            "partition must be a PartitionResult, a list of node sets, a dict node -> block "
            f"or an array of block labels in node order; got {type(partition).__name__}"
        )
    names = None
    if not isinstance(partition, (Mapping, np.ndarray, list, tuple)):
        try:
            partition = list(partition)
        except TypeError:
            raise TypeError(
                f"partition must be a collection, got {type(partition).__name__}"
            ) from None
    try:
        labels = metrics.partition_labels(g, partition)
    except metrics.NotAPartition as err:
        raise ValueError(f"partition does not fit the graph: {err}") from None
    if isinstance(partition, Mapping):
        values = list(partition.values())
        if not all(
            isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= 0
            for v in values
        ):
            # metrics numbered the block names; recover which name is which
            names = {}
            index = {u: i for i, u in enumerate(g.labels())}
            for u, v in partition.items():
                names[int(labels[index[u]])] = v
            names = [names.get(b) for b in range(max(names) + 1 if names else 0)]
    if isinstance(partition, np.ndarray) or _is_label_list(partition) or isinstance(partition, Mapping):
        k = int(labels.max()) + 1 if n else 0
    else:
        k = len(partition)
    return labels, k, names


def _is_label_list(partition):
    return (
        isinstance(partition, (list, tuple))
        and len(partition) > 0
        and isinstance(partition[0], (numbers.Integral, np.integer))
    )


def edge_arrays(g):
    """``(u, v, w)``: each undirected edge once (u < v), self-loops left out."""
    src = np.repeat(np.arange(g.num_nodes, dtype=np.int64), np.diff(g.indptr))
    dst = g.indices.astype(np.int64)
    keep = src < dst
    return src[keep], dst[keep], g.edge_weights[keep]


def as_number(x):
    """A NumPy scalar as a Python int (integral) or float."""
    x = x.item() if isinstance(x, np.generic) else x
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


# --------------------------------------------------------------------------
# Node positions
# --------------------------------------------------------------------------
def positions(G, g, pos, max_layout_nodes, seed):
    """``(n, 2)`` float array of node coordinates in node order.

    ``pos`` is None (a ``"pos"`` node attribute, else a spring layout for
    small graphs), an attribute name, a dict node -> (x, y), or an array.
    """
    from .convert import is_networkx_graph

    n = g.num_nodes
    nodes = g.labels()
    if isinstance(pos, str) or pos is None:
        attr = "pos" if pos is None else pos
        if is_networkx_graph(G):
            data = G.nodes
            if n and all(attr in data[u] for u in nodes):
                return _checked_xy([data[u][attr] for u in nodes], n, f"node attribute {attr!r}")
            if pos is not None:
                missing = next(u for u in nodes if attr not in data[u])
                raise ValueError(f"node {missing!r} has no {attr!r} attribute")
        elif pos is not None:
            raise ValueError(
                f"pos={pos!r} names a node attribute, but a {type(G).__name__} has none; "
                "pass a dict or an (n, 2) array of positions"
            )
        return _layout(G, g, max_layout_nodes, seed)
    if isinstance(pos, Mapping):
        xy = []
        for u in nodes:
            try:
                xy.append(pos[u])
            except KeyError:
                raise ValueError(f"pos has no position for node {u!r}") from None
        return _checked_xy(xy, n, "pos")
    return _checked_xy(pos, n, "pos")


def _checked_xy(values, n, what):
    try:
        xy = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must hold (x, y) pairs of numbers") from None
    if xy.ndim != 2 or xy.shape[1] != 2 or xy.shape[0] != n:
        raise ValueError(f"{what} must give an (x, y) pair for each of the {n} nodes, got shape {xy.shape}")
    if not np.isfinite(xy).all():
        raise ValueError(f"{what} has a non-finite coordinate (row {int(np.flatnonzero(~np.isfinite(xy).all(1))[0])})")
    return xy


def _layout(G, g, max_layout_nodes, seed):
    import networkx as nx

    from .convert import is_networkx_graph

    n = g.num_nodes
    if n > max_layout_nodes:
        raise ValueError(
            f"the graph has {n} nodes and no positions: a spring layout is computed only up to "
            f"max_layout_nodes={max_layout_nodes} nodes (it is slow beyond); pass pos= as a dict "
            "or an (n, 2) array (e.g. from klpart.datasets.delaunay_graph(..., "
            "return_positions=True) or nx.spectral_layout)"
        )
    H = G if is_networkx_graph(G) else g.to_networkx(weight=None)
    layout = nx.spring_layout(H, seed=seed)
    return np.array([layout[u] for u in g.labels()], float).reshape(n, 2)


# --------------------------------------------------------------------------
# Benchmark rows
# --------------------------------------------------------------------------
REQUIRED = ("graph", "tool", "k", "cut", "time")


def load_results(results):
    """Rows of bench output as dicts with typed values.

    ``results`` is a path to results.csv, an iterable of dicts (one per run),
    or a dict of columns (column name -> list of values).
    """
    if isinstance(results, (str, os.PathLike)):
        with open(results, newline="") as f:
            rows = list(csv.DictReader(f))
        source = os.fspath(results)
    elif isinstance(results, Mapping):
        columns = {key: list(values) for key, values in results.items()}
        lengths = {len(v) for v in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"the result columns have different lengths: {sorted(lengths)}")
        rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
        source = "results"
    else:
        try:
            rows = list(results)
        except TypeError:
            raise TypeError(
                "results must be a path to results.csv, a list of dicts or a dict of columns, "
                f"got {type(results).__name__}"
            ) from None
        source = "results"
    if not rows:
        raise ValueError(f"{source} holds no benchmark rows")
    out = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"row {i} of {source} is a {type(row).__name__}, not a dict")
        missing = [c for c in REQUIRED if c not in row]
        if missing:
            raise ValueError(f"row {i} of {source} lacks the column(s) {', '.join(missing)}")
        try:
            typed = {
                "graph": str(row["graph"]),
                "tool": str(row["tool"]),
                "k": int(float(row["k"])),
                "cut": float(row["cut"]),
                "time": float(row["time"]),
                "balanced": _as_bool(row.get("balanced", True)),
            }
        except (TypeError, ValueError) as err:
            raise ValueError(f"row {i} of {source} has a malformed value: {err}") from None
        if not (typed["cut"] >= 0 and typed["time"] >= 0):
            raise ValueError(f"row {i} of {source}: cut and time must be non-negative numbers")
        out.append(typed)
    return out


def _as_bool(x):
    if isinstance(x, str):
        s = x.strip().lower()
        if s in ("true", "1", "yes", ""):
            return True
        if s in ("false", "0", "no"):
            return False
        raise ValueError(f"balanced must be true or false, got {x!r}")
    return bool(x)


def aggregate(rows, require_balanced=True):
    """``(cells, tools)``: ``cells[(graph, k)][tool] = (median cut, median
    time)`` over seeds, as bench/run.py summarises; tools in order of first
    appearance.  Unbalanced runs are left out when ``require_balanced``."""
    tools = list(dict.fromkeys(r["tool"] for r in rows))
    runs = {}
    for r in rows:
        if require_balanced and not r["balanced"]:
            continue
        runs.setdefault((r["graph"], r["k"]), {}).setdefault(r["tool"], []).append(r)
    # instances where every run of every tool was unbalanced still count (as
    # failures of every tool) in the performance profile
    for r in rows:
        runs.setdefault((r["graph"], r["k"]), {})
    cells = {
        inst: {
            tool: (
                statistics.median(x["cut"] for x in rs),
                statistics.median(x["time"] for x in rs),
            )
            for tool, rs in by_tool.items()
        }
        for inst, by_tool in runs.items()
    }
    return cells, tools


def ratios_to(cells, tool, reference):
    """``(time ratios, cut ratios, instances)`` of ``tool`` against
    ``reference`` where both ran and the reference's cut and time are > 0."""
    xs, ys, insts = [], [], []
    for inst, by_tool in cells.items():
        if tool in by_tool and reference in by_tool:
            (cut, t), (rcut, rt) = by_tool[tool], by_tool[reference]
            if rcut > 0 and rt > 0:
                xs.append(t / rt)
                ys.append(cut / rcut)
                insts.append(inst)
    return xs, ys, insts


def profile_ratios(cells, tools):
    """Dolan-More performance ratios: ``{tool: [cut / best cut of the
    instance]}`` over all instances; ``inf`` where the tool has no (balanced)
    result, or where the best cut is 0 and the tool's is not."""
    out = {t: [] for t in tools}
    for by_tool in cells.values():
        best = min((c for c, _ in by_tool.values()), default=math.inf)
        for t in tools:
            if t not in by_tool:
                out[t].append(math.inf)
                continue
            cut = by_tool[t][0]
            if best > 0:
                out[t].append(cut / best)
            else:
                out[t].append(1.0 if cut == 0 else math.inf)
    return out


def geomean(values):
    values = [v for v in values if v > 0 and math.isfinite(v)]
    return math.exp(sum(map(math.log, values)) / len(values)) if values else math.nan
