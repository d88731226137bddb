"""Refinement drivers: choose the kernel, allocate, loop over passes.

* :func:`kl_refine` - Kernighan-Lin (KL) passes with NetworkX's pass
  structure (single-node moves alternating between the two sides, best
  prefix kept); see :mod:`klpart._kernels.kl`.
* :func:`fm_refine` - two-way Fiduccia-Mattheyses with balance constraints;
  see :mod:`klpart._kernels.fm`;
* :func:`local_fm_refine` - many short localized FM searches (any k), run
  on the input graph after the global passes; see :mod:`klpart._kernels.kway`;
* :func:`flow_refine` - minimum cuts in a corridor around a bisection's cut
  (max-flow); see :mod:`klpart._kernels.flow`.
"""

import numpy as np

__all__ = ["kl_refine", "fm_refine", "local_fm_refine", "flow_refine", "KLTieBreak"]

KLTieBreak = ("lifo", "fifo", "networkx")


def _bucket_bound(indptr, weights):
    """Gain bound for gain buckets, or -1 when a heap is the better structure.

    Buckets cost O(bound) memory and set-up per pass, so they are used for
    integer weights whose largest weighted degree is within a small multiple
    of the graph size.
    """
    from ._kernels.kl import max_weighted_degree

    if weights.dtype.kind != "i":
        return -1
    bound = int(max_weighted_degree(indptr, weights))
    n = indptr.shape[0] - 1
    return bound if 2 * bound + 1 <= 4 * n + 1024 else -1


def kl_refine(indptr, indices, weights, side, max_iter=10, tie_break="lifo", structure="auto"):
    """Run up to ``max_iter`` NetworkX-style KL passes on ``side`` in place.

    Parameters
    ----------
    indptr, indices, weights : ndarray
        CSR arrays (int64, int32, int64 or float64), no self-loops.
    side : ndarray of int8
        1 for the first set of the partition, 0 for the second; updated.
    max_iter : int
        Maximum number of passes.
    tie_break : {"lifo", "fifo", "networkx"}
        Among equal gains prefer the node updated most recently ("lifo") or
        least recently ("fifo"); "networkx" replays NetworkX's heap exactly
        (same moves, same result as ``nx.community.kernighan_lin_bisection``).
    structure : {"auto", "buckets", "heap"}
        Priority structure for "lifo" and "fifo"; "auto" takes buckets for
        integer weights.

    Returns
    -------
    ndarray
        Cut change applied by each pass run (0 for a final pass that found
        nothing to improve).
    """
    from ._kernels.kl import kl_passes

    if tie_break not in KLTieBreak:
        raise ValueError(f"tie_break must be one of {KLTieBreak}, got {tie_break!r}")
    bound = -1 if structure == "heap" else _bucket_bound(indptr, weights)
    if structure == "buckets" and bound < 0:
        raise ValueError("gain buckets need integer weights of moderate size")
    kind = 2 if tie_break == "networkx" else (0 if bound >= 0 else 1)
    max_iter = int(max_iter)
    history = np.zeros(max(max_iter, 0), weights.dtype)
    if max_iter <= 0:
        return history
    passes = kl_passes(
        indptr, indices, weights, side, max_iter, kind, tie_break == "lifo", bound, history
    )
    return history[:passes]


def fm_refine(graph, side, max_weight, target, config, state, passes=None):
    """Refine a bisection in place with the configured algorithm.

    Parameters
    ----------
    graph : CSRGraph
    side : ndarray of int8
        0/1 per node, updated in place.
    max_weight, target : ndarray of float64, shape (2,)
        Largest allowed and ideal weight of each side.
    config : RefinementConfig
    state : ndarray
        The kernels' RNG state.
    passes : list, optional
        Receives the cut after each FM pass.

    Returns
    -------
    float
        The cut after refinement.
    """
    from ._kernels.fm import fm_refine as fm_kernel

    if config.algorithm == "kl":
        kl_refine(graph.indptr, graph.indices, graph.edge_weights, side, config.max_passes)
    elif config.algorithm != "fm":
        raise ValueError(f"unknown refinement algorithm {config.algorithm!r}; choose 'fm' or 'kl'")
    # after KL, FM restores balance (KL keeps node counts, not weights) and polishes
    pass_cuts = np.full(config.max_passes if passes is not None else 0, np.nan)
    cut = fm_kernel(
        graph.indptr,
        graph.indices,
        graph.edge_weights,
        graph.node_weights,
        side,
        max_weight,
        target,
        config.max_passes,
        config.stall_limit,
        state,
        pass_cuts,
    )
    if passes is not None:
        passes.extend(pass_cuts[~np.isnan(pass_cuts)].tolist())
    return cut


def local_fm_refine(graph, labels, k, max_weight, config, state):
    """Localized FM rounds on ``labels`` (int64, updated in place).

    Seeds are boundary nodes whose best move loses at most about one edge
    (mean edge weight): searches from worse seeds rarely pay for themselves.
    Returns the cut; does nothing but compute it when
    ``config.local_rounds`` is 0.
    """
    from ._kernels.kway import kway_cut, kway_local_fm

    if config.local_rounds <= 0:
        return kway_cut(graph.indptr, graph.indices, graph.edge_weights, labels)
    mean_weight = float(graph.edge_weights.mean()) if graph.edge_weights.size else 1.0
    return kway_local_fm(
        graph.indptr,
        graph.indices,
        graph.edge_weights,
        graph.node_weights,
        labels,
        k,
        np.asarray(max_weight, np.float64),
        config.local_rounds,
        config.local_stall_limit,
        -max(mean_weight, 1e-12),
        state,
    )


def flow_refine(graph, side, max_weight, target, config):
    """Flow-based improvement of a bisection (``side`` int8, in place).

    Returns the cut decrease (0 when ``config.flow_rounds`` is 0).
    """
    from ._kernels.flow import flow_refine as kernel

    if config.flow_rounds <= 0:
        return 0.0
    return kernel(
        graph.indptr,
        graph.indices,
        graph.edge_weights,
        graph.node_weights,
        side,
        np.asarray(max_weight, np.float64),
        np.asarray(target, np.float64),
        config.flow_rounds,
        float(config.flow_alpha),
        int(config.flow_depth),
    )
