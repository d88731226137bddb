"""Component-aware partitioning: pieces of a disconnected graph as units.

A graph in pieces (a finite-element model of several parts, a mesh with
isolated nodes) is partitioned best by keeping pieces whole wherever they
fit and cutting only the pieces too large for the room left.  The driver:

1. finds the connected components once (:func:`klpart._kernels.ordering.components`);
2. *plans*: components, largest first, go whole into the block with the most
   room left (within its bound); a component too heavy for every block's
   room is *split*: it is given quotas, whole blocks first (largest room)
   and its last part in the block whose room fits it most tightly, so that
   each split piece spans as few blocks as possible;
3. partitions every split component on its own (the multilevel driver on
   the induced subgraph, with the quotas as block targets);
4. packs the whole components into the room the split pieces actually left,
   largest first, each into the block with most room: the small components
   and isolated nodes come last and even the blocks out.

When the whole components do not fit in the room the split pieces left
(one would have to be cut), the plan is carried out again with their room
reserved first, and that result is kept unless it is less balanced.

A connected graph goes straight to :func:`multilevel_partition`; the extra
cost is one union-find pass over the graph's rows.

References: bin packing by "largest first" (longest-processing-time) as in
Graham, "Bounds on multiprocessing timing anomalies", SIAM J. Appl. Math. 17
(1969); KaHIP and METIS treat components the same way as connected graphs,
which is what this module improves on.
"""

import heapq

import numpy as np

from .._timing import NO_CLOCK
from .cycle import multilevel_partition

__all__ = ["component_partition", "plan_components"]


def component_partition(graph, k, targets, max_block_weights, imbalance, config, state, history=None,
                        clock=NO_CLOCK, level_hook=None):
    """Labels 0..k-1 (int64) of ``graph``, keeping components whole where they fit.

    Same parameters and result as :func:`klpart.multilevel.multilevel_partition`,
    which it calls unchanged for a connected graph (and for each component
    that must be split; ``level_hook`` is passed on for a connected graph
    only: it serves contiguity, which needs one).  ``history`` receives, before the split
    components' level entries, one entry ``{"phase": "components",
    "components": c, "packed": [...], "split": [...], "flow_gain": g}``: ``packed`` lists
    ``[component size, block]`` of the whole components that are not single
    nodes (``isolated`` counts those), ``split`` lists ``{"nodes": size,
    "blocks": [...], "cut": c}`` per split component, ``flow_gain`` is the
    cut decrease of the flow step run after the packing (0 when nothing was
    split or the whole components weigh less than the imbalance slack, see
    ``RefinementConfig.pieces_flow_rounds``).  The level entries of
    the i-th split component carry cycle numbers after those of the ones
    before it.

    Examples
    --------
    Two triangles and a square, three blocks: no edge is cut.

    >>> import networkx as nx
    >>> import numpy as np
    >>> from klpart.convert import as_csr_graph
    >>> from klpart.config import preset
    >>> from klpart._rng import kernel_state
    >>> G = nx.disjoint_union_all([nx.cycle_graph(3), nx.cycle_graph(3), nx.cycle_graph(3)])
    >>> g = as_csr_graph(G)
    >>> history = []
    >>> labels = component_partition(g, 3, [3, 3, 3], [3, 3, 3], 0.0, preset("default"),
    ...                              kernel_state(0), history)
    >>> sorted(np.bincount(labels).tolist()), history[0]["split"]
    ([3, 3, 3], [])
    """
    from .._kernels.ordering import components

    targets = np.asarray(targets, np.float64)
    max_block_weights = np.asarray(max_block_weights, np.float64)
    with clock("components"):
        count, comp = components(graph.indptr, graph.indices)
    if count <= 1:
        return multilevel_partition(graph, k, targets, max_block_weights, imbalance, config, state, history, clock,
                                    level_hook)

    with clock("components"):
        weights = np.bincount(comp, weights=graph.node_weights, minlength=count)
        sizes = np.bincount(comp, minlength=count)
        order = np.argsort(-weights, kind="stable")
        plans = [plan_components(weights[order], targets, max_block_weights, fewest)
                 for fewest in (True, False)]
        # members of every component, grouped (one stable sort)
        by_comp = np.argsort(comp, kind="stable")
        starts = np.concatenate(([0], np.cumsum(sizes)))
    if _same_plan(*plans):
        plans = plans[:1]
    # spanning fewer blocks (filled into their slack) saves the cut around a
    # part on some meshes and costs balance freedom on others: when the two
    # plans differ, both are carried out and the better result kept
    from .._kernels.kway import kway_cut
    from .refinement import overweight

    candidates = []
    for split, quotas in plans:
        # first with the split pieces free to use the whole components'
        # room; when the whole components then no longer fit (one would have
        # to be cut), again with their room reserved, which keeps them whole:
        # that one is kept unless it is less balanced (a component that fits
        # is never cut for a few edges elsewhere)
        for reserve in (False, True):
            local = [] if history is not None else None
            labels, overflow, rooms_moved = _carry_out(graph, k, targets, max_block_weights, imbalance, config,
                                                       state, local, clock, comp, count, weights, sizes, order,
                                                       by_comp, starts, split, quotas, reserve)
            candidates.append((labels, overflow, local, rooms_moved))
            if not overflow:
                break

    def rank(candidate):
        labels, overflow = candidate[:2]
        return (overweight(graph, labels, k, max_block_weights), overflow,
                kway_cut(graph.indptr, graph.indices, graph.edge_weights, labels))

    # min keeps the first of equal ranks; one candidate needs no rank (its
    # cut is a pass over every edge: 0.15 s on a 2**20-node geometric graph)
    labels, _, local, rooms_moved = candidates[0] if len(candidates) == 1 else min(candidates, key=rank)
    rounds = config.refinement.pieces_flow_rounds
    if rooms_moved and rounds > 0:
        # the cut lies all in the split components, partitioned before the
        # packing settled each block's room: flows between adjacent blocks
        # re-shape their parts within the final bounds (a graph in pieces,
        # k = 4 and 8, default preset: cut / KaHIP strong's 1.08 -> 1.01).
        # Whole components lighter than the slack (a mesh and a few
        # isolated nodes) change no room the split saw: the step would be
        # the preset's k-way flows on a connected graph, which it leaves
        # off for time (fe_pwt, 56 isolated nodes: 1.25-1.32x the time at
        # k = 16 and 64 for 0.3-1.3% of the cut)
        from .cycle import check_state, debug_enabled
        from .refinement import pairwise_flow_refine

        debug = debug_enabled(config)
        if debug:
            over_before, _, cut_before = rank((labels, False))
        with clock("flows"):
            gained = pairwise_flow_refine(graph, labels, k, max_block_weights, targets, config.refinement, rounds)
        if debug:
            check_state(graph, labels, k, cut_before - gained, "flows after packing the components",
                         max_block_weights, over_before)
        if local is not None:
            local[0]["flow_gain"] = int(round(gained)) if graph.edge_weights.dtype.kind == "i" else float(gained)
    if history is not None:
        history.extend(local)
    return labels


def _same_plan(a, b):
    return a[0] == b[0] and all(np.array_equal(x, y) for x, y in zip(a[1], b[1]))


def _carry_out(graph, k, targets, max_block_weights, imbalance, config, state, history, clock, comp, count,
               weights, sizes, order, by_comp, starts, split, quotas, reserve=False):
    """Labels of one plan: split components partitioned over their quotas,
    whole ones packed into the room left, then the whole graph refined.

    Returns ``(labels, overflow, rooms_moved)``; ``overflow``: the whole
    components did not fit in the room the split pieces left (before the
    final refinement); ``rooms_moved``: a component was split and the
    whole ones weigh more than the imbalance slack, so the packing changed
    the room each block had when the split pieces were partitioned (the
    polish after the packing pays only then).  With ``reserve``, the whole components are placed first
    (packed into the room the quotas leave) and the split pieces are
    bounded by what remains, so they fit whenever that placement does."""
    split_ids = [int(order[i]) for i in split]
    whole = np.ones(count, bool)
    whole[split_ids] = False
    rest = order[whole[order]]
    labels = np.full(graph.num_nodes, -1, np.int64)
    loads = np.zeros(k, np.float64)
    entry = {"phase": "components", "components": int(count), "packed": [], "isolated": 0, "split": [],
             "flow_gain": 0}
    if history is not None:
        history.append(entry)
    planned = np.sum(quotas, axis=0) if quotas else np.zeros(k)
    reserved = np.zeros(k)
    if reserve:
        with clock("components"):
            placed = _pack(weights[rest], targets - planned)
            reserved = np.bincount(placed, weights=weights[rest], minlength=k)
    for c, quota in zip(split_ids, quotas):
        members = by_comp[starts[c]:starts[c + 1]]
        blocks = np.flatnonzero(quota > 0)
        # a split piece may also take the room the whole components were
        # planned to fill (they are packed afterwards, into what it leaves),
        # never less than its own share of the block's slack, never past a bound
        own_slack = quota * max_block_weights / np.maximum(targets, 1e-300)
        room = np.minimum(np.maximum(max_block_weights - (planned - quota), own_slack), max_block_weights)
        if reserve:
            room = np.maximum(np.minimum(room, max_block_weights - reserved - (planned - quota)), quota)
        sub_labels, cut = _split_component(graph, members, quota[blocks], room[blocks], config, state, history,
                                           clock, imbalance)
        labels[members] = blocks[sub_labels]
        loads += np.bincount(labels[members], weights=graph.node_weights[members], minlength=k)
        entry["split"].append({"nodes": int(members.size), "blocks": blocks.tolist(), "cut": cut})

    with clock("components"):
        if reserve and np.all(loads + reserved <= max_block_weights + 1e-9):
            block_of = placed  # the placement the split pieces left room for
        else:
            block_of = _pack(weights[rest], targets - loads)
        final = loads + np.bincount(block_of, weights=weights[rest], minlength=k)
        overflow = bool(np.any(final > max_block_weights + 1e-9))
        comp_block = np.full(count, -1, np.int64)
        comp_block[rest] = block_of
        unset = labels < 0
        labels[unset] = comp_block[comp[unset]]
    rooms_moved = bool(split_ids) and float(weights[rest].sum()) > float(np.sum(max_block_weights - targets))
    if split_ids:
        # the whole graph at once: the split pieces' borders may use the slack the packing left
        from .refinement import local_fm_refine, refine_level
        with clock("refinement"):
            refine_level(graph, labels, k, max_block_weights, targets, config.refinement, state)
        # localized FM only when the rooms moved: whole components lighter
        # than the slack (a mesh's isolated nodes) leave the split the rooms
        # it saw, and its own localized FM ran there (geometric graphs of
        # 2**14-2**18 nodes and fe_pwt, seeds 0-3: time -9% at k = 2 and
        # -7% at k = 64, cut +0.1% and +0.4%)
        if config.refinement.local_rounds > 0 and rooms_moved:
            with clock("local_fm"):
                local_fm_refine(graph, labels, k, max_block_weights, config.refinement, state)
    with clock("components"):
        big = sizes[rest] > 1
        entry["packed"] = [[int(s), int(b)] for s, b in zip(sizes[rest][big], block_of[big])]
        entry["isolated"] = int((~big).sum())
    return labels, overflow, rooms_moved


def plan_components(weights, targets, max_block_weights, fewest=True):
    """Which components must be split, and their quota in every block.

    Parameters
    ----------
    weights : ndarray of float
        Component weights, heaviest first.
    targets, max_block_weights : ndarray of float, shape (k,)
    fewest : bool, optional
        Let a component heavier than every bound span fewer blocks by
        filling them into their slack, when that saves a block (see below).

    Returns
    -------
    split : list of int
        Positions (in ``weights``) of the components to split, in order.
    quotas : list of ndarray, shape (k,)
        For each, the weight it should put in each block (0 = none).

    Components heavier than every bound are split first, over as few
    blocks as the bounds allow: when the imbalance slack lets them span one
    block fewer, over the blocks with most room, each filled in proportion
    to its bound; else whole blocks, largest room first, ending in the block
    whose room fits the remainder most tightly.  The others go whole, largest first, into the
    block with most room, unless no block has room for them within its
    bound: then they are split over the room left.

    Examples
    --------
    A piece of 68% and two of 16% in two blocks: the big one is split, the
    two small ones fill the block it leaves room in.

    >>> import numpy as np
    >>> split, quotas = plan_components(np.array([68.0, 16, 16]), np.array([50.0, 50]), np.array([51.5, 51.5]))
    >>> split, quotas[0].tolist()
    ([0], [50.0, 18.0])
    """
    weights = np.asarray(weights, np.float64)
    targets = np.asarray(targets, np.float64)
    slack = np.asarray(max_block_weights, np.float64) - targets
    room = targets.copy()
    split, quotas = [], []
    heaviest_bound = float((targets + slack).max())
    first = [i for i, w in enumerate(weights.tolist()) if w > heaviest_bound]
    for i in first:
        quota = None
        if fewest:
            quota = _fewest_blocks(weights[i], room, slack, float(weights.sum() - weights[: i + 1].sum()))
        if quota is None:
            quota = _quota(weights[i], room)
        room -= quota
        split.append(i)
        quotas.append(quota)
    chosen = set(first)
    for i, w in enumerate(weights.tolist()):
        if i in chosen:
            continue
        b = int(np.argmax(room))
        if w <= room[b] + slack[b] + 1e-9 * max(w, 1.0):
            room[b] -= w
            continue
        quota = _quota(w, room)
        room -= quota
        split.append(i)
        quotas.append(quota)
    return split, quotas


def _fewest_blocks(weight, room, slack, rest):
    """Quotas that spread ``weight`` over fewer blocks than whole rooms
    plus a remainder would, by filling blocks past their targets into the
    imbalance slack (each in proportion to its bound); None when the slack
    saves no block, or when the ``rest`` of the graph (the weight still to
    place) would fill the blocks left out to less than half their room:
    a nearly empty block is not what a user asking for k blocks expects.

    Every block a component spans adds a stretch of cut around its part: a
    mesh of 5.12 blocks' weight at 3% imbalance fits in 5 blocks at their
    bounds instead of 5 whole ones and a sixth for the last 0.12."""
    cap = np.maximum(room + slack, 0.0)
    by_cap = np.argsort(-cap, kind="stable")
    reach = np.cumsum(cap[by_cap])
    if reach.size == 0 or reach[-1] < weight:
        return None
    m = int(np.searchsorted(reach, weight)) + 1
    free = np.maximum(room, 0.0)
    whole = int(np.searchsorted(np.cumsum(np.sort(free)[::-1]), weight * (1 - 1e-12))) + 1
    if m >= whole:
        return None
    chosen = by_cap[:m]
    if rest < 0.5 * free[by_cap[m:]].sum():
        return None
    quota = np.zeros_like(room)
    quota[chosen] = weight * cap[chosen] / cap[chosen].sum()
    return quota


def _quota(weight, room):
    """Spread ``weight`` over the rooms: whole rooms, largest first, and the
    remainder in the smallest room that holds it (as few blocks as
    possible, the last one filled tightly)."""
    free = np.maximum(room, 0.0)
    quota = np.zeros_like(free)
    left = float(weight)
    while left > 1e-12 * max(weight, 1.0):
        fits = np.flatnonzero((free >= left) & (quota == 0))
        if fits.size:
            b = fits[np.argmin(free[fits])]
            quota[b] += left
            break
        open_ = np.flatnonzero(quota == 0)
        if open_.size == 0 or free[open_].max() <= 0:
            # no room anywhere (the bounds cannot hold the graph): spread the rest evenly
            quota += left / quota.size
            break
        b = open_[np.argmax(free[open_])]
        quota[b] = free[b]
        left -= free[b]
    return quota


def _split_component(graph, members, quota, bounds, config, state, history, clock, imbalance):
    """Multilevel partition of one component over its blocks (targets
    ``quota``, bounds ``bounds``); local labels 0..len(quota)-1 and the cut."""
    from .._kernels.kway import induced_subgraph, kway_cut
    from ..graph import CSRGraph

    with clock("components"):
        sub = CSRGraph(
            *induced_subgraph(graph.indptr, graph.indices, graph.edge_weights, graph.node_weights, members),
            validate=False,
        )
    # the weight the subgraph actually has (floating quotas may drift)
    scale = float(sub.node_weights.sum()) / max(float(quota.sum()), 1e-300)
    quota = quota * scale
    sub_bounds = np.maximum(bounds, quota)
    if sub.node_weights.dtype.kind == "i":
        sub_bounds = np.maximum(np.floor(sub_bounds + 1e-9), float(sub.node_weights.max()))
    if quota.size == 1:
        return np.zeros(sub.num_nodes, np.int64), 0
    local = [] if history is not None else None
    sub_labels = multilevel_partition(sub, int(quota.size), quota, sub_bounds, imbalance, config, state, local,
                                      clock)
    if history is not None:
        offset = 1 + max((h["cycle"] for h in history if "cycle" in h), default=-1)
        for h in local:
            h["cycle"] += offset
        history.extend(local)
    with clock("components"):
        cut = kway_cut(sub.indptr, sub.indices, sub.edge_weights, sub_labels)
    cut = int(round(cut)) if sub.edge_weights.dtype.kind == "i" else float(cut)
    return sub_labels, cut


def _pack(weights, room):
    """Block of each whole component (weights heaviest first): each into the
    block with most room left (largest first), which evens the blocks out
    to within the smallest components' weight."""
    k = room.size
    out = np.empty(weights.size, np.int64)
    # runs of equal weights (isolated unit nodes) are spread in bulk
    heap = [(-float(r), b) for b, r in enumerate(room.tolist())]
    heapq.heapify(heap)
    w = weights.tolist()
    i = 0
    n = len(w)
    while i < n:
        j = i
        while j < n and w[j] == w[i]:
            j += 1
        if j - i >= 4 * k and w[i] > 0:
            i = _pack_run(heap, out, i, j, w[i])
            continue
        neg, b = heapq.heappop(heap)
        out[i] = b
        heapq.heappush(heap, (neg + w[i], b))
        i += 1
    return out


def _pack_run(heap, out, i, j, w):
    """Items i..j-1 all of weight ``w``: give each block its share at once
    (water filling), as the one-by-one loop would up to ties; returns j."""
    rooms = sorted((-neg, b) for neg, b in heap)  # ascending room
    count = j - i
    # the level L such that sum over blocks of ceil((room - L) / w) items, for room > L, is count
    r = np.array([x for x, _ in rooms])
    blocks = [b for _, b in rooms]
    lo, hi = float(r.min()) - count * w - w, float(r.max())
    for _ in range(100):
        mid = (lo + hi) / 2
        take = np.maximum(np.ceil((r - mid) / w - 1e-12), 0).sum()
        if take > count:
            lo = mid
        else:
            hi = mid
    take = np.maximum(np.ceil((r - hi) / w - 1e-12), 0).astype(np.int64)
    extra = count - int(take.sum())
    # the leftover items go to the blocks with most room after the fill
    after = r - take * w
    for idx in np.argsort(-after, kind="stable")[:extra]:
        take[idx] += 1
    pos = i
    heap.clear()
    for idx, b in enumerate(blocks):
        out[pos:pos + take[idx]] = b
        pos += take[idx]
        heap.append((-(r[idx] - take[idx] * w), b))
    heapq.heapify(heap)
    return j
