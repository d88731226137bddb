"""Coarsening driver: matchings and contractions until the graph is small.

Each level records the fine graph and ``cmap`` (fine node -> coarse node);
uncoarsening projects a coarse labelling back with ``labels[cmap]``.
"""

import numpy as np

from ..graph import CSRGraph

__all__ = ["coarsen"]

_RATINGS = {"weight": 0, "expansion": 1}


def coarsen(graph, config, state, limit, group=None):
    """Shrink ``graph`` until it has at most ``limit`` nodes or stops shrinking.

    Parameters
    ----------
    graph : CSRGraph
    config : CoarseningConfig
    state : ndarray
        The kernels' RNG state (advanced).
    limit : int
        Target size of the coarsest graph.
    group : ndarray of int, optional
        Nodes of different groups are never merged (V-cycles pass the
        current blocks); the coarse groups are carried along.

    Returns
    -------
    levels : list of (CSRGraph, ndarray)
        ``(fine graph, cmap)`` per level, finest first.
    coarsest : CSRGraph
    coarsest_group : ndarray (dtype of group)
    """
    from .._kernels.coarsen import contract, heavy_edge_matching, label_propagation_clustering, two_hop_matching

    if config.rating not in _RATINGS:
        raise ValueError(f"unknown rating {config.rating!r}; choose one of {sorted(_RATINGS)}")
    rating = _RATINGS[config.rating]
    total = float(graph.node_weights.sum())
    max_node_weight = config.max_node_weight_factor * total / max(limit, 1)
    # no groups: the kernels take an empty array (one group for all) and skip
    # the per-edge group test; the coarse groups need not be carried then
    grouped = group is not None
    group = group if grouped else np.zeros(0, np.int64)
    levels = []
    g = graph
    while g.num_nodes > limit:
        n = g.num_nodes
        if config.algorithm == "clustering":
            cmap, nc = label_propagation_clustering(
                g.indptr, g.indices, g.edge_weights, g.node_weights, group, max_node_weight,
                config.lp_iterations, state,
            )
        else:
            cmap, nc = heavy_edge_matching(
                g.indptr, g.indices, g.edge_weights, g.node_weights, group, max_node_weight, rating, state
            )
        if config.two_hop and nc > config.min_shrink * n:
            cmap, nc = two_hop_matching(g.indptr, g.indices, g.node_weights, group, max_node_weight, cmap, nc)
        if nc > config.min_shrink * n:
            break
        indptr, indices, weights, node_weights = contract(
            g.indptr, g.indices, g.edge_weights, g.node_weights, cmap, nc
        )
        if grouped:
            coarse_group = np.empty(nc, group.dtype)
            coarse_group[cmap] = group
            group = coarse_group
        levels.append((g, cmap))
        g = CSRGraph(indptr, indices, weights, node_weights, validate=False)
    return levels, g, group if grouped else np.zeros(g.num_nodes, np.int64)
