"""k-way partitioning: recursive bisection with target weights."""

import math

import numpy as np

from .graph import CSRGraph
from .multilevel import bisect

__all__ = ["recursive_bisection"]


def recursive_bisection(graph, k, targets, imbalance, config, state, history=None):
    """Labels 0..k-1 by recursive multilevel bisection.

    Blocks ``0 .. k//2 - 1`` go to one side and the rest to the other, with
    side targets the sums of their blocks' targets.  The imbalance budget is
    split over the ``ceil(log2 k)`` levels of the recursion:
    ``(1 + e)^levels = 1 + imbalance``, so blocks end within the bound.
    """
    labels = np.empty(graph.num_nodes, np.int64)
    depth = max(math.ceil(math.log2(k)), 1)
    _split(graph, np.arange(graph.num_nodes), 0, list(targets), imbalance, depth, config, state, labels, history)
    return labels


def _split(graph, ids, offset, targets, imbalance, depth, config, state, labels, history):
    from ._kernels.kway import induced_subgraph

    k = len(targets)
    if k == 1:
        labels[ids] = offset
        return
    k1 = k // 2
    side_targets = np.array([sum(targets[:k1]), sum(targets[k1:])], np.float64)
    # spread what is left of the budget over the remaining levels
    levels = max(math.ceil(math.log2(k)), 1)
    eps = (1 + imbalance) ** (1 / levels) - 1
    max_weight = (1 + eps) * side_targets
    side, _ = bisect(graph, max_weight, side_targets, config, state, history if offset == 0 and k1 == k // 2 and depth == levels else None)
    for s, (first, block_targets) in enumerate(((offset, targets[:k1]), (offset + k1, targets[k1:]))):
        members = np.flatnonzero(side == s)
        if len(block_targets) == 1:
            labels[ids[members]] = first
            continue
        sub = CSRGraph(*induced_subgraph(graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, members), validate=False)
        weight = float(sub.node_weights.sum())
        scale = weight / sum(block_targets) if sum(block_targets) > 0 else 1.0
        # the budget already used at this level is carried by the actual weight
        remaining = (1 + imbalance) / max(scale, 1e-300) - 1
        _split(sub, ids[members], first, [t * scale for t in block_targets], max(remaining, 0.0), depth, config, state, labels, history)
