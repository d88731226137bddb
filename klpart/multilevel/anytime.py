"""Anytime mode: spend a time budget improving a partition.

Starting from the partition :func:`klpart.partition` computed, until the
deadline, repeat:

* a **V-cycle from the best**: coarsen again keeping the blocks apart,
  refine back up (different random matchings find other moves);
* a **fresh partition**: a new multilevel run, to keep a small pool of
  different good partitions;
* a **combine** of two partitions of the pool: coarsen so that no cut edge
  of either parent is contracted (the group of a node is
  ``labels_a * k + labels_b``), start the coarsest graph from the better
  parent and refine back up: the coarse levels see moves that neither
  parent's own hierarchy allowed (the combine operator of KaHIP's kaffpaE,
  Sanders & Schulz, "Distributed evolutionary graph partitioning", ALENEX
  2012).  The first parent is the better of two drawn from the pool
  (tournament selection), the second another one: combining always with
  the best converges on it, and the pool stops yielding anything new.

Every other step coarsens with the other algorithm (matching <->
clustering): the other hierarchy offers the refinement other moves.  Each
step ends with the flow step of the main cycle (for k > 2 between adjacent
blocks, when the preset has one).

Every step checks the deadline before each level's refinement, so the
limit is exceeded by at most one refinement step; a step cut short is
thrown away.  The best result (least overweight, then smallest cut) is
returned: never worse than the first partition.
"""

import math
import numbers
import time
from dataclasses import replace

import numpy as np

from .coarsening import coarsen
from .initial import initial_partition
from .cycle import restart_config
from .refinement import flow_step, local_fm_refine, overweight, refine_level

__all__ = ["check_time_limit", "improve"]

_POOL = 4


def _now():
    return time.perf_counter()


def check_time_limit(time_limit):
    """``None`` or the limit as a float of seconds.

    Raises
    ------
    TypeError
        If ``time_limit`` is not a real number (``bool`` included).
    ValueError
        If it is negative, NaN or infinite.

    Examples
    --------
    >>> check_time_limit(2), check_time_limit(None)
    (2.0, None)
    """
    if time_limit is None:
        return None
    if isinstance(time_limit, bool) or not isinstance(time_limit, numbers.Real):
        raise TypeError(f"time_limit must be a number of seconds or None, got {type(time_limit).__name__}")
    value = float(time_limit)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"time_limit must be a finite number of seconds >= 0, got {time_limit!r}")
    return value


class _Expired(Exception):
    """The deadline passed inside a step (its result is discarded)."""


def improve(graph, labels, k, targets, max_block_weights, imbalance, config, state, deadline, started,
            history=None, progress=False):
    """Improve ``labels`` until ``deadline`` (a :func:`time.perf_counter` value).

    Parameters
    ----------
    graph : CSRGraph
    labels : ndarray of int64
        The first partition (not modified).
    k : int, >= 2
    targets, max_block_weights : array_like of float, shape (k,)
    imbalance : float
    config : PartitionConfig
    state : ndarray
        The kernels' RNG state (advanced).
    deadline, started : float
        ``perf_counter`` times: when to stop, and the start of the call
        (``history`` times count from it).
    history : list, optional
        Receives ``{"phase": "anytime", "seconds": t, "cut": c, "step":
        name}`` for the first partition and every improvement.
    progress : bool
        Show a tqdm bar of the time used, with the best cut so far.

    Returns
    -------
    ndarray of int64
        The best labels found.
    """
    from .._kernels.kway import kway_cut

    targets = np.asarray(targets, np.float64)
    max_block_weights = np.asarray(max_block_weights, np.float64)
    integral = graph.edge_weights.dtype.kind == "i"

    def key(lab):
        cut = kway_cut(graph.indptr, graph.indices, graph.edge_weights, lab)
        return (overweight(graph, lab, k, max_block_weights), int(round(cut)) if integral else float(cut))

    alternating = replace(config, alternate_coarsening=True)
    best = labels.copy()
    best_key = key(best)
    pool = [(best_key, best)]
    _record(history, started, best_key, "first")
    bar = _bar(progress, deadline - started, best_key[1])
    step = 0
    try:
        while _now() < deadline:
            kind = _choose(step, len(pool))
            run = restart_config(alternating, step)  # odd steps: the other coarsening
            step += 1
            try:
                if kind == "vcycle":
                    cand = _cycle(graph, k, targets, max_block_weights, imbalance, run, state, deadline,
                                  group=best, start=best)
                elif kind == "fresh":
                    cand = _cycle(graph, k, targets, max_block_weights, imbalance, run, state, deadline)
                else:
                    first, second = _parents(len(pool), state)
                    group = pool[first][1] * k + pool[second][1]
                    cand = _cycle(graph, k, targets, max_block_weights, imbalance, run, state, deadline,
                                  group=group, start=pool[first][1])
            except _Expired:
                break
            cand_key = key(cand)
            if cand_key < best_key:
                best, best_key = cand, cand_key
                _record(history, started, best_key, kind)
            if not any(np.array_equal(cand, p) for _, p in pool):
                pool.append((cand_key, cand))
                pool.sort(key=lambda e: e[0])
                del pool[_POOL:]
            if bar is not None:
                bar.set_postfix(cut=best_key[1], refresh=False)
                delta = min(_now() - started, bar.total) - bar.n
                if delta > 0:
                    bar.update(delta)
    finally:
        if bar is not None:
            bar.close()
    return best


def _choose(step, pool_size):
    """The step schedule: fill the pool with fresh partitions, then V-cycles
    from the best and combines in turn, a fresh partition now and then."""
    if pool_size < 2:
        return "fresh" if step % 2 else "vcycle"
    return ("combine", "vcycle", "combine", "fresh")[step % 4]


def _parents(pool_size, state):
    """Pool positions of a combine's parents (the pool is sorted, best
    first): the better of two drawn, and another one."""
    from .._kernels.rng import below

    first = min(below(state, pool_size), below(state, pool_size))
    second = below(state, pool_size - 1)
    return int(first), int(second + (second >= first))


def _record(history, started, key, step):
    if history is not None:
        history.append({"phase": "anytime", "seconds": _now() - started, "cut": key[1], "step": step})


def _bar(progress, total, cut):
    if not progress:
        return None
    from tqdm.auto import tqdm

    bar = tqdm(total=round(total, 1), unit="s", desc="anytime", mininterval=0.5, bar_format="{l_bar}{bar}| {n:.1f}/{total} s{postfix}")
    bar.set_postfix(cut=cut)
    return bar


def _cycle(graph, k, targets, bounds, imbalance, config, state, deadline, group=None, start=None):
    """One multilevel cycle on ``graph``; raises :class:`_Expired` when the
    deadline passes before a level's refinement.  ``group``: nodes of
    different groups are never merged; ``start``: the labels (constant on
    every group) the coarsest graph begins from (else a new initial
    partition).  Returns new labels."""
    if _now() >= deadline:
        raise _Expired
    levels, coarsest, coarse_group = coarsen(
        graph, config.coarsening, state, config.coarsening.coarsest_size(k),
        group=None if group is None else np.asarray(group, np.int64),
    )
    if start is None:
        if _now() >= deadline:
            raise _Expired
        labels = initial_partition(coarsest, k, targets, bounds, imbalance, config, state)
    else:
        # the start labels on the coarsest graph: every coarse node is one group, so one block
        labels = np.asarray(start, np.int64)
        for _, cmap in levels:
            coarse = np.empty(int(cmap.max()) + 1 if cmap.size else 0, np.int64)
            coarse[cmap] = labels
            labels = coarse
    graphs = [fine for fine, _ in levels] + [coarsest]
    for depth in range(len(levels), -1, -1):
        if depth < len(levels):
            labels = labels[levels[depth][1]]
        if _now() >= deadline:
            raise _Expired
        refine_level(graphs[depth], labels, k, bounds, targets, config.refinement, state)
    # on the input graph every finished step leaves a valid partition
    if config.refinement.local_rounds > 0 and _now() < deadline:
        local_fm_refine(graph, labels, k, bounds, config.refinement, state)
    if _now() < deadline:
        flow_step(graph, labels, k, bounds, targets, config.refinement)
    return labels
