"""Multilevel bisection: coarsen -> initial bisection -> project and refine.

References: Karypis & Kumar, "A fast and high quality multilevel scheme for
partitioning irregular graphs", SIAM J. Sci. Comput. 20 (1998); V-cycles as
in Walshaw's and KaHIP's iterated multilevel schemes.
"""

from dataclasses import replace

import numpy as np

from .coarsening import coarsen
from .initial import initial_bisection
from .refinement import flow_refine, fm_refine, local_fm_refine

__all__ = ["bisect", "record_level", "restart_config"]


def _v_cycle(graph, max_weight, target, config, state, history, cycle, side=None):
    """One pass down and up the hierarchy; ``side`` (if given) is kept as the
    starting point: nodes on different sides are never merged, so the
    coarsest graph carries the same partition and refinement only improves."""
    limit = 2 * config.coarsening.contraction_limit
    levels, coarsest, coarse_side = coarsen(graph, config.coarsening, state, limit, group=side)
    if side is None:
        coarse_side = initial_bisection(coarsest, max_weight, target, config.initial, state)
    passes = []
    cut = fm_refine(coarsest, coarse_side, max_weight, target, config.refinement, state, passes)
    if levels:
        record_level(history, cycle, len(levels), coarsest, cut, passes)
    for depth in range(len(levels) - 1, -1, -1):
        fine, cmap = levels[depth]
        coarse_side = coarse_side[cmap]
        passes = []
        cut = fm_refine(fine, coarse_side, max_weight, target, config.refinement, state, passes)
        if depth > 0:
            record_level(history, cycle, depth, fine, cut, passes)
    if config.refinement.local_rounds > 0:
        labels = coarse_side.astype(np.int64)
        cut = local_fm_refine(graph, labels, 2, max_weight, config.refinement, state)
        coarse_side = labels.astype(np.int8)
    record_level(history, cycle, 0, graph, cut, passes)
    return coarse_side, cut


def record_level(history, cycle, level, graph, cut, passes=()):
    """Append one history entry: cycle, level, nodes, edges, the cut after
    refinement there and ``passes``, the cut after each FM pass (cuts as
    ints for integer edge weights)."""
    if history is not None:
        as_number = int if graph.edge_weights.dtype.kind == "i" else float
        history.append(
            {
                "cycle": cycle,
                "level": level,
                "nodes": graph.num_nodes,
                "edges": graph.num_edges,
                "cut": as_number(round(cut)) if as_number is int else float(cut),
                "passes": [as_number(round(c)) if as_number is int else float(c) for c in passes],
            }
        )


def restart_config(config, restart):
    """The config of restart number ``restart``: with ``alternate_coarsening``
    odd restarts coarsen with the other algorithm (matching <-> clustering),
    which suits other graphs, so the best of the restarts gains from both."""
    if not config.alternate_coarsening or restart % 2 == 0:
        return config
    other = "clustering" if config.coarsening.algorithm == "matching" else "matching"
    return replace(config, coarsening=replace(config.coarsening, algorithm=other))


def _overweight(graph, side, max_weight):
    weights = np.bincount(side, weights=graph.node_weights, minlength=2)
    return float(np.maximum(weights - max_weight, 0).sum())


def bisect(graph, max_weight, target, config, state, history=None):
    """Multilevel bisection with restarts and V-cycles; best result kept.

    Parameters
    ----------
    graph : CSRGraph
    max_weight, target : ndarray of float64, shape (2,)
        Largest allowed and ideal weight of each side.
    config : PartitionConfig
    state : ndarray
        The kernels' RNG state (advanced).
    history : list, optional
        Receives one dict per level and cycle: cycle, level (0 = finest),
        nodes, edges, cut after refinement.

    Returns
    -------
    side : ndarray of int8
    cut : float
    """
    best = None
    for restart in range(max(config.restarts, 1)):
        cycle = restart * (config.vcycles + 1)
        run = restart_config(config, restart)
        side, cut = _v_cycle(graph, max_weight, target, run, state, history, cycle)
        for extra in range(config.vcycles):
            side, cut = _v_cycle(graph, max_weight, target, run, state, history, cycle + 1 + extra, side)
        key = (_overweight(graph, side, max_weight), cut)
        if best is None or key < best[0]:
            best = (key, side, cut, cycle + config.vcycles)
    _, side, cut, best_cycle = best
    # flows once, on the best bisection: they polish what FM cannot reach
    gained = flow_refine(graph, side, max_weight, target, config.refinement)
    if gained > 0:
        cut -= gained
        record_level(history, best_cycle, 0, graph, cut)
    return side, cut
