"""Block sums of :mod:`klpart.metrics`: one call of the summary kernel per
metric, and the formulas every metric builds on those sums (shared with
:mod:`klpart.nx_metrics`, which must reproduce NetworkX's arithmetic)."""

import numpy as np

__all__ = []

_NAN = float("nan")


def _summary(g, part, k, detail):
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


def _halve(x):
    """Half of a sum of directed entries (exact for integers)."""
    return x // 2 if isinstance(x, int) else x / 2


def _internal_weights(s):
    """Per-block internal weight, self-loops counted once (list)."""
    internal = s["internal"]
    half = internal // 2 if internal.dtype.kind in "iu" else internal / 2
    return (half + s["loop"]).tolist()


def _volumes(s):
    """Per-block volume as NetworkX's ``volume``: degrees with self-loops
    counted twice (list)."""
    return (s["internal"] + s["external"] + 2 * s["loop"]).tolist()


def _modularity_sum(internal, volumes, resolution, strict):
    """NetworkX's modularity formula, term by term in the same order.

    With integral weights the block sums are the same Python integers
    NetworkX computes, so the result is bit-identical.  ``strict``: raise
    ZeroDivisionError (as NetworkX) instead of returning nan for a graph
    without edge weight.
    """
    deg_sum = sum(volumes)
    if deg_sum == 0 and not strict:
        return _NAN
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    return sum(L_c / m - resolution * d * d * norm for L_c, d in zip(internal, volumes))


def _performance(s, n, num_entries, multigraph):
    """NetworkX's performance: (intra-block edges + inter-block non-edges) /
    node pairs, self-loops counting as intra-block edges."""
    if multigraph or n < 2:
        return _NAN
    cut_edges = int(s["cut_entries"]) // 2
    intra = (num_entries // 2 - cut_edges) + int(s["loop_nodes"])
    sizes = s["size"].tolist()
    possible_inter = (n * n - sum(x * x for x in sizes)) // 2
    return (intra + possible_inter - cut_edges) / (n * (n - 1) // 2)


def _ratio(num, den):
    return num / den if den else _NAN


def _imbalance(bweights, k):
    total = sum(bweights)
    if k == 0 or total == 0:
        return _NAN
    return max(bweights) / (total / k) - 1


def _normalized_cut(block_cuts, volumes):
    # a block of zero volume has no cut either; it contributes nothing
    return float(sum(c / v for c, v in zip(block_cuts, volumes) if v))
