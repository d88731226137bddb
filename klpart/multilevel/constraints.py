"""Partitioning under the constraints real jobs carry.

:func:`constrained_partition` serves every constraint of
:func:`klpart.partition` and :func:`klpart.repartition` with one scheme:

1. **start** from a good partition: the unconstrained multilevel partition
   (on the sum of the normalised constraint weights when there are several),
   or the old partition when repartitioning;
2. **repair** the hard constraints on the input graph: pinned nodes go to
   their blocks (after relabelling the blocks to agree with the pins as
   much as possible), stray pieces of a block join the neighbouring block
   they touch most (contiguity), and balance moves bring every block within
   its bound on every constraint;
3. **V-cycles**: coarsen keeping the blocks apart (a coarse node never
   spans two blocks, two old blocks or a pinned and a foreign node), then
   refine back up with the constrained k-way refinement kernel
   (:mod:`klpart._kernels.constrained`), whose moves never break a pin, a
   bound or a block's connectivity and minimise the chosen objective (cut,
   communication volume, plus the migration cost when repartitioning).

Coarse levels move whole groups of nodes at once, which is what lets the
refinement undo the damage the repair step did at low cost.

References: G. Karypis and V. Kumar, "Multilevel algorithms for
multi-constraint graph partitioning", SC'98; K. Schloegel, G. Karypis and
V. Kumar, "Multilevel diffusion schemes for repartitioning of adaptive
meshes", JPDC 47 (1997); METIS 5 manual (``contig``, ``objtype=vol``).
"""

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from .._timing import NO_CLOCK
from .coarsening import coarsen

__all__ = ["Constraints", "constrained_partition", "contiguity_hook", "relabel_to_pins", "make_contiguous"]

#: ``objective`` names and the kernel's codes.
OBJECTIVES = {"cut": 0, "volume": 1}


@dataclass
class Constraints:
    """What a constrained call asks for, in kernel form.

    Attributes
    ----------
    weights : ndarray of float64, shape (n, c)
        Node weights per balance constraint.
    max_block_weights : ndarray of float64, shape (k, c)
        Bound of every block on every constraint.
    fixed : ndarray of int64, shape (n,), or None
        Block of each pinned node, -1 for free nodes.
    contiguous : bool
    objective : str
        ``"cut"`` or ``"volume"``.
    sizes : ndarray of float64, shape (n,)
        Data size of every node (communication volume and migration).
    old_labels : ndarray of int64, shape (n,), or None
        The partition being replaced (repartitioning).
    migration_cost : float
        Cost per unit of size of a node that leaves its old block.
    """

    weights: np.ndarray
    max_block_weights: np.ndarray
    fixed: np.ndarray = None
    contiguous: bool = False
    objective: str = "cut"
    sizes: np.ndarray = None
    old_labels: np.ndarray = None
    migration_cost: float = 0.0

    @property
    def movable(self):
        """uint8 per node: 0 for pinned nodes."""
        n = self.weights.shape[0]
        if self.fixed is None:
            return np.ones(n, np.uint8)
        return (self.fixed < 0).astype(np.uint8)


def constrained_partition(graph, k, cons, start, config, state, history=None, clock=NO_CLOCK):
    """Labels 0..k-1 (int64) of ``graph`` that satisfy ``cons``.

    Parameters
    ----------
    graph : CSRGraph
        Its (scalar) node weights steer coarsening; the balance constraints
        are ``cons.weights``.
    k : int
    cons : Constraints
    start : ndarray of int64
        The starting partition (not modified).
    config : PartitionConfig
        ``config.vcycles + 1`` constrained V-cycles run after the repair.
    state : ndarray
        The kernels' RNG state (advanced).
    history : list, optional
        Receives ``{"phase": "constraints", "step": ..., "objective": ...}``
        entries after the repair and after each V-cycle.
    clock : PhaseClock, optional
    """
    movable = cons.movable
    with clock("constraints"):
        starts = [np.array(start, dtype=np.int64, copy=True)]
        if cons.weights.shape[1] > 1 and cons.old_labels is None and k > 1:
            # the sum-balanced start suits weights that vary together; the
            # recursive one weights that vary by region: repair both, keep the better
            starts.append(_recursive_start(graph, k, cons, config, state))
        start_value = _objective(graph, starts[0], k, cons)
        if cons.objective == "cut" and cons.old_labels is None and cons.weights.shape[1] == 1 and _satisfied(
                graph, starts[0], k, cons, movable):
            # a start that already meets every constraint (a contiguous
            # partition from the level hook, pins where they belong) was
            # refined for the cut by the unconstrained cycle: a constrained
            # pass over the whole graph would cost more than the plain
            # partition for a cut change below 5%
            _record(history, "repair", start_value)
            return starts[0]
        relabel = [True] * len(starts)
        if cons.fixed is not None and k > 1 and not np.array_equal(
                relabel_to_pins(starts[0], cons.fixed, k, cons.weights), starts[0]):
            # renumbering blocks to agree with the pins keeps the most pinned
            # weight in place, but not always the lowest cut (random pins
            # spread evenly make it a near tie); the start as it is, pins
            # moved home (the "forced route"), is repaired too
            starts.append(starts[0].copy())
            relabel.append(False)
        best = None
        for labels, renumber in zip(starts, relabel):
            value = _repair(graph, labels, k, cons, movable, config, state, renumber)
            key = (_overload(cons.weights, labels, k, cons.max_block_weights), value)
            if best is None or key < best[:2]:
                best = (*key, labels)
        _record(history, "repair", best[1])
        # V-cycles pay when the repair did damage (pins, a new balance) or
        # coarse moves matter (volume, migration); a repair that kept the
        # cut (contiguity on most meshes) leaves them nothing to win
        if cons.objective == "cut" and cons.old_labels is None and best[1] <= 1.005 * start_value and best[0] == 0:
            return best[2]
    for cycle in range(config.vcycles + 1):
        labels = best[2].copy()
        value = _v_cycle(graph, labels, k, cons, movable, config, state, clock)
        if cons.contiguous and make_contiguous(graph, labels, k, movable, max_rounds=1) > 0:
            continue  # (cannot happen with connected coarse nodes; never trade contiguity for anything)
        key = (_overload(cons.weights, labels, k, cons.max_block_weights), value)
        _record(history, f"v-cycle {cycle + 1}", value)
        if key < best[:2]:
            best = (*key, labels)
        else:
            break
    return best[2]


def contiguity_hook(k, max_block_weights, config, state):
    """A ``level_hook`` for :func:`klpart.multilevel.multilevel_partition`
    that makes every block connected at every level on the way up.

    A coarse block that is connected stays connected when projected (coarse
    nodes are connected pieces), so enforcing contiguity level by level
    moves large stray pieces while they are single coarse nodes, where the
    refinement below can still repair the cut; what FM breaks at the next
    level is small.  The unconstrained start then needs only a light repair
    on the input graph."""
    bounds = np.ascontiguousarray(np.asarray(max_block_weights, np.float64).reshape(k, 1))

    def hook(graph, labels):
        movable = np.ones(graph.num_nodes, np.uint8)
        moved = make_contiguous(graph, labels, k, movable)
        loads = np.bincount(labels, weights=graph.node_weights, minlength=k)
        if moved == 0 and np.all(loads <= bounds[:, 0]):
            from .._kernels.kway import kway_cut

            return kway_cut(graph.indptr, graph.indices, graph.edge_weights, labels)
        cons = Constraints(weights=np.ascontiguousarray(graph.node_weights, np.float64).reshape(-1, 1),
                           max_block_weights=bounds, contiguous=True, sizes=np.ones(graph.num_nodes))
        value = _refine(graph, labels, k, cons, cons.weights, movable, cons.sizes, None, config, state)
        if _overload(cons.weights, labels, k, bounds) > 0:
            # joining a stray piece overloaded a block whose neighbours are
            # full: pass the excess on along the quotient graph here, where
            # whole regions move as a few coarse nodes
            _shift_along_paths(graph, labels, k, cons, movable, state)
            if _overload(cons.weights, labels, k, bounds) > 0:
                _move_pieces(graph, labels, k, cons.weights, bounds, movable)
            value = _refine(graph, labels, k, cons, cons.weights, movable, cons.sizes, None, config, state)
        return value

    return hook


def _satisfied(graph, labels, k, cons, movable):
    """Whether ``labels`` already meets the constraints (pins, contiguity,
    balance)."""
    if cons.fixed is not None and np.any(labels[cons.fixed >= 0] != cons.fixed[cons.fixed >= 0]):
        return False
    if _overload(cons.weights, labels, k, cons.max_block_weights) > 0:
        return False
    return not cons.contiguous or make_contiguous(graph, labels.copy(), k, movable, max_rounds=1) == 0


def _objective(graph, labels, k, cons):
    from .._kernels.constrained import constrained_objective

    old = cons.old_labels if cons.old_labels is not None else np.full(graph.num_nodes, -1, np.int64)
    return float(constrained_objective(graph.indptr, graph.indices, graph.edge_weights.astype(np.float64, copy=False),
                                       cons.weights, labels, k, OBJECTIVES[cons.objective], cons.sizes, old,
                                       float(cons.migration_cost)))


def _repair(graph, labels, k, cons, movable, config, state, renumber=True):
    """Pins into their blocks (after renumbering the blocks to agree with
    them when ``renumber``), stray pieces joined to a neighbour
    (contiguity), balance on every constraint, greedy refinement; labels in
    place; returns the objective."""
    if cons.fixed is not None:
        if renumber:
            labels[:] = relabel_to_pins(labels, cons.fixed, k, cons.weights)
        pinned = cons.fixed >= 0
        labels[pinned] = cons.fixed[pinned]
    if cons.contiguous:
        make_contiguous(graph, labels, k, movable)
    value = _refine(graph, labels, k, cons, cons.weights, movable, cons.sizes, cons.old_labels, config, state)
    if _overload(cons.weights, labels, k, cons.max_block_weights) > 0:
        _shift_along_paths(graph, labels, k, cons, movable, state)
        if cons.weights.shape[1] > 1 and not cons.contiguous:
            _trade_pairs(graph, labels, k, cons.weights, cons.max_block_weights, movable)
        if cons.weights.shape[1] == 1 and cons.contiguous:
            _move_pieces(graph, labels, k, cons.weights, cons.max_block_weights, movable)
        value = _refine(graph, labels, k, cons, cons.weights, movable, cons.sizes, cons.old_labels, config, state)
    return value


def _v_cycle(graph, labels, k, cons, movable, config, state, clock):
    """Coarsen within the groups the constraints define, refine back up;
    ``labels`` updated in place; returns the objective."""
    group = labels.copy()
    if cons.old_labels is not None:
        # a coarse node must have one old block, or its migration cost is undefined
        group = labels * k + np.maximum(cons.old_labels, 0)
    if cons.fixed is not None:
        # pinned nodes only merge with pinned nodes: a coarse node is movable
        # exactly when all its members are
        group = group * 2 + (movable == 0)
    coarsening = config.coarsening
    if cons.contiguous:
        # contiguity carries over from a coarse level only when every coarse
        # node is a connected set: plain matching merges neighbours, while
        # two-hop matching and clustering can merge nodes that only share
        # a neighbour
        coarsening = replace(coarsening, algorithm="matching", two_hop=False)
    with clock("coarsening"):
        levels, coarsest, _ = coarsen(graph, coarsening, state, coarsening.coarsest_size(k), group=group)
    # per level: weights (n, c), movable, sizes, old labels
    arrays = [(cons.weights, movable, cons.sizes, cons.old_labels)]
    for _, cmap in levels:
        w, mov, sizes, old = arrays[-1]
        nc = int(cmap.max()) + 1 if cmap.size else 0
        cw = _aggregate(w, cmap)
        cmov = np.ones(nc, np.uint8)
        cmov[cmap[mov == 0]] = 0
        csizes = np.bincount(cmap, weights=sizes, minlength=nc)
        cold = None
        if old is not None:
            cold = np.empty(nc, np.int64)
            cold[cmap] = old
        arrays.append((np.ascontiguousarray(cw), cmov, csizes, cold))
    coarse_labels = [labels]
    for _, cmap in levels:
        up = np.empty(int(cmap.max()) + 1 if cmap.size else 0, np.int64)
        up[cmap] = coarse_labels[-1]
        coarse_labels.append(up)
    graphs = [fine for fine, _ in levels] + [coarsest]
    current = coarse_labels[-1]
    value = 0.0
    with clock("constraints"):
        for depth in range(len(levels), -1, -1):
            if depth < len(levels):
                current = current[levels[depth][1]]
            w, mov, sizes, old = arrays[depth]
            value = _refine(graphs[depth], current, k, cons, w, mov, sizes, old, config, state)
    labels[:] = current
    return value


def _refine(graph, labels, k, cons, weights, movable, sizes, old_labels, config, state, bounds=None,
            passes=None):
    """One call of the constrained kernel on ``graph`` (a level of the
    hierarchy: ``weights``, ``movable``, ``sizes`` and ``old_labels`` are
    that level's); ``bounds`` and ``passes`` override the constraints' bounds
    and the config's pass count.  Returns the objective."""
    from .._kernels.constrained import constrained_refine

    old = old_labels if old_labels is not None else np.full(graph.num_nodes, -1, np.int64)
    return float(
        constrained_refine(
            graph.indptr, graph.indices, graph.edge_weights.astype(np.float64, copy=False), weights, labels, k,
            cons.max_block_weights if bounds is None else bounds, movable, bool(cons.contiguous),
            OBJECTIVES[cons.objective], sizes, old, float(cons.migration_cost),
            int(config.refinement.max_passes if passes is None else passes), state,
        )
    )


def _recursive_start(graph, k, cons, config, state):
    """A start for several balance constraints: recursive bisection, each
    split a multilevel bisection on the normalised sum of the weights whose
    sides the constrained kernel then balances on every constraint.

    The unconstrained partition balances only the sum: when the weights
    vary by region (a heavy physics in one part of a mesh) its blocks can
    be far off on each constraint, and k-way moves between neighbouring
    blocks rarely repair that.  Two blocks can always trade along their
    whole boundary, so balancing each split is what works (METIS's
    multi-constraint partitioning also bisects recursively)."""
    from math import ceil, log2

    totals = cons.weights.sum(axis=0)
    fractions = cons.max_block_weights / np.where(cons.max_block_weights.sum(axis=0) > 0,
                                                  cons.max_block_weights.sum(axis=0), 1.0)
    eps = cons.max_block_weights.sum(axis=0) / np.where(totals > 0, totals, 1.0) - 1  # per constraint
    labels = np.empty(graph.num_nodes, np.int64)
    _bisect(graph, cons.weights, np.arange(graph.num_nodes), 0, fractions[:, 0].tolist(), np.maximum(eps, 0),
            max(ceil(log2(k)), 1), config, state, labels)
    return labels


def _bisect(graph, weights, ids, offset, fractions, eps, levels, config, state, labels):
    from .._kernels.kway import induced_subgraph
    from ..graph import CSRGraph
    from .initial import initial_partition
    from .refinement import refine_level

    k = len(fractions)
    if k == 1 or graph.num_nodes == 0:
        labels[ids] = offset
        return
    k1 = k // 2
    share = np.array([sum(fractions[:k1]), sum(fractions[k1:])])
    share /= share.sum()
    step = (1 + eps) ** (1 / levels) - 1  # this level's part of the budget, per constraint
    totals = weights.sum(axis=0)
    norm = np.where(totals > 0, totals, 1.0)
    combined = (weights / norm).sum(axis=1)
    g = CSRGraph(graph.indptr, graph.indices, graph.edge_weights, combined, validate=False)
    targets = share * combined.sum()
    split_config = replace(config, restarts=1, vcycles=0,
                           refinement=replace(config.refinement, local_rounds=0, flow_rounds=0))
    bounds = np.ascontiguousarray(np.outer(share, totals) * (1 + step))
    split = Constraints(weights=weights, max_block_weights=bounds)
    # a multilevel bisection balanced on every constraint at every level:
    # coarse levels move whole regions, which single-node moves at the
    # finest level cannot when weights vary by region
    hierarchy, coarsest, _ = coarsen(g, split_config.coarsening, state, split_config.coarsening.coarsest_size(2))
    level_weights = [np.ascontiguousarray(weights, np.float64)]
    for _, cmap in hierarchy:
        level_weights.append(_aggregate(level_weights[-1], cmap))
    side = initial_partition(coarsest, 2, targets, (1 + float(step.min())) * targets, float(step.min()),
                             split_config, state)
    graphs = [fine for fine, _ in hierarchy] + [coarsest]
    for depth in range(len(hierarchy), -1, -1):
        if depth < len(hierarchy):
            side = side[hierarchy[depth][1]]
        h = graphs[depth]
        m = h.num_nodes
        # FM on the summed weights finds the cut; the kernel then restores
        # every constraint's balance and polishes
        kept = side.copy()
        refine_level(h, side, 2, (1 + float(step.min())) * targets, targets, split_config.refinement, state)
        if _overload(level_weights[depth], side, 2, bounds) > _overload(level_weights[depth], kept, 2, bounds):
            side[:] = kept  # balanced only on the sum, FM can undo what the trades below achieved
        _refine(h, side, 2, split, level_weights[depth], np.ones(m, np.uint8), np.ones(m), None, config, state)
        if _overload(level_weights[depth], side, 2, bounds) > 0:
            # trades of coarse nodes move mixed regions, where the finest
            # level's boundary may hold only one kind of node
            if _trade_pairs(h, side, 2, level_weights[depth], bounds, np.ones(m, np.uint8)):
                _refine(h, side, 2, split, level_weights[depth], np.ones(m, np.uint8), np.ones(m), None, config,
                        state)
    for s, part in ((0, fractions[:k1]), (1, fractions[k1:])):
        members = np.flatnonzero(side == s)
        first = offset if s == 0 else offset + k1
        if len(part) == 1:
            labels[ids[members]] = first
            continue
        sub = CSRGraph(*induced_subgraph(graph.indptr, graph.indices, graph.edge_weights, graph.node_weights,
                                         members), validate=False)
        sub_weights = weights[members]
        # what the side got instead of its share sets the budget left for its blocks
        got = sub_weights.sum(axis=0) / np.where(totals > 0, totals * share[s], 1.0)
        remaining = np.maximum((1 + eps) / np.maximum(got, 1e-300) - 1, 0.0)
        _bisect(sub, sub_weights, ids[members], first, list(part), remaining, max(levels - 1, 1), config, state,
                labels)


def _aggregate(weights, cmap):
    """Per coarse node the summed rows of ``weights`` (n, c)."""
    nc = int(cmap.max()) + 1 if cmap.size else 0
    out = np.empty((nc, weights.shape[1]), np.float64)
    for j in range(weights.shape[1]):
        out[:, j] = np.bincount(cmap, weights=weights[:, j], minlength=nc)
    return out


def _shift_along_paths(graph, labels, k, cons, movable, state):
    """Balance by chains of moves when no block next to an overloaded one
    has room: find the nearest block with room in the quotient graph
    (blocks adjacent when an edge joins them) and pass the excess along the
    path, each block handing on what it received.  Every step is a balance
    phase of the kernel in which only the sender is over its (step) bound
    and only the receiver has room.  ``labels`` in place."""
    from collections import deque

    weights, bounds = cons.weights, cons.max_block_weights
    rows = np.repeat(np.arange(graph.num_nodes), np.diff(graph.indptr))
    for _ in range(2 * k):
        loads = _loads(weights, labels, k)
        excess = np.maximum(loads - bounds, 0)
        if not excess.any():
            return
        a = int(np.argmax((excess / np.maximum(bounds, 1e-300)).max(axis=1)))
        across = labels[rows] != labels[graph.indices]
        adjacent = np.zeros((k, k), bool)
        adjacent[labels[rows[across]], labels[graph.indices[across]]] = True
        need = excess[a]
        parent = np.full(k, -1)
        parent[a] = a
        queue, goal = deque([a]), -1
        while queue and goal < 0:
            x = queue.popleft()
            for y in np.flatnonzero(adjacent[x]):
                if parent[y] < 0:
                    parent[y] = x
                    if np.all(bounds[y] - loads[y] >= need):
                        goal = int(y)
                        break
                    queue.append(y)
        if goal < 0:
            return
        path = [goal]
        while path[-1] != a:
            path.append(int(parent[path[-1]]))
        path.reverse()
        before = loads.copy()
        for x, y in zip(path, path[1:]):
            loads = _loads(weights, labels, k)
            step = loads.copy()  # no block but the receiver has room ...
            step[x] = bounds[x] if x == a else np.minimum(before[x], bounds[x])  # ... the sender must shed
            step[y] = bounds[y] if y == goal else loads[y] + (loads[x] - step[x]) + weights.max(axis=0)
            # balance phase only (no passes): the sender sheds into the receiver
            _refine(graph, labels, k, cons, weights, movable, cons.sizes, cons.old_labels, None, state,
                    bounds=np.ascontiguousarray(step), passes=0)
        if np.array_equal(_loads(weights, labels, k), before):
            return  # no progress: the moves are blocked (pins, contiguity)


def _trade_pairs(graph, labels, k, weights, bounds, movable, max_trades=None, candidates=256):
    """Balance several constraints by trading nodes between adjacent blocks.

    With two or more constraints a block can be over on one and under on
    another while its neighbour is the reverse; no single move helps (it
    overloads the receiver on the other constraint), but sending a node
    heavy in the first constraint and taking back one light in it does.
    Each step takes the most overloaded block ``a`` that can improve and,
    over its neighbours ``b``, the trade (u in a next to b, v in b next to
    a, or u alone) that lowers a potential of ``a`` and ``b`` most, ties by
    the lower cut.  The potential is first the relative overload; when no
    trade lowers it, the squared relative distance of the loads from their
    ideal (the bounds' shares of the totals): that walk crosses the
    plateaus where every single step would overload a neighbour a little
    (a block over on nodes next to one full on degree).  It stops once
    nothing is overloaded or neither potential can fall.  Not for
    contiguous blocks (a trade can split one).  ``labels`` in place;
    returns the number of trades.
    """
    n = graph.num_nodes
    totals = weights.sum(axis=0)
    scale = 1.0 / np.where(totals > 0, totals, 1.0)
    ideal = bounds / np.where(bounds.sum(axis=0) > 0, bounds.sum(axis=0), 1.0) * totals
    ideal_scale = 1.0 / np.where(ideal > 0, ideal, 1.0)
    rows = np.repeat(np.arange(n), np.diff(graph.indptr))
    cols = graph.indices
    adjacency = sp.csr_array((graph.edge_weights.astype(np.float64, copy=False), cols, graph.indptr), shape=(n, n))
    loads = _loads(weights, labels, k)
    trades = 0
    limit = max_trades if max_trades is not None else n
    # the deviation walk may pass through worse overloads: every trade is
    # logged, the labels end at the least overloaded point, and the walk
    # gives up after `patience` trades without a new least overload
    log, best_point, patience = [], (np.inf, 0), max(64, n // 64)

    def overload(load, block):  # relative overload of a block (last axis: constraints)
        return (np.maximum(load - bounds[block], 0) * scale).sum(axis=-1)

    def deviation(load, block):
        return (((load - ideal[block]) * ideal_scale[block]) ** 2).sum(axis=-1)

    walking = False  # in the deviation walk (until it reaches a new least overload)
    while trades < limit:
        over = overload(loads, np.arange(k))
        if over.sum() < best_point[0] - 1e-12:
            best_point, walking = (over.sum(), len(log)), False
        if not (over > 0).any() or len(log) - best_point[1] > patience:
            break
        best = None
        steps = [(deviation, False), (deviation, True)]
        if not walking:
            steps = [(overload, False)] + steps
        for potential, inside in steps:
            for a in np.argsort(-over, kind="stable")[: int((over > 0).sum())]:
                best = _best_trade(int(a), labels, weights, movable, loads, rows, cols, adjacency, potential,
                                   candidates, inside)
                if best is not None:
                    break  # the most overloaded block that can trade does
            if best is not None:
                # an overload step never undoes the walk's (they would cycle)
                walking = potential is deviation
                break
        if best is None:
            break
        a, b, x, y = best
        log.append((a, b, x, y))
        labels[x] = b
        loads[a] -= weights[x]
        loads[b] += weights[x]
        if y >= 0:
            labels[y] = a
            loads[b] -= weights[y]
            loads[a] += weights[y]
        trades += 1
    if overload(loads, np.arange(k)).sum() < best_point[0] - 1e-12:
        best_point = (0.0, len(log))  # (the limit stopped the walk at its best point)
    for a, b, x, y in reversed(log[best_point[1]:]):  # back to the least overloaded point
        labels[x] = a
        if y >= 0:
            labels[y] = b
    return best_point[1]


def _best_trade(a, labels, weights, movable, loads, rows, cols, adjacency, potential, candidates, inside=False):
    """The best trade of block ``a`` with a neighbour (see
    :func:`_trade_pairs`) as ``(a, b, u, v)`` (``v = -1``: a single move),
    or None when none lowers ``potential(load, block)``.  Candidates are
    the nodes along the boundary between the two blocks, or with
    ``inside`` every movable node of the two (and ``b`` any block)."""
    in_a = labels == a
    across = in_a[rows] & (labels[cols] != a) & (movable[rows] > 0)
    best = None
    # with ``inside``, any other block: the sides of a split of a graph in
    # pieces may not touch at all
    others = np.flatnonzero(np.arange(loads.shape[0]) != a) if inside else np.unique(labels[cols[across]])
    for b in others:
        b = int(b)
        in_b = labels == b
        before = potential(loads[a], a) + potential(loads[b], b)
        if inside:
            # any movable node of either block (the boundary may hold only one kind of node)
            u = np.flatnonzero(in_a & (movable > 0))
            v = np.flatnonzero(in_b & (movable > 0))
        else:
            # movable nodes of a next to b, and of b next to a
            u = np.unique(rows[across & in_b[cols]])
            v = np.unique(rows[in_b[rows] & in_a[cols] & (movable[rows] > 0)])
        # cut gain of a single move: weight to the new block - weight kept
        gu = adjacency[u] @ (in_b.astype(np.float64) - in_a)
        gv = adjacency[v] @ (in_a.astype(np.float64) - in_b)
        if u.size == 0:
            continue
        u, gu = _shortlist(u, gu, weights, loads[a] - loads[b], candidates)
        v, gv = _shortlist(v, gv, weights, loads[b] - loads[a], candidates)
        # u alone: a -> b
        after = potential(loads[a] - weights[u], a) + potential(loads[b] + weights[u], b)
        i = int(np.lexsort((-gu, after))[0])
        if after[i] < before - 1e-12 and (best is None or (after[i] - before, -gu[i]) < best[0]):
            best = ((after[i] - before, -gu[i]), b, u[i], -1)
        if v.size:
            # u to b and v to a; an edge u-v stays cut, so both gains drop it
            d = weights[u][:, None, :] - weights[v][None, :, :]
            after = potential(loads[a] - d, a) + potential(loads[b] + d, b)
            gain = gu[:, None] + gv[None, :] - 2 * adjacency[u][:, v].toarray()
            i, j = divmod(int(np.lexsort((-gain.ravel(), after.ravel()))[0]), v.size)
            if after[i, j] < before - 1e-12 and (best is None or (after[i, j] - before, -gain[i, j]) < best[0]):
                best = ((after[i, j] - before, -gain[i, j]), b, u[i], v[j])
    return None if best is None else (a, *best[1:])


def _shortlist(nodes, gains, weights, surplus, size):
    """At most ``size`` of ``nodes``: half the best by cut gain, half the
    heaviest in the constraints where the sender's load exceeds the
    receiver's (``surplus``, per constraint)."""
    if nodes.size <= size:
        return nodes, gains
    half = size // 2
    by_gain = np.argsort(-gains, kind="stable")[:half]
    lean = np.maximum(surplus, 0)
    lean = lean / max(lean.sum(), 1e-300)
    by_weight = np.argsort(-(weights[nodes] @ lean), kind="stable")[:half]
    keep = np.unique(np.concatenate([by_gain, by_weight]))
    return nodes[keep], gains[keep]


def _loads(weights, labels, k):
    return np.stack([np.bincount(labels, weights=weights[:, j], minlength=k) for j in range(weights.shape[1])], 1)


def _overload(weights, labels, k, max_block_weights):
    """Total excess over the bounds, each constraint relative to its total."""
    totals = weights.sum(axis=0)
    totals[totals == 0] = 1.0
    excess = 0.0
    for j in range(weights.shape[1]):
        w = np.bincount(labels, weights=weights[:, j], minlength=k)
        excess += float(np.maximum(w - max_block_weights[:, j], 0).sum() / totals[j])
    return excess


def _record(history, step, value):
    if history is not None:
        history.append({"phase": "constraints", "step": step, "objective": value})


def relabel_to_pins(labels, fixed, k, weights):
    """``labels`` with blocks renumbered so that as much pinned weight as
    possible already lies in its block (an assignment problem on the k x k
    table of pinned weight per (current block, pinned block))."""
    from scipy.optimize import linear_sum_assignment

    pinned = np.flatnonzero(fixed >= 0)
    if pinned.size == 0:
        return labels
    w = weights[pinned].sum(axis=1) if weights.ndim == 2 else weights[pinned]
    table = np.zeros((k, k))
    np.add.at(table, (labels[pinned], fixed[pinned]), w + 1e-9)
    rows, cols = linear_sum_assignment(table, maximize=True)
    perm = np.empty(k, np.int64)
    perm[rows] = cols
    return perm[labels]


def make_contiguous(graph, labels, k, movable, max_rounds=200):
    """Move every stray piece of a block into the neighbouring block it
    shares the most edge weight with, until each block is connected
    (``labels`` in place).  The piece a block keeps is the one with its
    pinned nodes, else its heaviest.  Pieces holding pinned nodes of their
    block never move.  Returns the number of nodes moved."""
    from .._kernels.pieces import block_pieces

    n = graph.num_nodes
    count, piece = block_pieces(graph.indptr, graph.indices, labels)
    if count == int(np.count_nonzero(np.bincount(labels, minlength=k))):
        return 0  # every block in one piece (the common case, checked at every level)
    rows = np.repeat(np.arange(n), np.diff(graph.indptr))
    cols = graph.indices
    weights = graph.edge_weights.astype(np.float64)
    node_w = graph.node_weights.astype(np.float64)
    pinned = (movable == 0).astype(np.float64)
    moved = 0
    for round_ in range(max_rounds):
        if round_:
            count, piece = block_pieces(graph.indptr, graph.indices, labels)
        inside = labels[rows] == labels[cols]
        piece_block = np.empty(count, np.int64)
        piece_block[piece] = labels
        if count == len(np.unique(piece_block)):
            break
        # the piece each block keeps: most pinned weight, then heaviest
        pinned_weight = np.bincount(piece, weights=pinned, minlength=count)
        score = pinned_weight * (node_w.sum() + 1) + np.bincount(piece, weights=node_w, minlength=count)
        keep = np.full(k, -1, np.int64)
        for p in np.argsort(-score, kind="stable"):
            if keep[piece_block[p]] < 0:
                keep[piece_block[p]] = p
        stray = np.ones(count, bool)
        stray[keep[keep >= 0]] = False
        stray &= pinned_weight == 0
        if not stray.any():
            break
        # edge weight from each stray piece to the kept pieces of other
        # blocks: a piece that joins a kept piece never strays again (pieces
        # swapped between two stray neighbours could go back and forth);
        # pieces touching only strays wait for a later round
        kept = np.zeros(count, bool)
        kept[keep[keep >= 0]] = True
        across = ~inside & stray[piece[rows]] & kept[piece[cols]]
        key = piece[rows[across]] * k + labels[cols[across]]
        links = np.bincount(key, weights=weights[across], minlength=count * k).reshape(count, k)
        target = np.argmax(links, axis=1)
        movers = stray & (links.max(axis=1) > 0)
        if not movers.any():
            break
        move = movers[piece]
        labels[move] = target[piece[move]]
        moved += int(move.sum())
    return moved


def _move_pieces(graph, labels, k, weights, bounds, movable, max_moves=None, candidates=16, budget=1024):
    """Lower the overload of contiguous blocks by moving a boundary node
    together with whatever its removal cuts off from its block.

    On graphs with hubs or long chains most boundary nodes of a block are
    cut vertices of it: moving one alone splits the block, so the
    contiguity-keeping moves of the kernel find nothing to shed.  Moving
    the node with the pieces it alone held to the block keeps both blocks
    connected (the pieces hang on the moved node, which touches the
    receiver).  Each step takes the most overloaded block that can shed
    and, of its moves (node, receiving neighbour) that keep the receiver
    within its bound, the one that sheds the whole excess at the least cut
    damage, else the least damage per unit of weight shed.  Single
    constraint (``weights`` shape (n, 1)); ``labels`` in place; returns the
    number of nodes moved.  At most ``candidates`` nodes of a block are
    tried per step and ``budget`` in all (each costs a search of its
    block), so graphs where nothing can move stay cheap.
    """
    from .._kernels.pieces import detach_group

    n = graph.num_nodes
    w = np.ascontiguousarray(weights[:, 0], np.float64)
    bound = bounds[:, 0]
    rows = np.repeat(np.arange(n), np.diff(graph.indptr))
    cols = graph.indices
    ew = graph.edge_weights.astype(np.float64, copy=False)
    loads = np.bincount(labels, weights=w, minlength=k)
    seen = np.full(n, -1, np.int64)
    queue = np.empty(n, np.int64)
    group = np.empty(n, np.int64)
    conn = np.zeros(k, np.float64)
    moved, limit = 0, max_moves if max_moves is not None else n
    while moved < limit and budget > 0:
        over = np.maximum(loads - bound, 0)
        if not over.any():
            break
        best = None
        outside = labels[rows] != labels[cols]
        for a in np.argsort(-over, kind="stable")[: int((over > 0).sum())]:
            a = int(a)
            edges = outside & (labels[rows] == a) & (movable[rows] > 0)
            boundary = rows[edges]
            # the candidates with the most edge weight to other blocks first
            gain = np.bincount(boundary, weights=ew[edges], minlength=n)[np.unique(boundary)]
            boundary = np.unique(boundary)[np.argsort(-gain, kind="stable")[:candidates]]
            for v in boundary:
                if budget <= 0:
                    break
                budget -= 1
                count, shed = detach_group(graph.indptr, graph.indices, ew, labels, a, int(v), w, movable, seen,
                                           queue, group, conn)
                if count <= 0 or shed <= 0:
                    continue
                relief = min(shed, over[a])
                for b in np.flatnonzero(conn > 0):
                    if b == a or loads[b] + shed > bound[b]:
                        continue
                    # a move that sheds the whole excess at the least cut
                    # damage, else the least damage per unit shed
                    gain = conn[b] - conn[a]
                    key = (0, -gain) if shed >= over[a] else (1, -gain / relief)
                    if best is None or key < best[0]:
                        best = (key, a, int(b), group[:count].copy())
            if best is not None:
                break
        if best is None:
            break
        _, a, b, members = best
        labels[members] = b
        loads[a] -= w[members].sum()
        loads[b] += w[members].sum()
        moved += members.size
    return moved
