"""Block sums of :mod:`klpart.metrics`: one call of the summary kernel per
metric, and the formulas every metric builds on those sums.

:func:`partition_sums`, :func:`internal_weights_of`, :func:`volumes_of` and
:func:`modularity_sum` are public building blocks, re-exported by
:mod:`klpart.metrics` (not in its ``__all__``): :mod:`klpart.nx_metrics`
builds NetworkX's arithmetic on them.  The other names here serve the
modules of :mod:`klpart.metrics` only."""

import numpy as np

__all__ = []

NAN = float("nan")


def partition_sums(g, part, k, detail):
    """Every per-block sum of a partition, from one pass of a compiled kernel.

    Parameters
    ----------
    g : CSRGraph
    part : ndarray of int64
        Block of each row, in ``[0, k)`` (see :func:`partition_labels`).
    k : int
        Number of blocks.
    detail : bool
        Also count boundary nodes, communication volume and components
        (costs a union-find); zeros otherwise.

    Returns
    -------
    dict of str to ndarray or int
        Per block (arrays of length ``k``): ``"size"`` (nodes),
        ``"node_weight"``, ``"internal"`` (twice the internal edge weight:
        stored entries with both ends in the block, self-loops excluded),
        ``"external"`` (the block's cut), ``"loop"`` (self-loop weight),
        ``"boundary"``, ``"comm"``, ``"components"``; and the totals
        ``"loop_nodes"`` (nodes with a self-loop) and ``"cut_entries"``
        (twice the number of cut edges).

    Examples
    --------
    >>> import numpy as np
    >>> from klpart import as_csr_graph, metrics
    >>> import networkx as nx
    >>> g = as_csr_graph(nx.path_graph(4))
    >>> s = metrics.partition_sums(g, np.array([0, 0, 1, 1]), 2, detail=False)
    >>> s["size"].tolist(), s["internal"].tolist(), s["external"].tolist(), int(s["cut_entries"])
    ([2, 2], [2, 2], [1, 1], 2)
    """
    from .._kernels.metrics import partition_summary

    loops = g.loop_weights
    if loops is None:
        loops = np.zeros(0, g.edge_weights.dtype)
    out = partition_summary(
        g.indptr, g.indices, g.edge_weights, loops, g.node_weights, part, k, detail
    )
    names = (
        "size",
        "node_weight",
        "internal",
        "external",
        "loop",
        "loop_nodes",
        "cut_entries",
        "boundary",
        "comm",
        "components",
    )
    return dict(zip(names, out))


def halve(x):
    """Half of a sum of directed entries (exact for integers)."""
    return x // 2 if isinstance(x, int) else x / 2


def internal_weights_of(s):
    """Per-block internal edge weight, self-loops counted once.

    Parameters
    ----------
    s : dict
        Block sums from :func:`partition_sums`.

    Returns
    -------
    list
        Python ints (integer weights) or floats, block 0 first.

    Examples
    --------
    >>> import numpy as np, networkx as nx
    >>> from klpart import as_csr_graph, metrics
    >>> G = nx.path_graph(4)
    >>> G.add_edge(3, 3, weight=5)
    >>> s = metrics.partition_sums(as_csr_graph(G), np.array([0, 0, 1, 1]), 2, False)
    >>> metrics.internal_weights_of(s)
    [1, 6]
    """
    internal = s["internal"]
    half = internal // 2 if internal.dtype.kind in "iu" else internal / 2
    return (half + s["loop"]).tolist()


def volumes_of(s):
    """Per-block volume as NetworkX's ``volume``: the sum of the block's
    weighted degrees, self-loops counted twice.

    Parameters
    ----------
    s : dict
        Block sums from :func:`partition_sums`.

    Returns
    -------
    list
        Python ints (integer weights) or floats, block 0 first.

    Examples
    --------
    >>> import numpy as np, networkx as nx
    >>> from klpart import as_csr_graph, metrics
    >>> G = nx.path_graph(4)
    >>> G.add_edge(3, 3, weight=5)
    >>> s = metrics.partition_sums(as_csr_graph(G), np.array([0, 0, 1, 1]), 2, False)
    >>> metrics.volumes_of(s), nx.volume(G, {2, 3}, weight="weight")
    ([3, 13], 13)
    """
    return (s["internal"] + s["external"] + 2 * s["loop"]).tolist()


def modularity_sum(internal, volumes, resolution, strict):
    """NetworkX's modularity formula, term by term in the same order.

    With integral weights the block sums are the same Python integers
    NetworkX computes, so the result is bit-identical.

    Parameters
    ----------
    internal, volumes : list
        Per-block internal weights and volumes (:func:`internal_weights_of`,
        :func:`volumes_of`).
    resolution : float
    strict : bool
        For a graph without edge weight: raise ``ZeroDivisionError`` (as
        NetworkX) instead of returning nan.

    Returns
    -------
    float

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.modularity_sum([3, 3], [7, 7], 1, strict=True)
    0.35714285714285715
    >>> nx.community.modularity(nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}])
    0.35714285714285715
    """
    deg_sum = sum(volumes)
    if deg_sum == 0 and not strict:
        return NAN
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    return sum(L_c / m - resolution * d * d * norm for L_c, d in zip(internal, volumes))


def performance_of(s, n, num_entries, multigraph):
    """NetworkX's performance: (intra-block edges + inter-block non-edges) /
    node pairs, self-loops counting as intra-block edges."""
    if multigraph or n < 2:
        return NAN
    cut_edges = int(s["cut_entries"]) // 2
    intra = (num_entries // 2 - cut_edges) + int(s["loop_nodes"])
    sizes = s["size"].tolist()
    possible_inter = (n * n - sum(x * x for x in sizes)) // 2
    return (intra + possible_inter - cut_edges) / (n * (n - 1) // 2)


def ratio(num, den):
    return num / den if den else NAN


def imbalance_of(bweights, k):
    total = sum(bweights)
    if k == 0 or total == 0:
        return NAN
    return max(bweights) / (total / k) - 1


def normalized_cut_of(block_cuts, volumes):
    # a block of zero volume has no cut either; it contributes nothing
    return float(sum(c / v for c, v in zip(block_cuts, volumes) if v))


# --------------------------------------------------------------------------
# Metrics from block sums, shared by quality.py and reporting.py
# --------------------------------------------------------------------------
def cut_of(s):
    return halve(s["external"].sum().item())


def kl_quality_of(s):
    return sum(internal_weights_of(s)) - cut_of(s)


def coverage_of(s):
    internal = sum(internal_weights_of(s))
    return ratio(internal, internal + cut_of(s))


def conductance_of(s):
    volumes = volumes_of(s)
    total = sum(volumes)
    return [ratio(c, min(v, total - v)) for c, v in zip(s["external"].tolist(), volumes)]


def expansion_of(s, n):
    return [ratio(c, min(x, n - x)) for c, x in zip(s["external"].tolist(), s["size"].tolist())]
