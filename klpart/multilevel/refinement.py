"""Refinement: improve the labels of one level, chosen by the config.

* :func:`refine_level` - what the cycle calls at every level: two-way FM for
  bisections, a balancing step and k-way FM otherwise
  (:mod:`klpart._kernels.fm`, :mod:`klpart._kernels.kway`);
* :func:`local_fm_refine` - many short localized FM searches (any k), on the
  input graph after the global passes;
* :func:`flow_refine` - bisections only: minimum cuts in a corridor around
  the cut (max-flow, :mod:`klpart._kernels.flow`);
* :func:`pairwise_flow_refine` - k > 2: the same between every two adjacent
  blocks, heaviest cut first;
* :func:`flow_step` - the one of the two that fits k.

Labels are int64 block ids everywhere (0/1 for a bisection), updated in
place; ``max_block_weights`` is the balance bound of each block, the same
name from :func:`klpart.partition` down to the kernels.
"""

import numpy as np

__all__ = ["refine_level", "local_fm_refine", "flow_refine", "pairwise_flow_refine", "flow_step", "overweight",
           "two_way_stall_limit"]


def overweight(graph, labels, k, max_block_weights):
    """Total weight by which blocks exceed their bounds (0 when balanced)."""
    weights = np.bincount(labels, weights=graph.node_weights, minlength=k)
    return float(np.maximum(weights - max_block_weights, 0).sum())


def two_way_stall_limit(config, n):
    """The two-way FM stall limit of a level with ``n`` nodes (see
    ``RefinementConfig.coarse_stall_limit``)."""
    if config.coarse_stall_limit <= 0:
        return config.stall_limit
    return min(config.stall_limit, max(config.coarse_stall_limit, n // 100))


def refine_level(graph, labels, k, max_block_weights, targets, config, state, passes=None):
    """Global refinement of one level; returns the cut.

    Parameters
    ----------
    graph : CSRGraph
    labels : ndarray of int64
        Block of every node, updated in place.
    k : int
    max_block_weights, targets : ndarray of float64, shape (k,)
        Largest allowed and ideal weight of each block.
    config : RefinementConfig
    state : ndarray
        The kernels' RNG state.
    passes : list, optional
        Receives the cut after each FM pass.
    """
    pass_cuts = np.full(config.max_passes if passes is not None else 0, np.nan)
    if k == 2:
        from .._kernels.fm import fm_refine

        if config.algorithm == "kl":
            # KL keeps node counts, not weights: FM below restores balance and polishes
            from ..kl import kl_refine

            side = labels.astype(np.int8)
            kl_refine(graph.indptr, graph.indices, graph.edge_weights, side, config.max_passes)
            labels[:] = side
        cut = fm_refine(
            graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, labels,
            max_block_weights, targets, config.max_passes, two_way_stall_limit(config, graph.num_nodes), state,
            pass_cuts,
        )
    else:
        from .._kernels.kway import kway_balance, kway_fm

        args = (graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, labels, k, max_block_weights)
        if overweight(graph, labels, k, max_block_weights) > 0:
            kway_balance(*args)
        cut = kway_fm(*args, config.max_passes, config.stall_limit, state, pass_cuts)
    if passes is not None:
        passes.extend(pass_cuts[~np.isnan(pass_cuts)].tolist())
    return cut


def local_fm_refine(graph, labels, k, max_block_weights, config, state):
    """Localized FM rounds on ``labels`` (updated in place); returns the cut.

    Seeds are boundary nodes whose best move loses at most about one edge
    (mean edge weight): searches from worse seeds rarely pay for themselves.
    """
    from .._kernels.kway import kway_cut, kway_local_fm

    if config.local_rounds <= 0:
        return kway_cut(graph.indptr, graph.indices, graph.edge_weights, labels)
    mean_weight = float(graph.edge_weights.mean()) if graph.edge_weights.size else 1.0
    return kway_local_fm(
        graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, labels, k, max_block_weights,
        config.local_rounds, config.local_stall_limit, -max(mean_weight, 1e-12), state,
    )


def flow_refine(graph, labels, max_block_weights, targets, config):
    """Flow-based improvement of a bisection (``labels`` 0/1, in place).

    Returns the cut decrease (0 when ``config.flow_rounds`` is 0).
    """
    from .._kernels.flow import flow_refine as kernel

    if config.flow_rounds <= 0:
        return 0.0
    return kernel(
        graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, labels, max_block_weights,
        targets, config.flow_rounds, float(config.flow_alpha), int(config.flow_depth),
    )


def pairwise_flow_refine(graph, labels, k, max_block_weights, targets, config, rounds=None):
    """Flow refinement between pairs of adjacent blocks (``labels`` in place).

    Moving nodes between blocks a and b changes only the weight of the a-b
    edges (an edge to a third block stays cut), so each pair is a bisection
    of the subgraph the two blocks induce, refined by :func:`flow_refine`
    within the two blocks' bounds.  Pairs go heaviest cut first (their cut
    weights as at the start).  ``rounds``: flow rounds per pair (default
    ``config.kway_flow_rounds``).  Returns the cut decrease (0 when the
    rounds are 0).
    """
    from .._kernels.flow import flow_refine as kernel
    from .._kernels.kway import induced_subgraph_with

    rounds = config.kway_flow_rounds if rounds is None else int(rounds)
    if rounds <= 0 or graph.num_edges == 0:
        return 0.0
    indptr, indices, weights = graph.indptr, graph.indices, graph.edge_weights
    n = graph.num_nodes
    tail = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    a_of, b_of = labels[tail], labels[indices]
    crossing = a_of < b_of  # each cut edge once, as (lower block, higher block)
    pair_ids, where = np.unique(a_of[crossing] * k + b_of[crossing], return_inverse=True)
    pair_cut = np.bincount(where.ravel(), weights=weights[crossing].astype(np.float64))
    by_block = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[by_block], np.arange(k + 1))
    members = [by_block[bounds[b]:bounds[b + 1]] for b in range(k)]
    local = np.full(n, -1, np.int64)
    gained = 0.0
    for idx in np.argsort(-pair_cut, kind="stable"):
        a, b = divmod(int(pair_ids[idx]), k)
        nodes = np.concatenate((members[a], members[b]))
        sub_indptr, sub_indices, sub_weights, sub_node_weights = induced_subgraph_with(
            indptr, indices, weights, graph.node_weights, nodes, local
        )
        side = np.zeros(nodes.shape[0], np.int64)
        side[members[a].shape[0]:] = 1
        gain = kernel(
            sub_indptr, sub_indices, sub_weights, sub_node_weights, side,
            np.array([max_block_weights[a], max_block_weights[b]], np.float64),
            np.array([targets[a], targets[b]], np.float64),
            rounds, float(config.flow_alpha), int(config.flow_depth),
        )
        if gain > 0:
            labels[nodes] = np.where(side == 1, b, a)
            members[a] = nodes[side == 0]
            members[b] = nodes[side == 1]
            gained += gain
    return float(gained)


def flow_step(graph, labels, k, max_block_weights, targets, config):
    """The flow step of a cycle, for any k (``labels`` in place):
    :func:`flow_refine` for a bisection (``config.flow_rounds``),
    :func:`pairwise_flow_refine` for k > 2 (``config.kway_flow_rounds``).
    Returns the cut decrease (0 when those rounds are 0)."""
    if k == 2:
        return flow_refine(graph, labels, max_block_weights, targets, config)
    return pairwise_flow_refine(graph, labels, k, max_block_weights, targets, config)
