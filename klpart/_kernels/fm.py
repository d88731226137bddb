"""Two-way Fiduccia-Mattheyses refinement and initial bisections.

FM pass (Fiduccia & Mattheyses 1982, as METIS and KaHIP use it for
bisection): boundary nodes wait in one max-heap per side, keyed by gain
(external minus internal weight).  Each step moves one node -- from an
overweight side if there is one, otherwise the best-gain top node whose move
keeps the other side within its maximum weight -- locks it and updates its
neighbours.  The pass stops after ``stall_limit`` moves without a new best
state and rolls back to the best prefix, where "best" is lexicographic:
(overweight, cut, balance).  Passes repeat until one finds nothing better.

Array contract: ``indptr`` int64, ``indices`` int32, ``weights`` and
``node_weights`` int64 or float64, ``side`` int64 (0/1, updated in place),
``max_weight`` and ``target`` float64[2], ``state`` the kernels' RNG state.
"""

import numpy as np
from numba import njit

from .kway import block_weights
from .pq import pq_decrease, pq_increase, pq_pop, pq_push, pq_remove
from .rng import below, permutation


@njit(cache=True)
def bisection_degrees(indptr, indices, weights, side):
    """(external, internal) weighted degree of every node."""
    n = indptr.shape[0] - 1
    ext = np.zeros(n, weights.dtype)
    intl = np.zeros(n, weights.dtype)
    for u in range(n):
        s = side[u]
        for p in range(indptr[u], indptr[u + 1]):
            if side[indices[p]] != s:
                ext[u] += weights[p]
            else:
                intl[u] += weights[p]
    return ext, intl


@njit(cache=True)
def side_weights(node_weights, side):
    """float64[2]: weights of side 0 and side 1."""
    # int64 k, not the literal 2: block_weights keeps the one specialisation
    # the k-way kernels use
    return block_weights(node_weights, side, np.int64(2))


@njit(cache=True)
def _overweight(bw, max_weight):
    return max(bw[0] - max_weight[0], 0.0) + max(bw[1] - max_weight[1], 0.0)


def fm_refine(indptr, indices, weights, node_weights, side, max_weight, target, max_passes, stall_limit, state, pass_cuts):
    """Run FM passes on ``side``; returns the final cut (as float64).

    ``pass_cuts`` (float64, length >= ``max_passes``, or empty to skip)
    receives the cut after each pass; entries of passes not run are left
    as they are.

    ``stall_limit``: moves allowed without a new best state before a pass
    stops.  Side weights start wherever ``side`` puts them: an overweight
    side is emptied first (every node of it becomes a candidate if none of
    its boundary nodes is left), so this also balances.

    The passes run in :func:`_fm_passes` with float64 heap keys, as the
    k-way FM's: one set of :mod:`.pq` kernels to compile for both.  Integer
    gains are exact in float64 below 2**53; for heavier integer weights
    (a weighted degree of 2**52 or more) the kernel refuses before changing
    anything and runs again with int64 keys, so the result never depends on
    the key type.
    """
    n = indptr.shape[0] - 1
    check = weights.dtype.kind != "f"
    cut = _fm_passes(indptr, indices, weights, node_weights, side, max_weight, target, max_passes, stall_limit,
                     state, pass_cuts, np.empty(n, np.float64), check)
    if cut != cut:  # NaN: the float64 keys would not be exact
        cut = _fm_passes(indptr, indices, weights, node_weights, side, max_weight, target, max_passes, stall_limit,
                         state, pass_cuts, np.empty(n, weights.dtype), False)
    return cut


# A gain is at most its node's weighted degree (non-negative weights); with
# every degree below 2**52, every gain is an integer that float64 holds
# exactly (the limit is 2**53).
_EXACT_LIMIT = 4503599627370496  # 2**52


# The two per-move helpers of _fm_passes, shared by its moves and its
# rollback; inlined (Numba IR level): the hot loop pays no call.
@njit(cache=True, inline='always')
def _flip(side, bw, node_weights, ext, intl, v):
    """Move v to the other side: side weights follow, and v's external and
    internal degrees swap."""
    s = side[v]
    t = 1 - s
    side[v] = t
    bw[s] -= node_weights[v]
    bw[t] += node_weights[v]
    e = ext[v]
    ext[v] = intl[v]
    intl[v] = e


@njit(cache=True, inline='always')
def _shift(intl, ext, u, w, left):
    """Degrees of a neighbour u of a flipped node across an edge of weight
    w: ``left`` when u is on the side the node left (one internal edge
    becomes external), else the reverse."""
    if left:
        intl[u] -= w
        ext[u] += w
    else:
        ext[u] -= w
        intl[u] += w


@njit(cache=True)
def _fm_passes(indptr, indices, weights, node_weights, side, max_weight, target, max_passes, stall_limit, state,
               pass_cuts, key, check_exact):
    """The passes of :func:`fm_refine`.  ``key`` (length n) holds the heap
    keys, in its own dtype; its content on entry does not matter (a key is
    written before its node enters a heap, and only heap members' keys are
    read).  With ``check_exact``, returns NaN before changing anything when
    a weighted degree reaches ``_EXACT_LIMIT`` (gains might not be exact in
    float64 keys)."""
    n = indptr.shape[0] - 1
    ext, intl = bisection_degrees(indptr, indices, weights, side)
    if check_exact:
        for u in range(n):
            if ext[u] + intl[u] >= _EXACT_LIMIT:
                return np.nan
    bw = block_weights(node_weights, side, np.int64(2))  # side_weights, one kernel less
    total = 0  # ext.sum() (the same sequential sum) without compiling Numba's array sum
    for u in range(n):
        total += ext[u]
    cut = total / 2.0  # float64: exact for integer weights below 2**53
    heap = np.empty(2 * n, np.int64)
    size = np.zeros(2, np.int64)
    pos = np.full(n, -1, np.int64)
    stamp = np.zeros(n, np.int64)
    locked = np.zeros(n, np.bool_)
    moved = np.empty(n, np.int64)
    for _ in range(max_passes):
        for u in range(n):
            if ext[u] > 0:
                key[u] = ext[u] - intl[u]
                stamp[u] = below(state, n)
                pq_push(heap, size, pos, key, stamp, side[u], n, u)
        clock = n
        cur = cut
        best_cut = cut
        best_over = _overweight(bw, max_weight)
        best_bal = max(bw[0] / max(target[0], 1e-300), bw[1] / max(target[1], 1e-300))
        start_over = best_over
        start_cut = best_cut
        start_bal = best_bal
        best_len = 0
        nm = 0
        filled0 = False
        filled1 = False
        while True:
            s = -1
            forced = -1
            if bw[0] > max_weight[0]:
                forced = 0
            elif bw[1] > max_weight[1]:
                forced = 1
            if forced >= 0:
                if size[forced] == 0 and not (filled0 if forced == 0 else filled1):
                    # no boundary node left on the heavy side: any node may go
                    for u in range(n):
                        if side[u] == forced and not locked[u] and pos[u] < 0:
                            key[u] = ext[u] - intl[u]
                            stamp[u] = below(state, n)
                            pq_push(heap, size, pos, key, stamp, forced, n, u)
                    if forced == 0:
                        filled0 = True
                    else:
                        filled1 = True
                if size[forced] == 0:
                    break
                s = forced
            else:
                best_key = key[0]
                for t in range(2):
                    if size[t] == 0:
                        continue
                    v = heap[t * n]
                    if bw[1 - t] + node_weights[v] > max_weight[1 - t]:
                        continue
                    if s < 0 or key[v] > best_key or (
                        key[v] == best_key and bw[t] / max(target[t], 1e-300) > bw[s] / max(target[s], 1e-300)
                    ):
                        s = t
                        best_key = key[v]
                if s < 0:
                    break
            v = pq_pop(heap, size, pos, key, stamp, s, n)
            cur -= ext[v] - intl[v]
            _flip(side, bw, node_weights, ext, intl, v)
            locked[v] = True
            moved[nm] = v
            nm += 1
            for p in range(indptr[v], indptr[v + 1]):
                # int64 node ids everywhere (int32 here would compile a
                # second specialisation of every pq helper)
                u = np.int64(indices[p])
                _shift(intl, ext, u, weights[p], side[u] == s)
                if locked[u]:
                    continue
                if pos[u] >= 0:
                    if ext[u] == 0 and not (filled0 if side[u] == 0 else filled1):
                        pq_remove(heap, size, pos, key, stamp, side[u], n, u)
                    else:
                        key[u] = ext[u] - intl[u]
                        stamp[u] = clock
                        clock += 1
                        # u on v's old side gained (a newer stamp only helps too)
                        if side[u] == s:
                            pq_increase(heap, size, pos, key, stamp, side[u], n, u)
                        else:
                            pq_decrease(heap, size, pos, key, stamp, side[u], n, u)
                elif ext[u] > 0:
                    key[u] = ext[u] - intl[u]
                    stamp[u] = clock
                    clock += 1
                    pq_push(heap, size, pos, key, stamp, side[u], n, u)
            over = _overweight(bw, max_weight)
            bal = max(bw[0] / max(target[0], 1e-300), bw[1] / max(target[1], 1e-300))
            if over < best_over or (
                over == best_over and (cur < best_cut or (cur == best_cut and bal < best_bal))
            ):
                best_over = over
                best_cut = cur
                best_bal = bal
                best_len = nm
            elif nm - best_len > stall_limit:
                break
        # roll back to the best prefix
        for i in range(nm - 1, best_len - 1, -1):
            v = moved[i]
            s = side[v]
            _flip(side, bw, node_weights, ext, intl, v)
            for p in range(indptr[v], indptr[v + 1]):
                u = indices[p]
                _shift(intl, ext, u, weights[p], side[u] == s)
        for t in range(2):
            for i in range(size[t]):
                pos[heap[t * n + i]] = -1
            size[t] = 0
        for i in range(nm):
            locked[moved[i]] = False
        cut = best_cut
        if pass_cuts.shape[0] > _:
            pass_cuts[_] = cut
        improved = best_over < start_over or (
            best_over == start_over and (best_cut < start_cut or (best_cut == start_cut and best_bal < start_bal))
        )
        if not improved:
            break
    return cut


@njit(cache=True)
def _bfs_grow(indptr, indices, node_weights, side, start, goal, state):
    """Side 1 := breadth-first ball around ``start`` until its weight reaches
    ``goal``; other components are entered from random unvisited nodes."""
    n = indptr.shape[0] - 1
    queue = np.empty(n, np.int64)
    seen = np.zeros(n, np.bool_)
    order = permutation(state, n)
    head = 0
    tail = 0
    grown = 0.0
    next_start = 0
    queue[tail] = start
    tail += 1
    seen[start] = True
    while grown < goal:
        if head == tail:
            while next_start < n and seen[order[next_start]]:
                next_start += 1
            if next_start == n:
                break
            queue[tail] = order[next_start]
            seen[order[next_start]] = True
            tail += 1
        u = queue[head]
        head += 1
        side[u] = 1
        grown += node_weights[u]
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if not seen[v]:
                seen[v] = True
                queue[tail] = v
                tail += 1


def initial_bisection(indptr, indices, weights, node_weights, max_weight, target, tries, fm_passes, stall_limit, state):
    """Best of ``tries`` bisections of a (small, coarsest) graph.

    Tries alternate between greedy graph growing (side 1 starts as one random
    node and FM's forced moves grow it by best gain until side 0 fits) and
    breadth-first growing; each is refined by FM.  Best = lexicographically
    smallest (overweight, cut).  Returns the side array (int64).

    Runs :func:`_initial_bisection` with float64 heap keys, or with int64
    keys when the integer weights are too heavy for exact float64 gains (as
    :func:`fm_refine`).
    """
    n = indptr.shape[0] - 1
    check = weights.dtype.kind != "f"
    ok, side = _initial_bisection(indptr, indices, weights, node_weights, max_weight, target, tries, fm_passes,
                                  stall_limit, state, np.empty(n, np.float64), check)
    if not ok:
        ok, side = _initial_bisection(indptr, indices, weights, node_weights, max_weight, target, tries, fm_passes,
                                      stall_limit, state, np.empty(n, weights.dtype), False)
    return side


def _initial_bisection(indptr, indices, weights, node_weights, max_weight, target, tries, fm_passes, stall_limit, state,
                       key, check_exact):
    """The tries of :func:`initial_bisection`; ``key`` is FM's heap-key
    scratch.  Returns ``(True, side)``, or ``(False, zeros)`` before using
    ``state`` when ``check_exact`` finds gains that ``key``'s dtype might
    not hold exactly.

    Plain Python around the kernels: as a kernel it re-optimized the whole
    of :func:`_fm_passes` (linked in) on a cold start, about 1 s; the
    kernels it calls get the signatures :func:`fm_refine` gives them."""
    n = indptr.shape[0] - 1
    best_side = np.zeros(n, np.int64)
    if check_exact:
        # all nodes on side 0: ext + intl is each node's weighted degree
        ext, intl = bisection_degrees(indptr, indices, weights, best_side)
        if n > 0 and intl.max() >= _EXACT_LIMIT:
            return False, best_side
    best_over = np.inf
    best_cut = np.inf
    grow_limit = np.array([target[0], max_weight[1]], np.float64)
    side = np.zeros(n, np.int64)
    no_trace = np.zeros(0, np.float64)
    no_check = np.bool_(False)
    one = np.int64(1)
    for t in range(tries):
        side[:] = 0
        start = below(state, n)
        if t % 2 == 0:
            side[start] = 1
            _fm_passes(indptr, indices, weights, node_weights, side, grow_limit, target, one, n, state, no_trace, key,
                       no_check)
        else:
            _bfs_grow(indptr, indices, node_weights, side, start, target[1], state)
        cut = _fm_passes(indptr, indices, weights, node_weights, side, max_weight, target, fm_passes, stall_limit,
                         state, no_trace, key, no_check)
        over = _overweight(block_weights(node_weights, side, np.int64(2)), max_weight)
        if over < best_over or (over == best_over and cut < best_cut):
            best_over = over
            best_cut = cut
            best_side[:] = side
    return True, best_side
