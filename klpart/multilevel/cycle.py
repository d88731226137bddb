"""The multilevel cycle, one driver for two blocks and for k blocks.

    coarsen -> initial partition of the coarsest graph -> project back level
    by level, refining at each -> on the input graph: localized FM, and for
    bisections a flow step on the best result

Restarts repeat the cycle with other random choices; V-cycles coarsen again
keeping the current blocks apart and refine back up (never worse).  The best
(least overweight, then smallest cut) result is kept.

References: Karypis & Kumar, "A fast and high quality multilevel scheme for
partitioning irregular graphs", SIAM J. Sci. Comput. 20 (1998); V-cycles as
in Walshaw's and KaHIP's iterated multilevel schemes.
"""

import os
from dataclasses import replace

import numpy as np

from .._timing import NO_CLOCK
from .coarsening import coarsen
from .initial import initial_partition
from .refinement import flow_step, local_fm_refine, overweight, refine_level

__all__ = ["multilevel_partition", "record_level", "restart_config", "debug_enabled", "check_state"]


def debug_enabled(config):
    """Debug checks run when ``config.debug`` is set or ``KLPART_DEBUG=1``."""
    return bool(config.debug) or os.environ.get("KLPART_DEBUG", "") not in ("", "0")


def multilevel_partition(graph, k, targets, max_block_weights, imbalance, config, state, history=None,
                         clock=NO_CLOCK, level_hook=None):
    """Labels 0..k-1 (int64) of ``graph`` by the multilevel scheme.

    Parameters
    ----------
    graph : CSRGraph
    k : int, >= 2
    targets, max_block_weights : array_like of float, shape (k,)
        Ideal and largest allowed weight of each block.
    imbalance : float
        The relative imbalance behind ``max_block_weights`` (recursive
        bisection of the coarsest graph spreads it over its levels).
    config : PartitionConfig
    state : ndarray
        The kernels' RNG state (advanced).
    history : list, optional
        Receives one dict per level and cycle (see :func:`record_level`).
    clock : PhaseClock, optional
        Accumulates seconds per phase.
    level_hook : callable, optional
        ``level_hook(level_graph, labels)`` runs after the refinement of
        every level and returns the cut; constraints that must hold on the
        way up (contiguous blocks) are enforced there.
    """
    targets = np.asarray(targets, np.float64)
    max_block_weights = np.asarray(max_block_weights, np.float64)
    debug = debug_enabled(config)
    best = None
    for restart in range(max(config.restarts, 1)):
        run = restart_config(config, restart)
        labels = None
        for extra in range(config.vcycles + 1):
            cycle = restart * (config.vcycles + 1) + extra
            labels, cut = _v_cycle(graph, k, targets, max_block_weights, imbalance, run, state, history, cycle,
                                   labels, clock, debug, level_hook)
        key = (overweight(graph, labels, k, max_block_weights), cut)
        if best is None or key < best[0]:
            best = (key, labels, cycle)
    (_, cut), labels, best_cycle = best
    rounds = config.refinement.flow_rounds if k == 2 else config.refinement.kway_flow_rounds
    if rounds > 0:
        # flows once, on the best result: they polish what FM cannot reach
        # (k > 2: between every two adjacent blocks)
        over_before = overweight(graph, labels, k, max_block_weights) if debug else 0.0
        with clock("flows"):
            gained = flow_step(graph, labels, k, max_block_weights, targets, config.refinement)
        if debug:
            check_state(graph, labels, k, cut - gained, "flow refinement", max_block_weights, over_before)
        if gained > 0:
            record_level(history, best_cycle, 0, graph, cut - gained)
    return labels


def _v_cycle(graph, k, targets, max_block_weights, imbalance, config, state, history, cycle, labels, clock, debug,
             level_hook=None):
    """One pass down and up the hierarchy.  With ``labels`` given (a
    V-cycle), nodes of different blocks are never merged, so the coarsest
    graph carries the same partition and refinement only improves it."""
    with clock("coarsening"):
        levels, coarsest, coarse_labels = coarsen(
            graph, config.coarsening, state, config.coarsening.coarsest_size(k), group=labels
        )
    if debug:
        _check_hierarchy(graph, levels, coarsest, labels, coarse_labels)
    if labels is None:
        with clock("initial"):
            coarse_labels = initial_partition(coarsest, k, targets, max_block_weights, imbalance, config, state)
    level_graphs = [fine for fine, _ in levels] + [coarsest]
    for depth in range(len(levels), -1, -1):
        g = level_graphs[depth]
        if depth < len(levels):
            coarse_labels = coarse_labels[levels[depth][1]]
        passes = []
        over_before = overweight(g, coarse_labels, k, max_block_weights) if debug else 0.0
        with clock("refinement"):
            cut = refine_level(g, coarse_labels, k, max_block_weights, targets, config.refinement, state, passes)
        if debug:
            check_state(g, coarse_labels, k, cut, f"refinement at level {depth}", max_block_weights, over_before)
        if level_hook is not None:
            with clock("constraints"):
                cut = level_hook(g, coarse_labels)
            if debug:
                check_state(g, coarse_labels, k, cut, f"constraints at level {depth}")
        if depth == 0 and config.refinement.local_rounds > 0:
            over_before = overweight(g, coarse_labels, k, max_block_weights) if debug else 0.0
            with clock("local_fm"):
                cut = local_fm_refine(g, coarse_labels, k, max_block_weights, config.refinement, state)
            if debug:
                check_state(g, coarse_labels, k, cut, "localized FM", max_block_weights, over_before)
        record_level(history, cycle, depth, g, cut, passes)
    return coarse_labels, cut


def record_level(history, cycle, level, graph, cut, passes=()):
    """Append one history entry: cycle, level (0 = the input graph), nodes,
    edges, the cut after refinement there and ``passes``, the cut after each
    FM pass (cuts as ints for integer edge weights)."""
    if history is None:
        return
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


# ---------------------------------------------------------------- debug mode
class InvariantError(AssertionError):
    """A maintained quantity disagrees with its recomputation (debug mode)."""


def check_state(graph, labels, k, cut, where, max_block_weights=None, over_before=None):
    """The cut a phase reports equals the cut recomputed from the labels,
    and every label is a block id.  The kernels keep the cut as the start
    cut plus the gains of their moves, so a gain they maintain wrongly shows
    here as a mismatch.  With ``max_block_weights`` and ``over_before`` (the
    overweight before the phase), the block weights recomputed from the
    labels must not exceed the bounds by more than before: refinement moves
    never break balance (the kernels decide on block weights they keep
    themselves)."""
    from .._kernels.kway import kway_cut

    if labels.shape != (graph.num_nodes,) or (labels.size and (labels.min() < 0 or labels.max() >= k)):
        raise InvariantError(f"{where}: labels outside 0..{k - 1}")
    actual = kway_cut(graph.indptr, graph.indices, graph.edge_weights, labels)
    if not np.isclose(actual, cut, rtol=1e-9, atol=1e-6):
        raise InvariantError(f"{where}: reported cut {cut} but the labels cut {actual}")
    if max_block_weights is not None:
        over = overweight(graph, labels, k, max_block_weights)
        if over > over_before + 1e-9 * max(1.0, float(np.sum(max_block_weights))):
            weights = np.bincount(labels, weights=graph.node_weights, minlength=k)
            raise InvariantError(f"{where}: block weights {weights.tolist()} exceed the bounds "
                                 f"{np.asarray(max_block_weights).tolist()} by {over} (by {over_before} before)")


def _check_hierarchy(graph, levels, coarsest, labels, coarse_labels):
    """Contraction keeps total node weight and the edge weight between
    groups; a coarse labelling projects to one of the same cut."""
    from .._kernels.kway import kway_cut

    graphs = [fine for fine, _ in levels] + [coarsest]
    total = graph.node_weights.sum()
    for depth, (fine, cmap) in enumerate(levels):
        coarse = graphs[depth + 1]
        if not np.isclose(coarse.node_weights.sum(), total):
            raise InvariantError(f"contraction to level {depth + 1} changed the total node weight")
        probe = (np.arange(coarse.num_nodes) % 2).astype(np.int64)
        fine_cut = kway_cut(fine.indptr, fine.indices, fine.edge_weights, probe[cmap])
        coarse_cut = kway_cut(coarse.indptr, coarse.indices, coarse.edge_weights, probe)
        if not np.isclose(fine_cut, coarse_cut):
            raise InvariantError(f"contraction to level {depth + 1}: cut {coarse_cut} projects to {fine_cut}")
    if labels is not None:
        projected = coarse_labels
        for _, cmap in reversed(levels):
            projected = projected[cmap]
        if not np.array_equal(projected, labels):
            raise InvariantError("a V-cycle merged nodes of different blocks")
