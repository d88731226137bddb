"""Constrained k-way refinement: pins, several balance constraints,
contiguous blocks, cut or communication volume, migration cost.

:func:`constrained_refine` is a k-way refinement generalised to the
constraints of :mod:`klpart.multilevel.constraints`:

1. a **balance phase** moves nodes out of blocks that exceed their bound on
   some constraint, least objective loss first, into blocks that stay within
   their bounds on every constraint;
2. **refinement passes**, each made of a global **FM pass**
   (Fiduccia-Mattheyses: the movable boundary nodes in a priority queue
   keyed by the gain of their best feasible move, moved best first even at
   a loss, each once, then a rollback to the best prefix), a round of
   **localized FM searches** (the same moves, grown from one boundary node
   at a time, as in KaHIP's k-way FM) and a **greedy pass** (the movable
   boundary nodes in random order, each moved to its best feasible
   neighbouring block when that lowers the objective, or keeps it and
   evens the loads).  The FM moves climb out of the local minima the
   greedy moves end in.

Every refinement move keeps every constraint: the target block fits the
node on every constraint, pinned nodes never move, no block loses its last
node, and with contiguity a node leaves its block only when that does not
split it and enters only a block where it has a neighbour.

Array contract: ``indptr`` and ``indices`` int64, ``edge_weights`` float64
(symmetric CSR; self-loops are allowed and ignored), ``node_weights``
float64 (n, c) C-contiguous, ``max_block_weights`` float64 (k, c),
``labels`` int64 in ``[0, k)`` (changed in place), ``movable`` uint8 (0 =
pinned), ``node_sizes`` float64 (n,), ``old_labels`` int64 (n,) (-1 = no
old block), ``state`` the uint64[1] RNG state of :mod:`klpart._kernels.rng`.

The objective is ``cut`` (``objective`` 0: total weight of the edges between
blocks) or ``volume`` (1: sum over nodes u of ``node_sizes[u]`` times the
number of blocks other than u's own among u's neighbours), plus
``migration_cost`` times the size of the nodes whose block differs from a
non-negative old label.

Every candidate move is scored through one set of per-call scratch arrays
(:func:`_workspace`) whose entries are valid only where their stamp equals
the current call's stamp, so nothing is cleared between nodes and nothing is
allocated per node.
"""

import numpy as np
from numba import njit

from .pq import pq_pop, pq_push, pq_remove, pq_update
from .rng import below, shuffle_prefix

# Counters and flags that reach a helper call start as np.int64 / np.bool_
# values, not literals: Numba would compile one more specialisation of the
# helper for the literal type.

#: Denominator guard of the relative loads (a bound of 0 gives a huge load).
_TINY = 1e-300

# slots of the ``clock`` array of the workspace
_BLOCK_CLOCK = 0  # stamps of blk_stamp (v's neighbouring blocks)
_NODE_CLOCK = 1  # stamps of node_stamp / node_visit (distinct neighbours, contiguity BFS)
_SEEN_CLOCK = 2  # stamps of blk_seen (blocks around one neighbour u of v)
_HEAP_CLOCK = 3  # tie-break stamps of the balance heap
_WORK = 4  # row entries the move evaluations have scanned (the FM passes' work)
_WORK_LIMIT = 5  # value of clock[_WORK] at which the current FM pass stops


@njit(cache=True)
def _workspace(n, k):
    """Scratch arrays shared by every move evaluation.

    Returns
    -------
    blk_stamp : int64[k]
        ``blk_stamp[b]`` equals the current stamp when v has a neighbour in b.
    conn : float64[k]
        Edge weight from v to block b (valid where ``blk_stamp`` is current).
    touched : int64[k]
        v's neighbouring blocks other than its own.
    blk_seen : int64[k]
        Blocks adjacent to one neighbour u of v (volume gains).
    cand, cand_gain, lost : int64[k], float64[k], float64[k]
        Candidate target blocks, their gains, and the volume each would add
        to v's neighbours.
    node_stamp, node_visit, queue : int64[n]
        Distinct-neighbour marks, contiguity-test set and BFS queue.
    clock : int64[6]
        The stamp counters (see the ``_*_CLOCK`` slots), the work counter
        and the work limit of the FM passes (``_WORK``, ``_WORK_LIMIT``).
    """
    # one allocation per dtype and length, one (C-contiguous) row per array;
    # zeros: the stamps and counters start at 0, the other rows are written
    # before they are read
    per_block = np.zeros((4, k), np.int64)
    per_block_f = np.zeros((3, k), np.float64)
    per_node = np.zeros((3, n), np.int64)
    return (per_block[0], per_block_f[0], per_block[1], per_block[2], per_block[3], per_block_f[1], per_block_f[2],
            per_node[0], per_node[1], per_node[2], np.zeros(6, np.int64))


@njit(cache=True)
def _block_state(node_weights, labels, k, W, count):
    """Recompute block weights ``W`` (k, c) and node counts ``count`` (k,)
    from scratch (refinement passes call this to drop rounding drift)."""
    W[:, :] = 0.0
    count[:] = 0
    c = node_weights.shape[1]
    for u in range(labels.shape[0]):
        b = labels[u]
        count[b] += 1
        for j in range(c):
            W[b, j] += node_weights[u, j]


@njit(cache=True, inline="always")
def _fits(W, max_block_weights, node_weights, v, b):
    """True when block b stays within its bound on every constraint after
    receiving v (never true for a block already over on a constraint)."""
    for j in range(W.shape[1]):
        if W[b, j] + node_weights[v, j] > max_block_weights[b, j]:
            return False
    return True


@njit(cache=True, inline="always")
def _load(W, max_block_weights, b, extra, node_weights, v):
    """Relative load ``max_j (W[b, j] + extra * w[v, j]) / max[b, j]`` of
    block b with v added (extra = 1), removed (-1) or untouched (0)."""
    worst = 0.0
    for j in range(W.shape[1]):
        x = (W[b, j] + extra * node_weights[v, j]) / max(max_block_weights[b, j], _TINY)
        if j == 0 or x > worst:
            worst = x
    return worst


@njit(cache=True)
def _is_over(W, max_block_weights, b):
    for j in range(W.shape[1]):
        if W[b, j] > max_block_weights[b, j]:
            return True
    return False


@njit(cache=True)
def _relieves(W, max_block_weights, node_weights, v, a):
    """True when taking v out of block a lowers a's overload (a is over on a
    constraint on which v weighs something)."""
    for j in range(W.shape[1]):
        if W[a, j] > max_block_weights[a, j] and node_weights[v, j] > 0.0:
            return True
    return False


@njit(cache=True)
def _overload(W, max_block_weights, norm):
    """sum_b sum_j max(0, W[b, j] - max[b, j]) / norm[j]."""
    total = 0.0
    for b in range(W.shape[0]):
        for j in range(W.shape[1]):
            if W[b, j] > max_block_weights[b, j]:
                total += (W[b, j] - max_block_weights[b, j]) / norm[j]
    return total


@njit(cache=True)
def _overload_change(W, max_block_weights, norm, node_weights, v, a, b):
    """Change of :func:`_overload` when v moves from block a to block b.

    With several constraints a block can be over on one and tight on
    another, and no neighbour then fits v on every constraint; a move that
    lowers the total overload still makes progress (METIS balances
    multi-constraint partitions the same way)."""
    change = 0.0
    for j in range(W.shape[1]):
        w = node_weights[v, j]
        ma = max_block_weights[a, j]
        mb = max_block_weights[b, j]
        before = max(W[a, j] - ma, 0.0) + max(W[b, j] - mb, 0.0)
        after = max(W[a, j] - w - ma, 0.0) + max(W[b, j] + w - mb, 0.0)
        change += (after - before) / norm[j]
    return change


@njit(cache=True, inline="always")
def _neighbour_blocks(indptr, indices, edge_weights, labels, v, blk_stamp, conn, touched, clock):
    """Scan v's row once (self-loops skipped).

    Afterwards ``blk_stamp[b] == stamp`` exactly for the blocks holding a
    neighbour of v (its own block included when it has one), ``conn[b]`` is
    the edge weight from v to b there (``conn[own]`` is 0 when v has no
    neighbour in its own block) and ``touched[:nt]`` lists the neighbouring
    blocks other than v's own.  Returns ``(nt, stamp)``.
    """
    a = labels[v]
    stamp = clock[_BLOCK_CLOCK] + 1
    clock[_BLOCK_CLOCK] = stamp
    clock[_WORK] += indptr[v + 1] - indptr[v]
    conn[a] = 0.0
    nt = 0
    for p in range(indptr[v], indptr[v + 1]):
        u = indices[p]
        if u == v:
            continue
        b = labels[u]
        if blk_stamp[b] != stamp:
            blk_stamp[b] = stamp
            if b != a:
                conn[b] = 0.0
                touched[nt] = b
                nt += 1
        conn[b] += edge_weights[p]
    return nt, stamp


@njit(cache=True, inline="always")
def _candidate_gains(indptr, indices, labels, v, cand, nc, gains, objective, node_sizes, old_labels,
                     migration_cost, stamp, blk_stamp, conn, blk_seen, lost, node_stamp, clock):
    """Objective decrease of moving v from its block to each ``cand[:nc]``.

    Needs :func:`_neighbour_blocks` of v just before (``stamp``, ``conn``).

    Volume (objective 1): v's own term changes by
    ``size[v] * ([v has a neighbour in a] - [v has a neighbour in b])``;
    a neighbour u (counted once however often it appears) with block c
    stops counting block a when all of its links into a are links to v and
    c != a (the term ``gone_a``, the same for every target), and starts
    counting block b when it had no neighbour in b and c != b (``lost[b]``).
    Counting u's links means scanning u's row: O(sum of neighbour degrees).
    """
    a = labels[v]
    if objective == 0:
        for i in range(nc):
            b = cand[i]
            cb = conn[b] if blk_stamp[b] == stamp else 0.0
            gains[i] = cb - conn[a]
    else:
        has_a = 1.0 if blk_stamp[a] == stamp else 0.0
        for i in range(nc):
            lost[cand[i]] = 0.0
        gone_a = 0.0
        ns = clock[_NODE_CLOCK] + 1
        clock[_NODE_CLOCK] = ns
        for p in range(indptr[v], indptr[v + 1]):
            u = indices[p]
            if u == v or node_stamp[u] == ns:
                continue
            node_stamp[u] = ns
            seen = clock[_SEEN_CLOCK] + 1
            clock[_SEEN_CLOCK] = seen
            clock[_WORK] += indptr[u + 1] - indptr[u]
            in_a = 0  # u's links into block a, v's included
            to_v = 0  # u's links to v
            for q in range(indptr[u], indptr[u + 1]):
                x = indices[q]
                if x == u:
                    continue
                if x == v:
                    to_v += 1
                lx = labels[x]
                if lx == a:
                    in_a += 1
                blk_seen[lx] = seen
            if to_v == 0:
                continue  # a one-directional entry: u's term does not depend on v
            c = labels[u]
            if c != a and in_a == to_v:
                gone_a += node_sizes[u]
            for i in range(nc):
                b = cand[i]
                if b != c and blk_seen[b] != seen:
                    lost[b] += node_sizes[u]
        for i in range(nc):
            b = cand[i]
            has_b = 1.0 if blk_stamp[b] == stamp else 0.0
            gains[i] = node_sizes[v] * (has_b - has_a) + gone_a - lost[b]
    if migration_cost != 0.0:
        old = old_labels[v]
        if old >= 0:
            before = 1.0 if a != old else 0.0
            for i in range(nc):
                after = 1.0 if cand[i] != old else 0.0
                gains[i] += migration_cost * node_sizes[v] * (before - after)
    return gains


#: Nodes the contiguity test may visit before it gives up (and refuses).
CONTIGUITY_SEARCH = 64


@njit(cache=True)
def _stays_connected(indptr, indices, labels, v, node_stamp, node_visit, queue, clock):
    """Contiguity test for taking v out of its block a.

    True when v has a neighbour in a and its neighbours in a are connected
    to each other inside a without v: a breadth-first search in a - {v}
    from one of them reaches all the others within
    :data:`CONTIGUITY_SEARCH` visited nodes.  Then every path of a through v
    can detour, so a keeps its number of components.  The test is
    conservative: a search that runs out of budget refuses the move.  (A
    search limited to the neighbours themselves would refuse almost every
    move on quadrilateral meshes and grids, where a node's neighbours are
    never adjacent to each other; two or three steps through the block
    find the detour.)
    """
    a = labels[v]
    s = clock[_NODE_CLOCK] + 1
    clock[_NODE_CLOCK] = s
    members = 0
    first = -1
    for p in range(indptr[v], indptr[v + 1]):
        u = indices[p]
        if u == v or labels[u] != a or node_stamp[u] == s:
            continue
        node_stamp[u] = s
        members += 1
        if first < 0:
            first = u
    if members == 0:
        return False
    if members == 1:
        return True
    node_visit[v] = s  # the search never passes through v
    node_visit[first] = s
    queue[0] = first
    head = 0
    tail = 1
    found = 1
    while head < tail and tail <= CONTIGUITY_SEARCH:
        x = queue[head]
        head += 1
        for q in range(indptr[x], indptr[x + 1]):
            y = indices[q]
            if labels[y] != a or node_visit[y] == s:
                continue
            node_visit[y] = s
            queue[tail] = y
            tail += 1
            if node_stamp[y] == s:
                found += 1
                if found == members:
                    return True
    return False


@njit(cache=True)
def constrained_objective(indptr, indices, edge_weights, node_weights, labels, k, objective, node_sizes,
                          old_labels, migration_cost):
    """The objective of ``labels`` computed from scratch.

    Parameters
    ----------
    indptr, indices, edge_weights : ndarray
        Symmetric CSR graph (int64, int64, float64); self-loops ignored.
    node_weights : ndarray of float64, shape (n, c)
        Unused (kept so that the driver passes the same arrays as to
        :func:`constrained_refine`).
    labels : ndarray of int64
        Block of every node, in ``[0, k)``.
    k : int
        Number of blocks.
    objective : int
        0 = edge cut, 1 = communication volume.
    node_sizes : ndarray of float64
        Data size of every node (volume and migration).
    old_labels : ndarray of int64
        Old block of every node, -1 when it has none.
    migration_cost : float
        Weight of the migration term (0 disables it).

    Returns
    -------
    float
        Cut or volume plus ``migration_cost`` times the size of the nodes
        that left their old block.
    """
    n = indptr.shape[0] - 1
    total = 0.0
    if objective == 0:
        for u in range(n):
            b = labels[u]
            for p in range(indptr[u], indptr[u + 1]):
                if indices[p] != u and labels[indices[p]] != b:
                    total += edge_weights[p]
        total /= 2.0
    else:
        seen = np.zeros(k, np.int64)
        for u in range(n):
            b = labels[u]
            distinct = 0
            for p in range(indptr[u], indptr[u + 1]):
                x = indices[p]
                lx = labels[x]
                if x != u and lx != b and seen[lx] != u + 1:
                    seen[lx] = u + 1
                    distinct += 1
            total += node_sizes[u] * distinct
    if migration_cost != 0.0:
        moved = 0.0
        for u in range(n):
            if old_labels[u] >= 0 and labels[u] != old_labels[u]:
                moved += node_sizes[u]
        total += migration_cost * moved
    return total


@njit(cache=True)
def move_gain(indptr, indices, edge_weights, labels, k, v, b, objective, node_sizes, old_labels, migration_cost):
    """Objective decrease of moving node v to block b (any block, adjacent
    or not), as the refinement scores it; for tests and debugging (it
    allocates its scratch arrays on every call)."""
    n = indptr.shape[0] - 1
    blk_stamp, conn, touched, blk_seen, cand, cand_gain, lost, node_stamp, node_visit, queue, clock = _workspace(n, k)
    nt, stamp = _neighbour_blocks(indptr, indices, edge_weights, labels, v, blk_stamp, conn, touched, clock)
    cand[0] = b
    _candidate_gains(indptr, indices, labels, v, cand, np.int64(1), cand_gain, objective, node_sizes, old_labels,
                     migration_cost, stamp, blk_stamp, conn, blk_seen, lost, node_stamp, clock)
    return cand_gain[0]


@njit(cache=True)
def local_contiguity_ok(indptr, indices, labels, v):
    """The contiguity test the refinement applies before taking v out of its
    block (see :func:`_stays_connected`); for tests and debugging."""
    n = indptr.shape[0] - 1
    node_stamp = np.zeros(n, np.int64)
    node_visit = np.zeros(n, np.int64)
    queue = np.empty(n, np.int64)
    clock = np.zeros(6, np.int64)
    return _stays_connected(indptr, indices, labels, v, node_stamp, node_visit, queue, clock)


@njit(cache=True, inline="always")
def _rekey(heap, size, pos, key, hstamp, clock, n, v, t, g):
    """Heap upkeep after scoring v: out of the heap when it has no move
    (``t < 0``), else keyed with gain ``g`` and the newest tie-break stamp
    (among equal gains the search stays where it last moved)."""
    if t < 0:
        if pos[v] >= 0:
            pq_remove(heap, size, pos, key, hstamp, 0, n, v)
        return
    key[v] = g
    clock[_HEAP_CLOCK] += 1
    hstamp[v] = n + clock[_HEAP_CLOCK]
    if pos[v] >= 0:
        pq_update(heap, size, pos, key, hstamp, 0, n, v)
    else:
        pq_push(heap, size, pos, key, hstamp, 0, n, v)


@njit(cache=True, inline="always")
def _best_candidate(indptr, indices, labels, v, cand, nc, cand_gain, objective, node_sizes, old_labels,
                    migration_cost, stamp, blk_stamp, conn, blk_seen, lost, node_stamp, clock, W, max_block_weights,
                    node_weights):
    """``(block, gain, load)`` of v's best move among ``cand[:nc]`` (largest
    gain, then lowest relative load of the target with v added); the
    balance and the refinement moves choose alike."""
    _candidate_gains(indptr, indices, labels, v, cand, nc, cand_gain, objective, node_sizes, old_labels,
                     migration_cost, stamp, blk_stamp, conn, blk_seen, lost, node_stamp, clock)
    best = np.int64(-1)
    best_gain = 0.0
    best_load = 0.0
    for i in range(nc):
        b = cand[i]
        load = _load(W, max_block_weights, b, 1.0, node_weights, v)
        g = cand_gain[i]
        if best < 0 or g > best_gain or (g == best_gain and load < best_load):
            best = b
            best_gain = g
            best_load = load
    return best, best_gain, best_load


@njit(cache=True)
def _balance_move(indptr, indices, edge_weights, node_weights, labels, k, max_block_weights, movable, contiguous,
                  objective, node_sizes, old_labels, migration_cost, W, count, norm, anywhere, v, ws):
    """(target, gain) of v's best balance move, or (-1, 0.0) when v may not
    move: it is pinned, the only node of its block, its block is within
    bounds, taking it out would not lower the overload, or no target fits.

    Targets are v's neighbouring blocks that fit v on every constraint, plus
    with ``anywhere`` the relatively lightest fitting block that is not a
    neighbour.  Best = largest gain, then lowest relative load afterwards.
    """
    blk_stamp, conn, touched, blk_seen, cand, cand_gain, lost, node_stamp, node_visit, queue, clock = ws
    if movable[v] == 0:
        return -1, 0.0
    a = labels[v]
    if count[a] <= 1 or not _relieves(W, max_block_weights, node_weights, v, a):
        return -1, 0.0
    nt, stamp = _neighbour_blocks(indptr, indices, edge_weights, labels, v, blk_stamp, conn, touched, clock)
    nc = np.int64(0)
    for i in range(nt):
        b = touched[i]
        if _fits(W, max_block_weights, node_weights, v, b) or (
            W.shape[1] > 1 and _overload_change(W, max_block_weights, norm, node_weights, v, a, b) < -1e-12
        ):
            cand[nc] = b
            nc += 1
    if anywhere:
        light = -1
        light_load = 0.0
        for b in range(k):
            if b == a or blk_stamp[b] == stamp or not _fits(W, max_block_weights, node_weights, v, b):
                continue
            load = _load(W, max_block_weights, b, 1.0, node_weights, v)
            if light < 0 or load < light_load:
                light = b
                light_load = load
        if light >= 0:
            cand[nc] = light
            nc += 1
    if nc == 0:
        return -1, 0.0
    if contiguous and not _stays_connected(indptr, indices, labels, v, node_stamp, node_visit, queue, clock):
        return -1, 0.0
    best, best_gain, _ = _best_candidate(indptr, indices, labels, v, cand, nc, cand_gain, objective, node_sizes,
                                         old_labels, migration_cost, stamp, blk_stamp, conn, blk_seen, lost,
                                         node_stamp, clock, W, max_block_weights, node_weights)
    return best, best_gain


@njit(cache=True)
def _move(node_weights, labels, W, count, v, b):
    a = labels[v]
    labels[v] = b
    count[a] -= 1
    count[b] += 1
    for j in range(W.shape[1]):
        W[a, j] -= node_weights[v, j]
        W[b, j] += node_weights[v, j]


@njit(cache=True)
def _balance(indptr, indices, edge_weights, node_weights, labels, k, max_block_weights, movable, contiguous,
             objective, node_sizes, old_labels, migration_cost, W, count, norm, state, ws,
             heap, size, pos, key, hstamp):
    """The balance phase; returns the overload left.

    A max-heap holds the nodes with a balance move, keyed by its gain.  A
    popped node is re-scored (weights changed since it was keyed): gone if
    it has no move any more, re-queued if its gain dropped, else moved; the
    neighbours of a moved node are (re-)scored since they may have become
    boundary nodes.  When the heap runs dry while blocks are still over, the
    nodes are scanned again (blocks that fell within bounds may now accept
    nodes); without contiguity a scan that finds no boundary move switches
    to moves into any block with room.  Each move relieves an overloaded
    block, into one that stays within bounds or at least so that the total
    overload falls (several constraints), so the overload only falls; heap
    pops and rescans are capped, so the phase always ends.
    """
    n = labels.shape[0]
    clock = ws[10]
    over = _overload(W, max_block_weights, norm)
    anywhere = np.bool_(False)
    for _ in range(16):
        if over <= 0.0:
            break
        for v in range(n):
            if not _is_over(W, max_block_weights, labels[v]):
                continue
            t, g = _balance_move(indptr, indices, edge_weights, node_weights, labels, k, max_block_weights, movable,
                                 contiguous, objective, node_sizes, old_labels, migration_cost, W, count, norm, anywhere,
                                 v, ws)
            if t >= 0:
                key[v] = g
                hstamp[v] = below(state, n)
                pq_push(heap, size, pos, key, hstamp, 0, n, v)
        moves = 0
        pops = 0
        while size[0] > 0 and pops < 8 * n + 16 and over > 0.0:
            pops += 1
            v = pq_pop(heap, size, pos, key, hstamp, 0, n)
            t, g = _balance_move(indptr, indices, edge_weights, node_weights, labels, k, max_block_weights, movable,
                                 contiguous, objective, node_sizes, old_labels, migration_cost, W, count, norm, anywhere,
                                 v, ws)
            if t < 0:
                continue
            if g < key[v]:
                # stale key: back in with the lower gain (popped, so pushed)
                _rekey(heap, size, pos, key, hstamp, clock, n, v, t, g)
                continue
            _move(node_weights, labels, W, count, v, t)
            moves += 1
            over = _overload(W, max_block_weights, norm)
            for p in range(indptr[v], indptr[v + 1]):
                u = indices[p]
                if u == v or movable[u] == 0:
                    continue
                tu, gu = _balance_move(indptr, indices, edge_weights, node_weights, labels, k, max_block_weights,
                                       movable, contiguous, objective, node_sizes, old_labels, migration_cost, W,
                                       count, norm, anywhere, u, ws)
                _rekey(heap, size, pos, key, hstamp, clock, n, u, tu, gu)
        for i in range(size[0]):
            pos[heap[i]] = -1
        size[0] = 0
        if moves == 0 and W.shape[1] > 1 and not contiguous:
            moves = _swap_sweep(indptr, indices, node_weights, labels, max_block_weights, movable, W, count, norm)
            over = _overload(W, max_block_weights, norm)
        if moves == 0:
            if anywhere or contiguous:
                break
            anywhere = np.bool_(True)
    return over


@njit(cache=True)
def _swap_sweep(indptr, indices, node_weights, labels, max_block_weights, movable, W, count, norm):
    """Exchanges of two adjacent nodes that lower the total overload; the
    number made.

    With several constraints single moves stall when a block is over on one
    constraint and its neighbour is tight on another: no node fits.  Trading
    a node heavy on the first constraint for a neighbour heavy on the second
    moves the imbalance where single moves cannot (and, the two being
    adjacent, costs little cut)."""
    n = labels.shape[0]
    swaps = 0
    for v in range(n):
        a = labels[v]
        if movable[v] == 0 or not _is_over(W, max_block_weights, a):
            continue
        best_u = -1
        best_change = -1e-12
        for p in range(indptr[v], indptr[v + 1]):
            u = indices[p]
            b = labels[u]
            if u == v or b == a or movable[u] == 0:
                continue
            change = 0.0
            for j in range(W.shape[1]):
                d = node_weights[v, j] - node_weights[u, j]  # what a loses and b gains
                before = max(W[a, j] - max_block_weights[a, j], 0.0) + max(W[b, j] - max_block_weights[b, j], 0.0)
                after = max(W[a, j] - d - max_block_weights[a, j], 0.0) + max(
                    W[b, j] + d - max_block_weights[b, j], 0.0)
                change += (after - before) / norm[j]
            if change < best_change:
                best_change = change
                best_u = u
        if best_u >= 0:
            b = labels[best_u]
            _move(node_weights, labels, W, count, v, b)
            _move(node_weights, labels, W, count, best_u, a)
            swaps += 1
    return swaps


@njit(cache=True, inline="always")
def _is_boundary(indptr, indices, labels, v):
    """True when v has a neighbour in another block."""
    a = labels[v]
    for p in range(indptr[v], indptr[v + 1]):
        if labels[indices[p]] != a:
            return True
    return False


@njit(cache=True)
def _shuffled_boundary(indptr, indices, labels, movable, out, state):
    """Write the movable boundary nodes into ``out`` in random order
    (Fisher-Yates over the splitmix64 ``state``); returns their number.
    The start of the greedy passes and of the localized FM rounds."""
    m = 0
    for v in range(labels.shape[0]):
        if movable[v] != 0 and _is_boundary(indptr, indices, labels, v):
            out[m] = v
            m += 1
    shuffle_prefix(out, m, state)
    return m


# The per-move helpers below take the scratch arrays one by one, not as the
# workspace tuple, and are inlined: unpacking the tuple and passing a dozen
# arrays through a call cost more than the work of scoring a cut move.


@njit(cache=True, inline="always")
def _refine_move(indptr, indices, edge_weights, node_weights, labels, max_block_weights, objective, node_sizes,
                 old_labels, migration_cost, W, count, v, blk_stamp, conn, touched, blk_seen, cand, cand_gain, lost,
                 node_stamp, clock):
    """``(target, gain, load)`` of v's best refinement move, or ``(-1, 0.0,
    0.0)`` when v is the last node of its block or no neighbouring block
    fits it on every constraint (so always for an interior node).

    Best = largest gain (negative gains included), then lowest relative
    load of the target with v added (``load``).  Pins and the contiguity
    test are the caller's: the greedy and FM passes check them at different
    times.
    """
    a = labels[v]
    if count[a] <= 1:
        return -1, 0.0, 0.0
    nt, stamp = _neighbour_blocks(indptr, indices, edge_weights, labels, v, blk_stamp, conn, touched, clock)
    nc = np.int64(0)
    for q in range(nt):
        b = touched[q]
        if _fits(W, max_block_weights, node_weights, v, b):
            cand[nc] = b
            nc += 1
    if nc == 0:
        return -1, 0.0, 0.0
    return _best_candidate(indptr, indices, labels, v, cand, nc, cand_gain, objective, node_sizes, old_labels,
                           migration_cost, stamp, blk_stamp, conn, blk_seen, lost, node_stamp, clock, W,
                           max_block_weights, node_weights)


#: A global FM pass stops after ``min(n, FM_STALL + n // 100)`` moves
#: without a new best objective.
FM_STALL = 100

#: A localized FM search stops after this many moves without a new best ...
FM_LOCAL_STALL = 40

#: ... or as soon as it is this many units below its best (a unit: the mean
#: edge weight for the cut, the mean node size for the volume).  Searches
#: that dig that deep rarely climb out; cutting them off is what makes one
#: search per boundary node affordable.
FM_LOCAL_DEPTH = 3.0

#: A boundary node seeds a localized search only when its best move loses
#: at most this many units.
FM_SEED_LOSS = 1.0

#: After keying every node, the FM moves of one pass (global and
#: localized) stop once their move evaluations have scanned this many times
#: the graph's row entries (the clock's ``_WORK`` counter).  The Walshaw
#: meshes stay well below it; it bounds the pass where a volume evaluation
#: is dear: it scans the rows of all neighbours, so re-scoring the
#: neighbours of a moved node costs the cube of the degree (bcsstk33,
#: degree 67: volume k = 4 took 38 s without the budget, 1.2 s with it,
#: 0.5 s with greedy passes only; add20's hubs reach it too).
FM_WORK = 40


@njit(cache=True)
def _fm_key(indptr, indices, edge_weights, node_weights, labels, max_block_weights, movable, objective, node_sizes,
            old_labels, migration_cost, W, count, v, heap, size, pos, key, hstamp, blk_stamp, conn, touched, blk_seen,
            cand, cand_gain, lost, node_stamp, clock):
    """(Re-)key v in the FM heap with the gain of its best feasible move, or
    take it out when it has none (pinned, interior, last of its block, no
    neighbouring block fits).  Re-keyed nodes get the newest tie-break
    stamp, so among equal gains the search stays where it last moved."""
    n = labels.shape[0]
    t = np.int64(-1)
    g = 0.0
    if movable[v] != 0:
        t, g, _ = _refine_move(indptr, indices, edge_weights, node_weights, labels, max_block_weights, objective,
                               node_sizes, old_labels, migration_cost, W, count, v, blk_stamp, conn, touched,
                               blk_seen, cand, cand_gain, lost, node_stamp, clock)
    _rekey(heap, size, pos, key, hstamp, clock, n, v, t, g)


@njit(cache=True)
def _max_load(W, max_block_weights):
    """Largest relative load ``W[b, j] / max[b, j]`` over blocks and
    constraints."""
    worst = 0.0
    for b in range(W.shape[0]):
        for j in range(W.shape[1]):
            x = W[b, j] / max(max_block_weights[b, j], _TINY)
            if x > worst:
                worst = x
    return worst


@njit(cache=True)
def _fm_search(indptr, indices, edge_weights, node_weights, labels, max_block_weights, movable, contiguous,
               objective, node_sizes, old_labels, migration_cost, W, count, ws, heap, size, pos, key, hstamp,
               locked, lock_id, moved, moved_from, stall_limit, max_loss, tol):
    """The FM move loop over the nodes already in the heap.

    Returns ``(moves, keep, best)``: the moves made (logged in ``moved`` /
    ``moved_from``), how many of them to keep, and the objective decrease
    of the best prefix (>= 0).  Nothing is rolled back here (the caller,
    :func:`_fm_round`, does).

    A popped node is re-scored (:func:`_refine_move`), since moves change
    gains: gone if it has no feasible move any more, re-queued if its gain
    dropped, skipped if taking it out would split its block (contiguous),
    else moved, even at a loss, and locked (``locked[v] = lock_id``).  Its
    unlocked neighbours are (re-)keyed, so the search can follow a chain of
    moves; for the volume the gains of nodes two steps away change as well,
    and the re-score at pop catches those that fell.

    The loop stops when the heap is empty, after ``stall_limit`` moves
    without a new best, or when the running decrease falls ``max_loss``
    below the best.  A prefix is a new best when it beats the best by more
    than ``tol``.  The kept prefix is the longest one that is within
    ``tol`` of the best and whose largest relative block load
    (:func:`_max_load`) is no higher than at the previous kept one: moves
    across a plateau of equal objective after the best stay made unless
    they load the heaviest block further.  On the volume objective, with its
    many ties, the next search then starts from another point of the
    plateau, which measured better than rolling back to its first point.

    Every move is feasible in the state it is made in (the target fits on
    every constraint, no block loses its last node, contiguity is kept), so
    every prefix is feasible.
    """
    n = labels.shape[0]
    blk_stamp, conn, touched, blk_seen, cand, cand_gain, lost, node_stamp, node_visit, queue, clock = ws
    running = 0.0  # objective decrease of the moves made so far
    best = 0.0
    keep = 0
    last_best = 0  # moves made when the best was last improved
    top = _max_load(W, max_block_weights)
    nm = 0
    while size[0] > 0:
        v = pq_pop(heap, size, pos, key, hstamp, 0, n)
        t, g, _ = _refine_move(indptr, indices, edge_weights, node_weights, labels, max_block_weights, objective,
                               node_sizes, old_labels, migration_cost, W, count, v, blk_stamp, conn, touched,
                               blk_seen, cand, cand_gain, lost, node_stamp, clock)
        if t < 0:
            continue
        if g < key[v]:
            # stale key: back in with the lower gain (popped, so pushed)
            _rekey(heap, size, pos, key, hstamp, clock, n, v, t, g)
            continue
        if contiguous and not _stays_connected(indptr, indices, labels, v, node_stamp, node_visit, queue, clock):
            continue  # re-keyed if a neighbour moves (the test may pass then)
        moved[nm] = v
        moved_from[nm] = labels[v]
        nm += 1
        _move(node_weights, labels, W, count, v, t)
        locked[v] = lock_id
        running += g
        if running > best + tol:
            best = running
            keep = nm
            last_best = nm
            top = _max_load(W, max_block_weights)
        elif running >= best - tol:
            m = _max_load(W, max_block_weights)
            if m <= top + 1e-12:
                keep = nm
                top = m
        if nm - last_best >= stall_limit or running < best - max_loss or clock[_WORK] > clock[_WORK_LIMIT]:
            break
        for p in range(indptr[v], indptr[v + 1]):
            u = indices[p]
            if u != v and locked[u] != lock_id:
                _fm_key(indptr, indices, edge_weights, node_weights, labels, max_block_weights, movable, objective,
                        node_sizes, old_labels, migration_cost, W, count, u, heap, size, pos, key, hstamp, blk_stamp,
                        conn, touched, blk_seen, cand, cand_gain, lost, node_stamp, clock)
    return nm, keep, best


@njit(cache=True)
def _fm_round(indptr, indices, edge_weights, node_weights, labels, max_block_weights, movable, contiguous,
              objective, node_sizes, old_labels, migration_cost, W, count, state, ws, heap, size, pos, key, hstamp,
              locked, lock_id, moved, moved_from, seeds, local, unit, tol):
    """One global FM pass (``local`` false) or one round of localized FM
    searches (``local`` true); returns the objective decrease (>= 0).

    Global pass: every movable boundary node goes into the heap, keyed by
    the gain of its best feasible move (ties in random order), and one
    search (:func:`_fm_search`) moves them until ``min(n, FM_STALL + n //
    100)`` moves bring no new best.

    Localized round: the movable boundary nodes, in random order
    (``seeds``, int64[n], is scratch), each seed a search when their best
    move loses at most ``FM_SEED_LOSS * unit``.  The heap starts with the
    seed alone and grows with the neighbours of moved nodes, so the search
    follows one region of the boundary; it stops after
    :data:`FM_LOCAL_STALL` moves without a new best or ``FM_LOCAL_DEPTH *
    unit`` below it.  The nodes a search kept moved stay locked
    (``lock_id``) until the round ends and seed nothing; rolled-back ones
    are free again.  One global pass stalls in its first bad region; the
    many short searches work on every part of the boundary (KaHIP's
    localized k-way FM).

    The global keying sets the pass's work budget (:data:`FM_WORK`); the
    searches of both kinds stop once it is spent.  Every search rolls back
    to its best prefix (newest move first), so the round never ends worse
    than it started (up to ``tol``).  The heap is empty on entry and on
    return.
    """
    n = labels.shape[0]
    blk_stamp, conn, touched, blk_seen, cand, cand_gain, lost, node_stamp, node_visit, queue, clock = ws
    if local:
        searches = _shuffled_boundary(indptr, indices, labels, movable, seeds, state)
        stall_limit = min(n, FM_LOCAL_STALL)
        max_loss = FM_LOCAL_DEPTH * unit
    else:
        searches = 1
        for v in range(n):
            _fm_key(indptr, indices, edge_weights, node_weights, labels, max_block_weights, movable, objective,
                    node_sizes, old_labels, migration_cost, W, count, v, heap, size, pos, key, hstamp, blk_stamp,
                    conn, touched, blk_seen, cand, cand_gain, lost, node_stamp, clock)
            if pos[v] >= 0:
                hstamp[v] = below(state, n)  # ties in random order
                pq_update(heap, size, pos, key, hstamp, 0, n, v)
        # the pass's budget beyond this keying: FM_WORK times the graph's size
        clock[_WORK_LIMIT] = clock[_WORK] + FM_WORK * (indptr[n] + n)
        stall_limit = min(n, FM_STALL + n // 100)
        max_loss = np.inf
    total = 0.0
    for i in range(searches):
        if clock[_WORK] > clock[_WORK_LIMIT]:
            break
        if local:
            v = seeds[i]
            if locked[v] == lock_id:
                continue
            _fm_key(indptr, indices, edge_weights, node_weights, labels, max_block_weights, movable, objective,
                    node_sizes, old_labels, migration_cost, W, count, v, heap, size, pos, key, hstamp, blk_stamp,
                    conn, touched, blk_seen, cand, cand_gain, lost, node_stamp, clock)
            if size[0] == 0:
                continue
            if key[v] < -FM_SEED_LOSS * unit:
                pq_remove(heap, size, pos, key, hstamp, 0, n, v)
                continue
        nm, keep, best = _fm_search(indptr, indices, edge_weights, node_weights, labels, max_block_weights,
                                    movable, contiguous, objective, node_sizes, old_labels, migration_cost, W,
                                    count, ws, heap, size, pos, key, hstamp, locked, lock_id, moved, moved_from,
                                    stall_limit, max_loss, tol)
        for j in range(nm - 1, keep - 1, -1):
            v = moved[j]
            _move(node_weights, labels, W, count, v, moved_from[j])
            locked[v] = 0
        for j in range(size[0]):
            pos[heap[j]] = -1
        size[0] = 0
        total += best
    return total


@njit(cache=True)
def _greedy_pass(indptr, indices, edge_weights, node_weights, labels, max_block_weights, movable, contiguous,
                 objective, node_sizes, old_labels, migration_cost, W, count, state, ws, order):
    """One greedy pass; returns ``(moves, level_moves, gain)``: the moves
    made, how many of them gained exactly zero, and the objective decrease.

    The movable boundary nodes, in random order (``order``, int64[n], is
    scratch), each move to their best feasible neighbouring block
    (:func:`_refine_move`) when that gains, or gains zero and strictly
    lowers the larger relative load of the two blocks involved.
    """
    blk_stamp, conn, touched, blk_seen, cand, cand_gain, lost, node_stamp, node_visit, queue, clock = ws
    nb = _shuffled_boundary(indptr, indices, labels, movable, order, state)
    pass_gain = 0.0
    moves = 0
    level_moves = 0
    for i in range(nb):
        v = order[i]
        a = labels[v]
        best, best_gain, best_load = _refine_move(indptr, indices, edge_weights, node_weights, labels,
                                                  max_block_weights, objective, node_sizes, old_labels,
                                                  migration_cost, W, count, v, blk_stamp, conn, touched,
                                                  blk_seen, cand, cand_gain, lost, node_stamp, clock)
        if best < 0 or best_gain < 0.0:
            continue
        if best_gain == 0.0:
            # a zero-gain move must lower the larger load of the pair
            load_a = _load(W, max_block_weights, a, 0.0, node_weights, v)
            load_b = _load(W, max_block_weights, best, 0.0, node_weights, v)
            after_a = _load(W, max_block_weights, a, -1.0, node_weights, v)
            if not max(after_a, best_load) < max(load_a, load_b):
                continue
        if contiguous and not _stays_connected(indptr, indices, labels, v, node_stamp, node_visit, queue, clock):
            continue
        _move(node_weights, labels, W, count, v, best)
        moves += 1
        pass_gain += best_gain
        if best_gain == 0.0:
            level_moves += 1
    return moves, level_moves, pass_gain


@njit(cache=True)
def constrained_refine(indptr, indices, edge_weights, node_weights, labels, k, max_block_weights,
                       movable, contiguous, objective, node_sizes, old_labels, migration_cost,
                       max_passes, state):
    """Restore balance, then refine ``labels`` in place (FM and greedy passes).

    Parameters
    ----------
    indptr, indices, edge_weights : ndarray
        Symmetric CSR graph: int64 (n + 1,), int64, float64.  Self-loops are
        ignored.
    node_weights : ndarray of float64, shape (n, c)
        Weight of every node on each of the c >= 1 balance constraints.
    labels : ndarray of int64, shape (n,)
        Block of every node in ``[0, k)``; updated in place.
    k : int
        Number of blocks.
    max_block_weights : ndarray of float64, shape (k, c)
        Bound of every block on every constraint.
    movable : ndarray of uint8, shape (n,)
        0 for pinned nodes (they never move), 1 for free ones.
    contiguous : bool
        When true, no move raises the number of connected components of any
        block: a node leaves its block only if its neighbours there are
        non-empty and connected among themselves, and enters only a block
        where it has a neighbour.
    objective : int
        0 = edge cut, 1 = communication volume (see the module docstring).
    node_sizes : ndarray of float64, shape (n,)
        Data size of every node (volume and migration terms).
    old_labels : ndarray of int64, shape (n,)
        Previous block of every node (-1: none) for the migration term.
    migration_cost : float
        Cost per unit of size of a node leaving its old block (0: off).
    max_passes : int
        Maximum number of refinement passes (0: balance phase only).
    state : ndarray of uint64, shape (1,)
        RNG state; the result is deterministic for a given state.

    Returns
    -------
    float
        The objective of the final labels, recomputed from scratch
        (:func:`constrained_objective`).

    Notes
    -----
    Balance phase: see :func:`_balance`.  It never makes the overload
    (``sum_b sum_j max(0, W[b, j] - max[b, j]) / (total_j / k)``) worse and
    returns the best it reached when balance is impossible.

    Refinement passes, each in this order:

    * a global FM pass (:func:`_fm_round`): every movable boundary node in
      a max-heap keyed by the gain of its best feasible move; the best is
      popped, re-scored (re-queued if its gain dropped), moved even at a
      loss and locked, its neighbours re-keyed; the pass stops after
      ``min(n, FM_STALL + n // 100)`` moves without a new best and rolls
      back to the best prefix;
    * a round of localized FM searches (:func:`_fm_round`): the same
      moves in searches grown from one seed node at a time, each stopped
      early (:data:`FM_LOCAL_STALL`, :data:`FM_LOCAL_DEPTH`) and rolled
      back to its best prefix (both FM kinds share one work budget per
      pass, :data:`FM_WORK`);
    * a greedy pass (:func:`_greedy_pass`): the movable boundary nodes, in
      random order, each move to the neighbouring block of largest gain
      among those that fit it on every constraint, if the gain is positive,
      or zero while the move strictly lowers the larger relative load of
      the two blocks involved (both blocks end below the source's old load,
      which orders the sorted load vector, so such moves cannot cycle).

    An FM pass or search never ends worse than it started; it keeps moves
    across a plateau of equal objective after its best point when they do
    not raise the largest relative load (:func:`_fm_search`).  A block
    never loses its last node.  Passes stop after ``max_passes``, or after
    a pass whose FM moves gained nothing and whose greedy pass made no move
    or only moves that gained next to nothing (1e-9 relative), which also
    stops a ping-pong of rounding-level gains.  The greedy pass comes last,
    so when the passes stop on their own, no single feasible move gains.
    The run with ``max_passes`` passes is the start of the run with more,
    so more passes never end worse.
    """
    n = indptr.shape[0] - 1
    c = node_weights.shape[1]
    W = np.zeros((k, c), np.float64)
    count = np.zeros(k, np.int64)
    _block_state(node_weights, labels, k, W, count)
    norm = np.empty(c, np.float64)
    for j in range(c):
        total = 0.0
        for b in range(k):
            total += W[b, j]
        norm[j] = total / k if total > 0.0 else 1.0
    ws = _workspace(n, k)
    blk_stamp, conn, touched, blk_seen, cand, cand_gain, lost, node_stamp, node_visit, queue, clock = ws

    heap = np.empty(n, np.int64)
    size = np.zeros(1, np.int64)
    pos = np.full(n, -1, np.int64)
    key = np.zeros(n, np.float64)
    hstamp = np.zeros(n, np.int64)
    _balance(indptr, indices, edge_weights, node_weights, labels, k, max_block_weights, movable, contiguous,
             objective, node_sizes, old_labels, migration_cost, W, count, norm, state, ws,
             heap, size, pos, key, hstamp)

    current = constrained_objective(indptr, indices, edge_weights, node_weights, labels, k, objective, node_sizes,
                                    old_labels, migration_cost)
    locked = np.zeros(n, np.int64)  # locked[v] == lock_id: v moved in the current FM pass or round
    moved = np.empty(n, np.int64)
    moved_from = np.empty(n, np.int64)
    seeds = np.empty(n, np.int64)
    order = heap  # the heap is empty between FM passes: the greedy pass borrows it
    lock_id = np.int64(0)
    # one unit of the objective, for the localized searches' limits: the
    # mean edge weight (cut) or the mean node size (volume)
    unit = 0.0
    if objective == 0:
        for p in range(indices.shape[0]):
            unit += edge_weights[p]
        unit /= max(indices.shape[0], 1)
    else:
        for v in range(n):
            unit += node_sizes[v]
        unit /= max(n, 1)
    for _ in range(max_passes):
        _block_state(node_weights, labels, k, W, count)
        tol = 1e-9 * (abs(current) + 1.0)
        fm_gain = 0.0
        for local in (False, True):
            lock_id += 1
            fm_gain += _fm_round(indptr, indices, edge_weights, node_weights, labels, max_block_weights, movable,
                                 contiguous, objective, node_sizes, old_labels, migration_cost, W, count, state, ws,
                                 heap, size, pos, key, hstamp, locked, lock_id, moved, moved_from, seeds, local, unit,
                                 tol)
        current -= fm_gain
        # the greedy pass last: when it finds no move either, no single
        # feasible move gains (FM keeps moves across plateaus, after which
        # one may)
        moves, level_moves, gain = _greedy_pass(indptr, indices, edge_weights, node_weights, labels,
                                                max_block_weights, movable, contiguous, objective, node_sizes,
                                                old_labels, migration_cost, W, count, state, ws, order)
        current -= gain
        settled = moves == 0 or (level_moves == 0 and gain <= 1e-9 * abs(current))
        if settled and fm_gain <= 0.0:
            break
    return constrained_objective(indptr, indices, edge_weights, node_weights, labels, k, objective, node_sizes,
                                 old_labels, migration_cost)
