"""Every argument check of every klpart entry point, in one place.

One exception type per kind of error, the one a user of that API expects
(NetworkX's where NetworkX has the function):

* a directed graph: ``networkx.NetworkXNotImplemented`` (:func:`not_directed`);
* a value of the wrong type (``k=2.5``, ``imbalance="0.1"``, ``max_iter="3"``,
  a string node weight, a set of node weights): ``TypeError``;
* a value of the right type out of its range (``k=0``, ``imbalance=-1``, a
  negative or infinite weight, a block id past the last block, weights whose
  sum leaves the representable range): ``ValueError``.

Representable range
-------------------
Integer weights are summed in int64 by the kernels (cuts, gains, block
weights).  klpart therefore refuses integer edge weights whose sum over the
stored entries (every undirected edge twice, so a total edge weight above
2**61) passes :data:`WEIGHT_LIMIT` = 2**62, and integer node weights whose
total passes it:
a cut, a gain, a block weight or a sum of two of them then always fits in an
int64 with room to spare.  Float weights must have a finite sum (at most
:data:`FLOAT_LIMIT`, so that doubling it stays finite).  The messages name
the limit and suggest scaling the weights.

Examples
--------
>>> from klpart import _check
>>> _check.check_k(3, 10)
3
>>> _check.check_k(2.0, 10)
Traceback (most recent call last):
...
TypeError: k must be an integer, got 2.0
>>> _check.check_imbalance(1e308)
1e+308
>>> _check.balance_bound(1e308, 5.0, 2, 10, True, True)
10
"""

import math
import numbers
from collections.abc import Mapping, Set

import numpy as np

__all__ = [
    "WEIGHT_LIMIT",
    "FLOAT_LIMIT",
    "MAX_BLOCKS",
    "not_directed",
    "check_k",
    "check_block_count",
    "check_imbalance",
    "check_targets",
    "balance_bound",
    "block_bounds",
    "check_max_iter",
    "check_integer",
    "node_weight_values",
    "node_weight_array",
    "check_weight_sum",
    "check_labels",
    "check_config",
    "check_objective",
    "check_fixed",
    "check_imbalances",
    "is_weight_matrix",
    "node_weight_matrix",
    "node_size_array",
    "is_real",
    "integral_or_float",
    "limit_message",
]

#: Largest sum of integer weights klpart accepts (see the module notes).
WEIGHT_LIMIT = 2**62
#: Largest sum of float weights klpart accepts.
FLOAT_LIMIT = 1e300
#: Block ids at or above ``max(n, MAX_BLOCKS)`` are refused (they would size
#: arrays: a partition of n nodes never needs more than n non-empty blocks,
#: and a few empty ones at the end are allowed up to this count).
MAX_BLOCKS = 1 << 20


# --------------------------------------------------------------------------
# graphs
# --------------------------------------------------------------------------
def not_directed(G):
    """Raise ``NetworkXNotImplemented`` for a directed graph (NetworkX's
    ``@not_implemented_for("directed")`` message)."""
    is_directed = getattr(G, "is_directed", None)
    if is_directed is not None and is_directed():
        import networkx as nx

        raise nx.NetworkXNotImplemented("not implemented for directed type")


# --------------------------------------------------------------------------
# scalars
# --------------------------------------------------------------------------
def _is_int(x):
    return isinstance(x, (numbers.Integral, np.integer)) and not isinstance(x, (bool, np.bool_))


def is_real(x):
    """Whether ``x`` is a real number (Python or NumPy) and not a bool.

    >>> is_real(2.5), is_real(np.int8(3)), is_real(True), is_real("1")
    (True, True, False, False)
    """
    return isinstance(x, (numbers.Real, np.integer, np.floating)) and not isinstance(
        x, (bool, np.bool_)
    )


def check_integer(value, name, minimum=None):
    """``value`` as an int: TypeError unless it is an integer (bools are
    not), ValueError below ``minimum``."""
    if not _is_int(value):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def check_k(k, n):
    """Number of blocks of a partition of ``n`` nodes: ``1 <= k <= max(n, 1)``."""
    if not _is_int(k):
        raise TypeError(f"k must be an integer, got {k!r}")
    k = int(k)
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    if k > max(n, 1):
        raise ValueError(f"k = {k} blocks is more than the {n} nodes of the graph")
    return k


def check_block_count(k, n, name="k"):
    """A block count for metrics (empty blocks allowed): ``0 <= k <=
    max(n, MAX_BLOCKS)``."""
    if not _is_int(k):
        raise TypeError(f"{name} must be an integer, got {k!r}")
    k = int(k)
    if k < 0:
        raise ValueError(f"{name} must be non-negative, got {k}")
    limit = max(n, MAX_BLOCKS)
    if k > limit:
        raise ValueError(
            f"{name} = {k} blocks is too many for a graph of {n} nodes (limit {limit})"
        )
    return k


def check_imbalance(imbalance):
    """The imbalance as a float: a real number (not a bool or a string),
    finite and >= 0."""
    if not is_real(imbalance):
        raise TypeError(f"imbalance must be a number, got {imbalance!r}")
    eps = float(imbalance)
    if not (eps >= 0 and math.isfinite(eps)):
        raise ValueError(f"imbalance must be a finite number >= 0, got {imbalance!r}")
    return eps


def check_max_iter(max_iter):
    """``max_iter`` of the KL drop-in.  NetworkX runs ``range(max_iter)``,
    so anything but an integer (bools included) is a TypeError there, and a
    value <= 0 runs no pass."""
    if not isinstance(max_iter, (numbers.Integral, np.integer)):
        raise TypeError(
            f"'{type(max_iter).__name__}' object cannot be interpreted as an integer "
            f"(max_iter={max_iter!r})"
        )
    return max(int(max_iter), 0)


# --------------------------------------------------------------------------
# balance
# --------------------------------------------------------------------------
def check_targets(target_weights, k, total):
    """Target weight of every block: ``total / k`` each without
    ``target_weights``; absolute weights summing to ``total`` or fractions
    summing to 1 otherwise."""
    if target_weights is None:
        return [total / k] * k
    if isinstance(target_weights, (str, bytes)) or not hasattr(target_weights, "__iter__"):
        raise TypeError(f"target_weights must be a sequence of numbers, got {target_weights!r}")
    values = list(target_weights)
    for i, t in enumerate(values):
        if not is_real(t):
            raise TypeError(f"target_weights[{i}] = {t!r} is not a number")
    targets = [float(t) for t in values]
    if len(targets) != k:
        raise ValueError(f"target_weights has {len(targets)} entries for k = {k} blocks")
    if any(not (t >= 0 and math.isfinite(t)) for t in targets):
        raise ValueError(f"target_weights must be finite and non-negative, got {values}")
    s = math.fsum(targets)
    if math.isclose(s, total, rel_tol=1e-9, abs_tol=1e-12):
        return targets
    if math.isclose(s, 1.0, rel_tol=1e-9):
        return [t * total for t in targets]
    raise ValueError(
        f"target_weights sum to {s}, but must sum to the total node weight {total} "
        "(absolute weights) or to 1 (fractions)"
    )


def balance_bound(eps, target, k, total, integral, uniform):
    """Largest weight a block may have: ``(1 + eps) * ceil(total / k)``
    (uniform targets, integer weights), ``(1 + eps) * total / k`` (floats)
    or ``(1 + eps) * target``; floored for integer node weights.

    The bound is clamped to ``total``: no block can weigh more, and a huge
    ``eps`` (1e308) must not overflow."""
    if uniform:
        base = math.ceil(total / k) if integral and k else (total / k if k else total)
    else:
        base = target
    bound = (1 + eps) * base
    if not math.isfinite(bound) or bound >= total:
        return int(total) if integral else float(total)
    # a tiny slack absorbs rounding of (1 + eps) * target before flooring
    return math.floor(bound + 1e-9) if integral else bound


def block_bounds(eps, targets, k, total, integral, uniform):
    """:func:`balance_bound` of every block."""
    return [balance_bound(eps, t, k, total, integral, uniform) for t in targets]


# --------------------------------------------------------------------------
# weights
# --------------------------------------------------------------------------
def node_weight_values(node_weight, nodes):
    """Node weights in node order from a sequence (node order) or a dict
    keyed by node.  Sets (no order) and strings are refused."""
    nodes = list(nodes)
    if isinstance(node_weight, (str, bytes)):
        raise TypeError(f"node_weight={node_weight!r}: a string names a node attribute, "
                        "which only NetworkX graphs have")
    if isinstance(node_weight, (Set, frozenset)):
        raise TypeError(
            "node_weight is a set, which has no order: pass a sequence in node order or "
            "a dict node -> weight"
        )
    if isinstance(node_weight, Mapping):
        missing = [u for u in nodes if u not in node_weight]
        if missing:
            raise ValueError(f"node_weight has no weight for node {missing[0]!r}")
        if len(node_weight) != len(nodes):
            index = set(nodes)
            extra = next(u for u in node_weight if u not in index)
            raise ValueError(f"node_weight has a weight for {extra!r}, which is not a node")
        return [node_weight[u] for u in nodes]
    if isinstance(node_weight, np.ndarray):
        if node_weight.ndim != 1:
            raise ValueError(f"node weights must be one-dimensional, got shape {node_weight.shape}")
        values = node_weight
    else:
        try:
            values = list(node_weight)
        except TypeError:
            raise TypeError(
                f"node_weight must be an attribute name, a sequence or a dict, got "
                f"{type(node_weight).__name__}"
            ) from None
    if len(values) != len(nodes):
        raise ValueError(f"node_weight has {len(values)} values for {len(nodes)} nodes")
    return values


def node_weight_array(values, labels):
    """Validated int64 (all integral) or float64 node weights; TypeError
    naming the node of a non-number (strings and None included),
    ValueError for a negative / NaN / infinite one or a sum out of range."""
    labels = list(labels)
    if isinstance(values, np.ndarray) and values.dtype.kind in "biuf":
        arr = values
    else:
        values = list(values)
        for u, x in zip(labels, values):
            if not (is_real(x) or isinstance(x, (bool, np.bool_))):
                raise TypeError(f"node {u!r} has weight {x!r}: node weights must be real numbers")
        if any(isinstance(x, int) and not -(2**63) <= x < 2**63 for x in values):
            i = next(i for i, x in enumerate(values) if isinstance(x, int) and not -(2**63) <= x < 2**63)
            if values[i] < 0:
                raise ValueError(
                    f"node {labels[i]!r} has weight {values[i]!r}: node weights must be "
                    "finite and non-negative"
                )
            raise ValueError(limit_message("node", f"node {labels[i]!r} weighs {values[i]}"))
        arr = np.asarray(values) if values else np.zeros(0, np.int64)
        if arr.dtype.kind not in "biuf":
            arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError("node weights must be one-dimensional")
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    if arr.dtype.kind in "iu":
        bad = arr < 0
    else:
        arr = arr.astype(np.float64, copy=False)
        bad = ~(np.isfinite(arr) & (arr >= 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"node {labels[i]!r} has weight {arr[i].item()!r}: node weights must be "
            "finite and non-negative"
        )
    check_weight_sum(arr, "node")
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    return integral_or_float(arr)


_EXACT_FLOAT_INT = 2.0**53


def integral_or_float(w):
    """int64 when every (float) weight is an exactly representable integer."""
    if w.size == 0:
        return w.astype(np.int64)
    if w.max() < _EXACT_FLOAT_INT and np.array_equal(w, np.floor(w)):
        if _exact_sum(w.astype(np.int64)) <= WEIGHT_LIMIT:
            return w.astype(np.int64)
    return w


def _exact_sum(arr):
    """Exact sum (a Python int) of a non-negative integer array, without
    int64 wrap-around."""
    if arr.size == 0:
        return 0
    if arr.dtype == np.uint64:
        hi = (arr >> np.uint64(32)).astype(np.int64)
        lo = (arr & np.uint64(0xFFFFFFFF)).astype(np.int64)
    else:
        arr = arr.astype(np.int64, copy=False)
        mx = int(arr.max())
        if mx <= 0 or arr.shape[0] <= (2**63 - 1) // mx:
            return int(arr.sum())
        hi = arr >> 32
        lo = arr & 0xFFFFFFFF
    return (int(hi.sum()) << 32) + int(lo.sum())


def limit_message(kind, detail):
    """The message for a ``kind`` ("node" or "edge") weight total beyond
    what the kernels' accumulators hold; ``detail`` names the culprit."""
    if kind == "edge":
        limit = (
            f"accepts edge weight totals up to 2**61 (every edge is stored twice, and that "
            f"sum must stay within 2**62 = {WEIGHT_LIMIT})"
        )
    else:
        limit = f"accepts {kind} weight totals up to 2**62 = {WEIGHT_LIMIT}"
    return (
        f"{kind} weights out of range: {detail}; klpart sums integer weights in int64 and "
        f"{limit} (scale the weights down, or pass them as floats)"
    )


def check_weight_sum(arr, kind, stored_twice=False):
    """ValueError when the weights of ``arr`` (non-negative, int or float)
    sum past the representable range.

    ``kind`` is "edge" or "node" (for the message); ``stored_twice`` says
    that ``arr`` holds every undirected edge twice (CSR entries), so the
    reported total is half the sum."""
    if arr.size == 0:
        return
    if arr.dtype.kind in "iu":
        total = _exact_sum(arr)
        if total > WEIGHT_LIMIT:
            shown = total // 2 if stored_twice else total
            what = "entries of the adjacency (each edge twice)" if stored_twice else "weights"
            raise ValueError(limit_message(kind, f"the {what} sum to {total} (total {shown})"))
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            total = float(np.sum(arr, dtype=np.float64))
        if not (math.isfinite(total) and total <= FLOAT_LIMIT):
            raise ValueError(
                f"{kind} weights out of range: their sum is not finite in float64 "
                f"(limit {FLOAT_LIMIT:g}); scale the weights down"
            )


# --------------------------------------------------------------------------
# partitions
# --------------------------------------------------------------------------
def check_labels(labels, n, k=None, name="labels"):
    """Block ids as int64: one-dimensional, ``n`` entries, integral,
    non-negative and below ``k`` (or below ``max(n, MAX_BLOCKS)``).

    Examples
    --------
    >>> from klpart._check import check_labels
    >>> check_labels([0, 1, 1], 3, 2).tolist()
    [0, 1, 1]
    >>> check_labels([0, 2], 2, 2)
    Traceback (most recent call last):
    ...
    ValueError: labels[1] = 2 is not below k = 2
    """
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} entries for a graph of {n} nodes")
    if arr.dtype.kind == "f":
        bad = ~(np.isfinite(arr) & (arr == np.floor(arr)))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"{name}[{i}] = {arr[i].item()!r} is not an integer block id")
    elif arr.dtype.kind not in "biu":
        raise TypeError(f"{name} must be integer block ids, got dtype {arr.dtype}")
    if arr.size and arr.min() < 0:
        i = int(np.flatnonzero(arr < 0)[0])
        raise ValueError(f"{name}[{i}] = {arr[i].item()!r} is negative")
    limit = check_block_count(k, n) if k is not None else max(n, MAX_BLOCKS)
    if arr.size and arr.max() >= limit:
        i = int(np.flatnonzero(arr >= limit)[0])
        if k is not None:
            raise ValueError(f"{name}[{i}] = {arr[i].item()!r} is not below k = {k}")
        raise ValueError(
            f"{name}[{i}] = {arr[i].item()!r} is too large a block id for a graph of {n} "
            f"nodes (limit {limit})"
        )
    return arr.astype(np.int64)


# --------------------------------------------------------------------------
# configuration
# --------------------------------------------------------------------------
_CHOICES = {
    "coarsening.algorithm": ("matching", "clustering"),
    "coarsening.rating": ("expansion", "weight"),
    "refinement.algorithm": ("fm", "kl"),
}
_NON_NEGATIVE_INTS = {
    "vcycles",
    "restarts",
    "coarsening.lp_iterations",
    "coarsening.contraction_limit",
    "coarsening.kway_contraction_limit",
    "initial.tries",
    "initial.fm_passes",
    "initial.stall_limit",
    "refinement.max_passes",
    "refinement.stall_limit",
    "refinement.coarse_stall_limit",
    "refinement.local_rounds",
    "refinement.local_stall_limit",
    "refinement.flow_rounds",
    "refinement.kway_flow_rounds",
    "refinement.pieces_flow_rounds",
    "refinement.flow_depth",
}
_POSITIVE = {"restarts", "initial.tries"}


def check_config(cfg, prefix=""):
    """Check the fields of a config dataclass (``PartitionConfig`` or one
    of its phases): strings against their allowed values, counts
    non-negative integers; ValueError / TypeError naming the field.

    Examples
    --------
    >>> from klpart.config import CoarseningConfig
    >>> from klpart._check import check_config
    >>> check_config(CoarseningConfig(), "coarsening")  # doctest: +SKIP
    >>> CoarseningConfig(algorithm="bogus")
    Traceback (most recent call last):
    ...
    ValueError: coarsening.algorithm = 'bogus' is not one of 'matching', 'clustering'
    """
    import dataclasses

    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        key = f"{prefix}.{f.name}" if prefix else f.name
        if dataclasses.is_dataclass(value):
            continue  # checked by its own __post_init__
        if key in _CHOICES:
            if value not in _CHOICES[key]:
                allowed = ", ".join(repr(c) for c in _CHOICES[key])
                raise ValueError(f"{key} = {value!r} is not one of {allowed}")
        elif key in _NON_NEGATIVE_INTS:
            if not _is_int(value):
                raise TypeError(f"{key} must be an integer, got {value!r}")
            low = 1 if key in _POSITIVE else 0
            if value < low:
                raise ValueError(f"{key} must be at least {low}, got {value}")
        elif isinstance(value, float) or f.type in ("float", float):
            if not is_real(value) or not math.isfinite(value) or value < 0:
                raise ValueError(f"{key} must be a finite number >= 0, got {value!r}")


# --------------------------------------------------------------------------
# constraints (partition's contiguous / fixed / several weights / volume)
# --------------------------------------------------------------------------
OBJECTIVES = ("cut", "volume")


def check_objective(objective):
    """``"cut"`` or ``"volume"``; ValueError listing them otherwise."""
    if objective not in OBJECTIVES:
        allowed = ", ".join(repr(o) for o in OBJECTIVES)
        raise ValueError(f"objective = {objective!r} is not one of {allowed}")
    return objective


def check_imbalances(imbalance, constraints):
    """One imbalance per balance constraint: a scalar applies to all, a
    sequence gives one each (METIS ``ubvec``)."""
    if is_real(imbalance) or constraints == 1 and not hasattr(imbalance, "__len__"):
        return [check_imbalance(imbalance)] * constraints
    if isinstance(imbalance, (str, bytes)) or not hasattr(imbalance, "__len__"):
        raise TypeError(f"imbalance must be a number or a sequence of numbers, got {imbalance!r}")
    values = list(imbalance)
    if len(values) != constraints:
        raise ValueError(f"imbalance has {len(values)} values for {constraints} balance constraints")
    return [check_imbalance(v) for v in values]


def is_weight_matrix(node_weight):
    """True when ``node_weight`` asks for several balance constraints: a
    2-D array or a list of attribute names / weight sequences."""
    if isinstance(node_weight, np.ndarray):
        return node_weight.ndim == 2
    if isinstance(node_weight, (list, tuple)) and node_weight:
        names = all(isinstance(c, str) for c in node_weight)
        columns = all(hasattr(c, "__len__") and not isinstance(c, (str, bytes)) for c in node_weight)
        return names or columns
    return False


def node_weight_matrix(node_weight, G, nodes):
    """Several balance constraints: an (n, c) float64 matrix from a list of
    node attribute names (NetworkX graphs), a sequence of c weight
    sequences, or an (n, c) array; None when ``node_weight`` gives one
    weight per node (the usual case, handled by the conversion)."""
    nodes = list(nodes)
    n = len(nodes)
    if isinstance(node_weight, np.ndarray) or (
        hasattr(node_weight, "__array__") and not isinstance(node_weight, (list, tuple))
    ):
        arr = np.asarray(node_weight)
        if arr.ndim != 2:
            return None
        if arr.shape[0] != n:
            raise ValueError(f"node_weight has {arr.shape[0]} rows for {n} nodes (expected shape ({n}, c))")
        columns = [arr[:, j] for j in range(arr.shape[1])]
    elif isinstance(node_weight, (list, tuple)) and node_weight and all(
        isinstance(c, str) or (hasattr(c, "__len__") and not isinstance(c, (str, bytes))) for c in node_weight
    ):
        columns = []
        for c in node_weight:
            if isinstance(c, str):
                data = getattr(G, "nodes", None)
                if data is None or not callable(getattr(G, "is_directed", None)):
                    raise TypeError(f"node_weight names the attribute {c!r}, which only NetworkX graphs have")
                columns.append([G.nodes[u].get(c, 1) for u in nodes])
            else:
                columns.append(c)
    else:
        return None
    if not columns:
        raise ValueError("node_weight gives no balance constraint")
    out = np.empty((n, len(columns)), np.float64)
    for j, col in enumerate(columns):
        out[:, j] = node_weight_array(node_weight_values(col, nodes), nodes)
    return out


def node_size_array(node_size, G, nodes):
    """Per-node data sizes (METIS ``vsize``) as float64: unit sizes for
    None, an attribute name (NetworkX), a sequence or a dict."""
    nodes = list(nodes)
    if node_size is None:
        return np.ones(len(nodes), np.float64)
    if isinstance(node_size, str):
        if not callable(getattr(G, "is_directed", None)):
            raise TypeError(f"node_size={node_size!r} names an attribute, which only NetworkX graphs have")
        values = [G.nodes[u].get(node_size, 1) for u in nodes]
    else:
        values = node_weight_values(node_size, nodes)
    return node_weight_array(values, nodes).astype(np.float64)


def check_fixed(fixed, nodes, k):
    """Pinned blocks as int64 (-1 free) from a dict node -> block or a
    sequence in node order with -1 (or None) for free nodes."""
    nodes = list(nodes)
    n = len(nodes)
    if isinstance(fixed, Mapping):
        index = {u: i for i, u in enumerate(nodes)}
        out = np.full(n, -1, np.int64)
        for u, b in fixed.items():
            if u not in index:
                raise ValueError(f"fixed pins {u!r}, which is not a node of the graph")
            if not _is_int(b):
                raise TypeError(f"fixed[{u!r}] = {b!r} is not an integer block id")
            if not 0 <= b < k:
                raise ValueError(f"fixed[{u!r}] = {b} is not a block id 0..{k - 1}")
            out[index[u]] = int(b)
        return out
    if isinstance(fixed, (str, bytes, Set)) or not hasattr(fixed, "__len__"):
        raise TypeError(f"fixed must be a dict node -> block or a sequence in node order, got {type(fixed).__name__}")
    values = [-1 if b is None else b for b in fixed] if not isinstance(fixed, np.ndarray) else fixed
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"fixed has shape {arr.shape} for a graph of {n} nodes (expected ({n},))")
    if arr.dtype.kind not in "iu":
        if arr.dtype.kind == "f" and np.all(np.isfinite(arr) & (arr == np.floor(arr))):
            arr = arr.astype(np.int64)
        else:
            raise TypeError(f"fixed must hold integer block ids (-1 for free), got dtype {arr.dtype}")
    bad = (arr < -1) | (arr >= k)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"fixed[{i}] = {arr[i].item()} is not a block id 0..{k - 1} or -1 (free)")
    return arr.astype(np.int64)
