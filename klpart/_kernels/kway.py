"""k-way kernels: cut of a labelling, induced subgraphs, k-way balancing and
FM (global and localized, over the connection cache of :mod:`.conn_cache`)."""

import numpy as np
from numba import njit

from .balance import overload
from .conn_cache import cache_best_move, cache_build, cache_move
from .csr import gather_connections
from .pq import pq_pop, pq_push, pq_remove, pq_update
from .rng import below, shuffle_prefix


@njit(cache=True)
def kway_cut(indptr, indices, weights, labels):
    """Total weight of edges whose ends have different labels (float64)."""
    total = 0.0
    for u in range(indptr.shape[0] - 1):
        b = labels[u]
        for p in range(indptr[u], indptr[u + 1]):
            if labels[indices[p]] != b:
                total += weights[p]
    return total / 2.0


@njit(cache=True)
def induced_subgraph(indptr, indices, weights, node_weights, nodes):
    """The subgraph induced by ``nodes`` (int64 array of distinct rows).

    Row i of the result is node ``nodes[i]``.  Returns (indptr, indices,
    weights, node_weights).
    """
    local = np.full(indptr.shape[0] - 1, -1, np.int64)
    return induced_subgraph_with(indptr, indices, weights, node_weights, nodes, local)


@njit(cache=True)
def induced_subgraph_with(indptr, indices, weights, node_weights, nodes, local):
    """:func:`induced_subgraph` with the caller's scratch ``local`` (int64,
    one entry per node, all -1 on entry and again on return): many small
    subgraphs of one large graph cost their own size, not the graph's."""
    m = nodes.shape[0]
    room = 0
    for i in range(m):
        local[nodes[i]] = i
        room += indptr[nodes[i] + 1] - indptr[nodes[i]]
    # one pass into arrays sized for every edge of the rows: a connected
    # component (closed under adjacency, the common case) fills them exactly
    # and nothing is copied; otherwise only the filled prefix is copied out
    sub_indptr = np.empty(m + 1, np.int64)
    sub_indices = np.empty(room, indices.dtype)
    sub_weights = np.empty(room, weights.dtype)
    sub_node_weights = np.empty(m, node_weights.dtype)
    sub_indptr[0] = 0
    q = 0
    for i in range(m):
        u = nodes[i]
        sub_node_weights[i] = node_weights[u]
        for p in range(indptr[u], indptr[u + 1]):
            j = local[indices[p]]
            if j >= 0:
                sub_indices[q] = j
                sub_weights[q] = weights[p]
                q += 1
        sub_indptr[i + 1] = q
    for i in range(m):
        local[nodes[i]] = -1
    if q < room:
        return sub_indptr, sub_indices[:q].copy(), sub_weights[:q].copy(), sub_node_weights
    return sub_indptr, sub_indices, sub_weights, sub_node_weights


@njit(cache=True)
def block_weights(node_weights, labels, k):
    """float64[k]: total node weight of each label (also the side weights of
    a bisection, k = 2, and of a vertex separator, k = 3)."""
    bw = np.zeros(k, np.float64)
    for u in range(labels.shape[0]):
        bw[labels[u]] += node_weights[u]
    return bw


@njit(cache=True)
def _best_move(indptr, indices, weights, node_weights, labels, bw, max_weight, conn, mark, touched, v, anywhere):
    """(target block, gain) of the best feasible move of v, or (-1, 0).

    Candidates are the blocks adjacent to v (plus, with ``anywhere``, the
    relatively lightest block: an overweight block must be able to shed
    nodes that have no neighbour elsewhere).  Feasible: the target stays
    within its maximum weight.  Ties go to the relatively lighter target.
    ``conn``, ``touched`` (length k) and ``mark`` (length k + 1, zeros;
    ``mark[k]`` counts the calls) are scratch space: ``conn[b]`` is this
    call's connection to b exactly when ``mark[b]`` equals the call number,
    so nothing needs clearing between calls.
    """
    own = labels[v]
    stamp = mark[-1] + 1
    mark[-1] = stamp
    mark[own] = stamp
    conn[own] = 0.0
    touched[0] = own
    nt = gather_connections(indptr, indices, weights, labels, v, mark, stamp, conn, touched, 1)
    internal = conn[own]
    wv = node_weights[v]
    best = -1
    best_conn = 0.0
    best_load = 0.0
    for i in range(1, nt):
        b = touched[i]
        if bw[b] + wv > max_weight[b]:
            continue
        load = bw[b] / max(max_weight[b], 1e-300)
        if best < 0 or conn[b] > best_conn or (conn[b] == best_conn and load < best_load):
            best = b
            best_conn = conn[b]
            best_load = load
    if anywhere:
        k = bw.shape[0]
        light = -1
        light_load = 0.0
        for b in range(k):
            if b == own or bw[b] + wv > max_weight[b]:
                continue
            load = bw[b] / max(max_weight[b], 1e-300)
            if light < 0 or load < light_load:
                light = b
                light_load = load
        light_conn = conn[light] if light >= 0 and mark[light] == stamp else 0.0
        if light >= 0 and (best < 0 or light_conn > best_conn):
            best = light
            best_conn = light_conn
    if best < 0:
        return -1, 0.0
    return best, best_conn - internal


@njit(cache=True)
def kway_balance(indptr, indices, weights, node_weights, labels, k, max_weight):
    """Move nodes out of overweight blocks, best gain first, until every
    block fits or no feasible move is left.  Returns the overweight left."""
    n = indptr.shape[0] - 1
    bw = block_weights(node_weights, labels, k)
    conn = np.zeros(k, np.float64)
    mark = np.zeros(k + 1, np.int64)  # mark[k] is the call counter
    touched = np.empty(k, np.int64)
    for _ in range(4):
        if overload(bw, max_weight) == 0.0:
            break
        cand = np.empty(n, np.int64)
        gains = np.empty(n, np.float64)
        nc = 0
        for u in range(n):
            if bw[labels[u]] > max_weight[labels[u]]:
                t, g = _best_move(indptr, indices, weights, node_weights, labels, bw, max_weight, conn, mark, touched, u, True)
                if t >= 0:
                    cand[nc] = u
                    gains[nc] = g
                    nc += 1
        order = np.argsort(-gains[:nc], kind="mergesort")
        for i in range(nc):
            u = cand[order[i]]
            s = labels[u]
            if bw[s] <= max_weight[s]:
                continue
            t, g = _best_move(indptr, indices, weights, node_weights, labels, bw, max_weight, conn, mark, touched, u, True)
            if t < 0:
                continue
            labels[u] = t
            bw[s] -= node_weights[u]
            bw[t] += node_weights[u]
    return overload(bw, max_weight)


@njit(cache=True)
def _search(
    indptr, indices, weights, node_weights, labels, bw, max_weight, cache,
    heap, size, pos, key, stamp, locked, moved, moved_from, over, stall_limit, clock,
):
    """The FM move loop shared by the global and the localized k-way FM.

    Pops the node of best key from the heap (one heap, ``size[0]``
    entries), recomputes its best move (block weights may have changed since
    it was keyed) and re-queues it if that got worse; otherwise moves and
    locks it, records it in ``moved`` / ``moved_from`` and re-keys its
    unlocked neighbours.  Moves go through ``cache`` (the connection cache
    of :mod:`.conn_cache`, kept in step with ``labels``).  Stops when the
    heap is empty or after ``stall_limit`` moves without a new best
    (overweight, cut) state.  ``over`` is the overweight at the start.
    Returns ``(moves, best_len, best_over, best_delta, clock)``: moves made,
    length of the best prefix, its overweight and its cut change (<= 0 from
    a start within the bound; from an overweight start the best prefix may
    trade cut for less overweight, so it can be > 0).  Nothing is rolled
    back here.
    """
    slot_block, slot_weight, slot_edges, slot_count, inner_weight, inner_edges = cache
    n = labels.shape[0]
    # typed int64, not the literal 0: a literal argument would compile separate
    # specialisations of the pq helpers
    h0 = np.int64(0)
    cur = 0.0
    best = 0.0
    best_over = over
    best_len = 0
    nm = 0
    while size[0] > 0:
        v = pq_pop(heap, size, pos, key, stamp, h0, n)
        t, g = cache_best_move(indptr, node_weights, bw, max_weight, slot_block, slot_weight, slot_count,
                               inner_weight, v)
        if t < 0:
            continue
        if g < key[v]:
            key[v] = g
            stamp[v] = clock
            clock += 1
            pq_push(heap, size, pos, key, stamp, h0, n, v)
            continue
        s = labels[v]
        over -= max(bw[s] - max_weight[s], 0.0) + max(bw[t] - max_weight[t], 0.0)
        bw[s] -= node_weights[v]
        bw[t] += node_weights[v]
        over += max(bw[s] - max_weight[s], 0.0) + max(bw[t] - max_weight[t], 0.0)
        cache_move(indptr, indices, weights, labels, slot_block, slot_weight, slot_edges, slot_count, inner_weight,
                   inner_edges, v, t)
        cur -= g
        locked[v] = True
        moved[nm] = v
        moved_from[nm] = s
        nm += 1
        for p in range(indptr[v], indptr[v + 1]):
            u = np.int64(indices[p])  # int64 ids: one specialisation of the helpers
            if locked[u]:
                continue
            # interior nodes (no neighbour in another block) get tu < 0
            tu, gu = cache_best_move(indptr, node_weights, bw, max_weight, slot_block, slot_weight, slot_count,
                                     inner_weight, u)
            if tu < 0:
                if pos[u] >= 0:
                    pq_remove(heap, size, pos, key, stamp, h0, n, u)
                continue
            key[u] = gu
            stamp[u] = clock
            clock += 1
            if pos[u] >= 0:
                pq_update(heap, size, pos, key, stamp, h0, n, u)
            else:
                pq_push(heap, size, pos, key, stamp, h0, n, u)
        if over < best_over or (over == best_over and cur < best):
            best_over = over
            best = cur
            best_len = nm
        elif nm - best_len > stall_limit:
            break
    return nm, best_len, best_over, best, clock


# not inlined: inlined into kway_local_fm's loop (with the cache moves inlined
# into it) the local FM ran 2.5x slower on t60k
@njit(cache=True)
def _undo(indptr, indices, weights, labels, bw, node_weights, cache, moved, moved_from, keep, count, locked, heap,
          size, pos):
    """End of a search: roll back ``moved[keep:count]`` (newest first, the
    cache with them), unlock those nodes and empty the heap (``pos`` back
    to -1)."""
    slot_block, slot_weight, slot_edges, slot_count, inner_weight, inner_edges = cache
    for i in range(count - 1, keep - 1, -1):
        v = moved[i]
        t = labels[v]
        s = moved_from[i]
        cache_move(indptr, indices, weights, labels, slot_block, slot_weight, slot_edges, slot_count, inner_weight,
                   inner_edges, v, s)
        bw[t] -= node_weights[v]
        bw[s] += node_weights[v]
        locked[v] = False
    for i in range(size[0]):
        pos[heap[i]] = -1
    size[0] = 0


# inlined (Numba IR level): a small helper of two kernels costs a compile of
# its own (~0.2-0.3 s of a cold start) when it is called
@njit(cache=True, inline='always')
def _fm_workspace(n):
    """Scratch arrays of the k-way FM searches: the heap (int64[n]), its
    size (int64[1]), pos (int64[n], all -1), key (float64[n]), stamp
    (int64[n]), locked (bool[n]), moved and moved_from (int64[n])."""
    heap = np.empty(n, np.int64)
    size = np.zeros(1, np.int64)
    pos = np.full(n, -1, np.int64)
    key = np.zeros(n, np.float64)
    stamp = np.zeros(n, np.int64)
    locked = np.zeros(n, np.bool_)
    moved = np.empty(n, np.int64)
    moved_from = np.empty(n, np.int64)
    return heap, size, pos, key, stamp, locked, moved, moved_from


@njit(cache=True)
def kway_fm(indptr, indices, weights, node_weights, labels, k, max_weight, max_passes, stall_limit, state, pass_cuts):
    """k-way FM refinement of ``labels`` in place; returns the cut (float64).

    ``pass_cuts`` (float64, length >= ``max_passes``, or empty) receives the
    cut after each pass.

    One global max-heap of boundary nodes keyed by the gain of their best
    feasible move (from the connection cache of :mod:`.conn_cache`), the
    moves of :func:`_search`, and a rollback to the best (overweight, cut)
    state; passes repeat while they improve.
    """
    n = indptr.shape[0] - 1
    bw = block_weights(node_weights, labels, k)
    cut = kway_cut(indptr, indices, weights, labels)
    cache = cache_build(indptr, indices, weights, labels, k)
    slot_block, slot_weight, slot_edges, slot_count, inner_weight, inner_edges = cache
    heap, size, pos, key, stamp, locked, moved, moved_from = _fm_workspace(n)
    h0 = np.int64(0)  # typed, as in _search
    for it in range(max_passes):
        for u in range(n):
            if slot_count[u] > 0:  # a boundary node
                t, g = cache_best_move(indptr, node_weights, bw, max_weight, slot_block, slot_weight, slot_count,
                                       inner_weight, u)
                if t >= 0:
                    key[u] = g
                    stamp[u] = below(state, n)
                    pq_push(heap, size, pos, key, stamp, h0, n, u)
        start_over = overload(bw, max_weight)
        nm, best_len, best_over, delta, _ = _search(
            indptr, indices, weights, node_weights, labels, bw, max_weight, cache,
            heap, size, pos, key, stamp, locked, moved, moved_from, start_over, stall_limit, n,
        )
        _undo(indptr, indices, weights, labels, bw, node_weights, cache, moved, moved_from, best_len, nm, locked,
              heap, size, pos)
        for i in range(best_len):
            locked[moved[i]] = False
        cut += delta
        if pass_cuts.shape[0] > it:
            pass_cuts[it] = cut
        if not (best_over < start_over or (best_over == start_over and delta < 0.0)):
            break
    return cut


@njit(cache=True)
def kway_local_fm(indptr, indices, weights, node_weights, labels, k, max_weight, rounds, stall_limit, min_seed_gain, state):
    """Localized k-way FM (many small searches); refines ``labels`` in place.

    Each round visits the boundary nodes in random order; every one not yet
    moved in this round whose best move gains at least ``min_seed_gain``
    seeds a search (:func:`_search`) whose heap starts with that node alone
    and grows with the neighbours of moved nodes, so the search stays local.
    A search keeps its best prefix; the nodes it kept moved stay locked until
    the round ends.  Rounds repeat until one finds nothing.  Compared to one
    global FM pass, the many short searches explore the whole boundary
    instead of stalling on its first bad region.  Returns the cut.
    """
    n = indptr.shape[0] - 1
    bw = block_weights(node_weights, labels, k)
    cache = cache_build(indptr, indices, weights, labels, k)
    slot_block, slot_weight, slot_edges, slot_count, inner_weight, inner_edges = cache
    heap, size, pos, key, stamp, locked, moved, moved_from = _fm_workspace(n)
    kept = np.empty(n, np.int64)
    order = np.empty(n, np.int64)
    h0 = np.int64(0)  # typed, as in _search
    clock = 0
    for _ in range(rounds):
        # boundary nodes in random order
        nb = 0
        for u in range(n):
            if slot_count[u] > 0:
                order[nb] = u
                nb += 1
        shuffle_prefix(order, nb, state)
        round_gain = 0.0
        nkept = 0
        over = overload(bw, max_weight)
        for i in range(nb):
            seed = order[i]
            if locked[seed]:
                continue
            t, g = cache_best_move(indptr, node_weights, bw, max_weight, slot_block, slot_weight, slot_count,
                                   inner_weight, seed)
            if t < 0 or g < min_seed_gain:
                continue
            key[seed] = g
            stamp[seed] = clock
            clock += 1
            pq_push(heap, size, pos, key, stamp, h0, n, seed)
            nm, best_len, over, delta, clock = _search(
                indptr, indices, weights, node_weights, labels, bw, max_weight, cache,
                heap, size, pos, key, stamp, locked, moved, moved_from, over, stall_limit, clock,
            )
            # the kept moves stay locked for the rest of the round
            _undo(indptr, indices, weights, labels, bw, node_weights, cache, moved, moved_from, best_len, nm, locked,
                  heap, size, pos)
            # element loop: slice assignment compiles Numba's shape-mismatch
            # error formatting (seconds on a cold start)
            for j in range(best_len):
                kept[nkept + j] = moved[j]
            nkept += best_len
            round_gain -= delta
        for j in range(nkept):
            locked[kept[j]] = False
        if round_gain <= 0.0:
            break
    return kway_cut(indptr, indices, weights, labels)
