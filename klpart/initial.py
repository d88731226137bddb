"""Initial bisection of the coarsest graph."""

__all__ = ["initial_bisection"]


def initial_bisection(graph, max_weight, target, config, state):
    """Best of ``config.tries`` grown-and-refined bisections of ``graph``.

    Greedy graph growing (start from a random node, add the node of best
    gain) alternates with breadth-first growing; each try is refined by FM
    and the lexicographically best (overweight, cut) is kept.

    Returns
    -------
    ndarray of int8
        Side (0/1) of every node.
    """
    from ._kernels.fm import initial_bisection as kernel

    return kernel(
        graph.indptr,
        graph.indices,
        graph.edge_weights,
        graph.node_weights,
        max_weight,
        target,
        max(int(config.tries), 1),
        int(config.fm_passes),
        int(config.stall_limit),
        state,
    )
