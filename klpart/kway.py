"""k-way partitioning for any k.

Multilevel k-way scheme: coarsen the whole graph to about
``contraction_limit * k`` nodes, partition the coarsest graph by recursive
multilevel bisection, then project level by level refining with k-way FM.
"""

import math
from dataclasses import replace

import numpy as np

from .coarsening import coarsen
from .graph import CSRGraph
from .multilevel import bisect, record_level, restart_config
from .refinement import local_fm_refine

__all__ = ["kway_partition", "recursive_bisection", "kway_refine"]


def kway_partition(graph, k, targets, bounds, imbalance, config, state, history=None):
    """Labels 0..k-1 (int64) by multilevel k-way partitioning.

    Parameters
    ----------
    graph : CSRGraph
    k : int
    targets, bounds : sequence of float
        Ideal and largest allowed weight of each block.
    imbalance : float
        The relative imbalance behind ``bounds`` (spread over the recursive
        bisection of the coarsest graph).
    config : PartitionConfig
    state : ndarray
        The kernels' RNG state.
    history : list, optional
        Per-level records (cycle, level, nodes, edges, cut).
    """
    bounds = np.asarray(bounds, np.float64)
    best = None
    for restart in range(max(config.restarts, 1)):
        cycle = restart * (config.vcycles + 1)
        run = restart_config(config, restart)
        labels, cut = _cycle(graph, k, targets, bounds, imbalance, run, state, history, cycle)
        for extra in range(config.vcycles):
            labels, cut = _cycle(graph, k, targets, bounds, imbalance, run, state, history, cycle + 1 + extra, labels)
        key = (_overweight(graph, labels, k, bounds), cut)
        if best is None or key < best[0]:
            best = (key, labels)
    return best[1]


def _cycle(graph, k, targets, bounds, imbalance, config, state, history, cycle, labels=None):
    limit = config.coarsening.contraction_limit * k
    levels, coarsest, coarse_labels = coarsen(graph, config.coarsening, state, limit, group=labels)
    if labels is None:
        # the k-way passes refine the whole hierarchy afterwards: the
        # bisections of the coarsest graph skip restarts, V-cycles and the
        # input-graph polish (localized searches, flows)
        initial = replace(
            config,
            restarts=1,
            vcycles=0,
            refinement=replace(config.refinement, local_rounds=0, flow_rounds=0),
        )
        coarse_labels = recursive_bisection(coarsest, k, targets, imbalance, initial, state)
    passes = []
    cut = kway_refine(coarsest, coarse_labels, k, bounds, config.refinement, state, not levels, passes)
    record_level(history, cycle, len(levels), coarsest, cut, passes)
    for depth in range(len(levels) - 1, -1, -1):
        fine, cmap = levels[depth]
        coarse_labels = coarse_labels[cmap]
        passes = []
        cut = kway_refine(fine, coarse_labels, k, bounds, config.refinement, state, depth == 0, passes)
        record_level(history, cycle, depth, fine, cut, passes)
    return coarse_labels, cut


def kway_refine(graph, labels, k, bounds, config, state, finest=False, passes=None):
    """k-way FM on ``labels`` in place (after a balancing step when a block
    is over its bound), then on the input graph (``finest``) localized FM
    searches; returns the cut.  ``passes`` (a list) receives the cut after
    each k-way FM pass."""
    from ._kernels.kway import kway_balance, kway_fm

    args = (graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, labels, k, bounds)
    if _overweight(graph, labels, k, bounds) > 0:
        kway_balance(*args)
    pass_cuts = np.full(config.max_passes if passes is not None else 0, np.nan)
    cut = kway_fm(*args, config.max_passes, config.stall_limit, state, pass_cuts)
    if passes is not None:
        passes.extend(pass_cuts[~np.isnan(pass_cuts)].tolist())
    if finest:
        cut = local_fm_refine(graph, labels, k, bounds, config, state)
    return cut


def _overweight(graph, labels, k, bounds):
    weights = np.bincount(labels, weights=graph.node_weights, minlength=k)
    return float(np.maximum(weights - bounds, 0).sum())


def recursive_bisection(graph, k, targets, imbalance, config, state):
    """Labels 0..k-1 by recursive multilevel bisection.

    Blocks ``0 .. k//2 - 1`` go to one side and the rest to the other, with
    side targets the sums of their blocks' targets.  The imbalance budget is
    spread over the ``ceil(log2 k)`` levels of the recursion, and what a
    level leaves unused passes on to the next.
    """
    labels = np.empty(graph.num_nodes, np.int64)
    _split(graph, np.arange(graph.num_nodes), 0, [float(t) for t in targets], imbalance, config, state, labels)
    return labels


def _split(graph, ids, offset, targets, imbalance, config, state, labels):
    from ._kernels.kway import induced_subgraph

    k = len(targets)
    if k == 1:
        labels[ids] = offset
        return
    k1 = k // 2
    halves = (targets[:k1], targets[k1:])
    side_targets = np.array([sum(halves[0]), sum(halves[1])], np.float64)
    levels = max(math.ceil(math.log2(k)), 1)
    eps = (1 + imbalance) ** (1 / levels) - 1
    side, _ = bisect(graph, (1 + eps) * side_targets, side_targets, config, state)
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
