"""Initial partition of the coarsest graph.

Two blocks: the best of several grown-and-refined bisections (greedy graph
growing alternating with breadth-first growing, each refined by FM; kernel
:func:`klpart._kernels.fm.initial_bisection`).  More blocks: recursive
bisection, each split a multilevel bisection of its own.
"""

import math
from dataclasses import replace

import numpy as np

__all__ = ["initial_partition", "recursive_bisection"]


def initial_partition(graph, k, targets, max_block_weights, imbalance, config, state):
    """Labels 0..k-1 (int64) of the coarsest ``graph``.

    Parameters
    ----------
    graph : CSRGraph
    k : int
    targets, max_block_weights : ndarray of float64, shape (k,)
        Ideal and largest allowed weight of each block.
    imbalance : float
        The relative imbalance behind ``max_block_weights``; recursive
        bisection spreads it over its levels.
    config : PartitionConfig
    state : ndarray
        The kernels' RNG state.
    """
    if k == 2:
        from .._kernels.fm import initial_bisection

        ini = config.initial
        return initial_bisection(
            graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, max_block_weights, targets,
            max(int(ini.tries), 1), int(ini.fm_passes), int(ini.stall_limit), state,
        )
    # the k-way passes refine the whole hierarchy afterwards: the bisections
    # skip restarts, V-cycles and the input-graph polish (localized FM, flows);
    # their FM keeps its full stall limit (a shorter one on their coarse
    # levels cost 0.65% of the k=16 cut for 6% of the time); they coarsen
    # as far as the k-way graph did
    split_config = replace(
        config, restarts=1, vcycles=0,
        coarsening=replace(config.coarsening, contraction_limit=config.coarsening.kway_contraction_limit),
        refinement=replace(config.refinement, local_rounds=0, flow_rounds=0, coarse_stall_limit=0),
    )
    return recursive_bisection(graph, k, targets, imbalance, split_config, state)


def recursive_bisection(graph, k, targets, imbalance, config, state):
    """Labels 0..k-1 (int64) by recursive multilevel bisection.

    Blocks ``0 .. k//2 - 1`` go to one side and the rest to the other, with
    side targets the sums of their blocks' targets.  The imbalance budget is
    spread over the ``ceil(log2 k)`` levels of the recursion, and what a
    level leaves unused passes on to the next.
    """
    labels = np.empty(graph.num_nodes, np.int64)
    _split(graph, np.arange(graph.num_nodes), 0, [float(t) for t in targets], imbalance, config, state, labels)
    return labels


def _split(graph, ids, offset, targets, imbalance, config, state, labels):
    from .._kernels.kway import induced_subgraph
    from ..graph import CSRGraph
    from .cycle import multilevel_partition

    k = len(targets)
    if k == 1 or graph.num_nodes == 0:
        # (an empty side: zero-weight nodes or zero targets can leave one)
        labels[ids] = offset
        return
    k1 = k // 2
    halves = (targets[:k1], targets[k1:])
    side_targets = np.array([sum(halves[0]), sum(halves[1])], np.float64)
    levels = max(math.ceil(math.log2(k)), 1)
    eps = (1 + imbalance) ** (1 / levels) - 1
    side = multilevel_partition(graph, 2, side_targets, (1 + eps) * side_targets, eps, config, state)
    for s in (0, 1):
        members = np.flatnonzero(side == s)
        block_targets = halves[s]
        first = offset if s == 0 else offset + k1
        if len(block_targets) == 1:
            labels[ids[members]] = first
            continue
        sub = CSRGraph(
            *induced_subgraph(graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, members),
            validate=False,
        )
        # the side got `weight`, not exactly its target: its blocks share the
        # difference, and the remaining budget is what keeps them in bounds
        weight = float(sub.node_weights.sum())
        goal = sum(block_targets)
        scale = weight / goal if goal > 0 else 1.0
        remaining = max((1 + imbalance) / max(scale, 1e-300) - 1, 0.0)
        _split(sub, ids[members], first, [t * scale for t in block_targets], remaining, config, state, labels)
