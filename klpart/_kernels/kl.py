"""Kernighan-Lin sweeps over CSR arrays, with NetworkX's pass structure.

A *pass* (NetworkX's ``_kernighan_lin_sweep``) starts from a two-sided
labelling ``side`` (1 = the first set of the user's partition, 0 = the second)
and repeats, while both sides still have unlocked nodes:

1. take the unlocked side-0 node of largest gain, lock it, update the gains
   of its unlocked neighbours as if it had switched sides;
2. the same for side 1;
3. record the running change of the cut.

It then applies the shortest prefix of pairs with the smallest (most
negative) running change, or stops when no prefix reduces the cut.

Gains are ``external - internal`` weight with respect to the *start* of the
pass (nodes that already switched are locked, so their neighbours' gains are
what the hypothetical moves imply).  The running change after a pair is
``-(gain_u) - (gain_v)`` summed in that order, exactly as NetworkX sums
``cost_u + cost_v`` with ``cost = -gain``.

Two priority structures give the same move sequence:

* gain buckets (integer weights, O(1) per update): one doubly linked list per
  gain value and side, with a pointer to the highest non-empty bucket;
* an indexed binary heap (float weights or a gain range too wide for
  buckets), ordered by ``(gain, stamp)``.

Ties between equal gains: with ``lifo`` the node whose gain changed most
recently wins, otherwise the node whose gain changed least recently.  A
neighbour whose gain does not change (a zero weight edge) keeps its place.
A third structure, :func:`sweep_lazy_heap`, replays NetworkX's own heap
(including its stale entries) so that klpart can reproduce NetworkX's result
move for move.

The passes (:func:`kl_pass`, :func:`kl_passes`) are plain Python around one
sweep kernel: a first call compiles only the sweep it runs, not all three,
and no kernel re-optimizes a sweep it calls.
"""

import numpy as np
from numba import njit

from .pq import pq_decrease, pq_increase, pq_pop, pq_push

# a plain constant: np.iinfo in a kernel costs a compile of its own
_INT64_MAX = 9223372036854775807


# inlined into the pass kernels (Numba IR level), as keep_best_prefix: the
# KL drop-in's first call compiles two kernels less
@njit(cache=True, inline='always')
def initial_gains(indptr, indices, weights, side):
    """Gain of moving each node alone: external minus internal weight."""
    n = indptr.shape[0] - 1
    gain = np.empty(n, weights.dtype)
    for u in range(n):
        s = side[u]
        g = 0  # unifies with the weights' type (0 or 0.0)
        for p in range(indptr[u], indptr[u + 1]):
            if side[indices[p]] != s:
                g += weights[p]
            else:
                g -= weights[p]
        gain[u] = g
    return gain


@njit(cache=True)
def max_weighted_degree(indptr, weights):
    """Largest row sum: bounds every gain in absolute value.

    Saturates at the int64 maximum instead of wrapping (the gain-bucket table
    is sized from this value; a wrapped sum once sized it too small).  The
    API refuses weights summing past 2**62, so saturation is a second line of
    defence for arrays built without validation."""
    top = _INT64_MAX
    best = 0
    for u in range(indptr.shape[0] - 1):
        s = 0
        for p in range(indptr[u], indptr[u + 1]):
            w = weights[p]
            if w > top - s:
                return top
            s += w
        if s > best:
            best = s
    return best


# --------------------------------------------------------------------------
# the steps every pass kernel shares (inlined: no call, no compile of their own)
# --------------------------------------------------------------------------
@njit(cache=True, inline='always')
def _take(locked, moves0, moves1, gain, i, s, x):
    """Lock x as the side-``s`` node of pair i; returns its gain."""
    locked[x] = True
    if s == 0:
        moves0[i] = x
    else:
        moves1[i] = x
    return gain[x]


@njit(cache=True, inline='always')
def _end_pass(side, pairs, moves0, moves1, running, history, it, apply):
    """End of sweep ``it``: ``running`` (each pair's cut change) becomes the
    running change after each pair, summed in pair order as NetworkX sums
    it; then, with ``apply``, the best prefix is kept and its cut change
    recorded in ``history[it]``.  Returns the pairs kept (0 ends the
    passes; always 0 without ``apply``)."""
    total = 0  # unifies with running's type
    for i in range(pairs):
        total += running[i]
        running[i] = total
    if not apply:
        return 0
    keep, best = keep_best_prefix(side, pairs, moves0, moves1, running)
    history[it] = best
    return keep


# --------------------------------------------------------------------------
# gain buckets (integer gains)
# --------------------------------------------------------------------------
@njit(cache=True)
def _passes_buckets(indptr, indices, weights, side, lifo, bound, moves0, moves1, running, max_iter, apply, history):
    """KL passes with gain buckets; integer ``weights`` only.

    ``bound`` must be at least the largest weighted degree.  A sweep fills
    ``moves0[i]`` (the side-0 node of pair i), ``moves1[i]`` and
    ``running[i]`` (cut change after pairs 0..i), reading ``side``.

    Layout: bucket ``s * nb + gain + bound`` holds the unlocked side-``s``
    nodes of that gain as a doubly linked list (``nxt``/``prv``); new entries
    go to the head (``lifo``) or the tail; pops take the head of the highest
    non-empty bucket, found from ``top[s]`` downwards.  The list operations
    are written out: a helper with array arguments, called or inlined at
    Numba IR level, costs reference counting on every use, several times
    the work itself (inlined link/unlink helpers measured 2.5x slower
    sweeps on fe_4elt2).

    Runs up to ``max_iter`` passes: after each sweep the shortest best
    prefix is kept (:func:`keep_best_prefix`, ``history[it]`` its cut
    change) until a pass keeps nothing; with ``apply`` False only the first
    sweep runs and ``side`` is left as it is.  Returns ``(passes run, pairs
    of the last sweep, pairs kept by the last pass)``.  One kernel per
    structure runs the whole KL, so a first call compiles only the
    structure it uses and no kernel re-optimizes another's sweep.
    """
    pairs = 0
    keep = 0
    for it in range(max_iter):
        n = indptr.shape[0] - 1
        gain = initial_gains(indptr, indices, weights, side)
        nb = 2 * bound + 1
        # np.empty and fill loops only: each np.full / np.zeros form is one more
        # Numba implementation to compile on a cold start (this is the KL
        # drop-in's path)
        head = np.empty(2 * nb, np.int64)
        tail = np.empty(2 * nb, np.int64)
        for b in range(2 * nb):
            head[b] = -1
            tail[b] = -1
        nxt = np.empty(n, np.int64)
        prv = np.empty(n, np.int64)
        locked = np.empty(n, np.bool_)
        for u in range(n):
            locked[u] = False
        top = np.empty(2, np.int64)
        count = np.empty(2, np.int64)
        for s in range(2):
            top[s] = -1
            count[s] = 0
        # the start buckets: each list holds its nodes in increasing order
        # (fifo) or decreasing (lifo; as if pushed at the head one by one), so
        # appending at the tails in that order builds them
        for j in range(n):
            u = n - 1 - j if lifo else j
            s = np.int64(side[u])
            # int64() is a no-op for the integer gains this kernel runs on; it
            # lets the float specialisation of kl_passes type-check this branch
            b = s * nb + np.int64(gain[u]) + bound
            last = tail[b]
            prv[u] = last
            nxt[u] = -1
            if last < 0:
                head[b] = u
            else:
                nxt[last] = u
            tail[b] = u
            top[s] = max(top[s], b)
            count[s] += 1
        pairs = min(count[0], count[1])
        for i in range(pairs):
            running[i] = 0  # this pair's cut change, summed up by _end_pass
            for s in range(2):
                t = top[s]
                while head[t] < 0:
                    t -= 1
                top[s] = t
                x = head[t]
                c = nxt[x]
                head[t] = c
                if c >= 0:
                    prv[c] = -1
                else:
                    tail[t] = -1
                running[i] -= _take(locked, moves0, moves1, gain, i, s, x)
                for p in range(indptr[x], indptr[x + 1]):
                    y = indices[p]
                    w = weights[p]
                    if locked[y] or w == 0:
                        continue
                    sy = np.int64(side[y])
                    # unlink y from its bucket
                    b = sy * nb + np.int64(gain[y]) + bound
                    a = prv[y]
                    c = nxt[y]
                    if a >= 0:
                        nxt[a] = c
                    else:
                        head[b] = c
                    if c >= 0:
                        prv[c] = a
                    else:
                        tail[b] = a
                    if sy == s:
                        gain[y] += 2 * w
                    else:
                        gain[y] -= 2 * w
                    # link y into its new bucket: at the head (lifo, or an
                    # empty bucket) or at the tail
                    b = sy * nb + np.int64(gain[y]) + bound
                    if lifo or head[b] < 0:
                        nxt[y] = head[b]
                        prv[y] = -1
                        if head[b] >= 0:
                            prv[head[b]] = y
                        else:
                            tail[b] = y
                        head[b] = y
                    else:
                        prv[y] = tail[b]
                        nxt[y] = -1
                        nxt[tail[b]] = y
                        tail[b] = y
                    if b > top[sy]:
                        top[sy] = b
        keep = _end_pass(side, pairs, moves0, moves1, running, history, it, apply)
        if keep == 0:
            return it + 1, pairs, 0
    return max_iter, pairs, keep


# --------------------------------------------------------------------------
# indexed binary heap (any gains)
# --------------------------------------------------------------------------
@njit(cache=True)
def _passes_heap(indptr, indices, weights, side, lifo, moves0, moves1, running, max_iter, apply, history):
    """KL passes with two indexed binary heaps (:mod:`.pq`): the passes,
    move sequence and return value of :func:`_passes_buckets`, for any
    weight dtype.

    The heaps rank equal gains by the larger stamp: a node's stamp is the
    time of its last gain change, negated for ``lifo=False`` so that the
    oldest change wins instead.
    """
    pairs = 0
    keep = 0
    for it in range(max_iter):
        n = indptr.shape[0] - 1
        gain = initial_gains(indptr, indices, weights, side)
        sign = 1 if lifo else -1
        stamp = np.arange(n).astype(np.int64) * sign
        clock = n
        heap = np.empty(2 * n, np.int64)
        size = np.zeros(2, np.int64)
        pos = np.full(n, -1, np.int64)
        locked = np.zeros(n, np.bool_)
        for u in range(n):
            pq_push(heap, size, pos, gain, stamp, np.int64(side[u]), n, u)
        pairs = min(size[0], size[1])
        for i in range(pairs):
            running[i] = 0  # this pair's cut change, summed up by _end_pass
            for s in range(2):
                x = pq_pop(heap, size, pos, gain, stamp, s, n)
                running[i] -= _take(locked, moves0, moves1, gain, i, s, x)
                for p in range(indptr[x], indptr[x + 1]):
                    y = np.int64(indices[p])  # int64 ids, as the refinement kernels pass to pq
                    w = weights[p]
                    if locked[y] or w == 0:
                        continue
                    sy = np.int64(side[y])
                    stamp[y] = clock * sign
                    clock += 1
                    if sy == s:
                        # a strictly higher gain can only rise, whatever the stamp
                        gain[y] += 2 * w
                        pq_increase(heap, size, pos, gain, stamp, sy, n, y)
                    else:
                        # a strictly lower gain can only sink, whatever the stamp
                        gain[y] -= 2 * w
                        pq_decrease(heap, size, pos, gain, stamp, sy, n, y)
        keep = _end_pass(side, pairs, moves0, moves1, running, history, it, apply)
        if keep == 0:
            return it + 1, pairs, 0
    return max_iter, pairs, keep


# --------------------------------------------------------------------------
# lazy heap: NetworkX's BinaryHeap, entry for entry
# --------------------------------------------------------------------------
@njit(cache=True)
def _entry_before(ga, ca, gb, cb):
    return ga > gb or (ga == gb and ca < cb)


@njit(cache=True)
def _lazy_push(hg, hc, hn, s, size, g, c, x):
    i = size[s]
    size[s] += 1
    while i > 0:
        parent = (i - 1) >> 1
        if not _entry_before(g, c, hg[s, parent], hc[s, parent]):
            break
        hg[s, i] = hg[s, parent]
        hc[s, i] = hc[s, parent]
        hn[s, i] = hn[s, parent]
        i = parent
    hg[s, i] = g
    hc[s, i] = c
    hn[s, i] = x


@njit(cache=True)
def _lazy_pop(hg, hc, hn, s, size):
    """Remove the first entry; returns (gain, node)."""
    g0 = hg[s, 0]
    x0 = hn[s, 0]
    size[s] -= 1
    m = size[s]
    g = hg[s, m]
    c = hc[s, m]
    x = hn[s, m]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= m:
            break
        if child + 1 < m and _entry_before(hg[s, child + 1], hc[s, child + 1], hg[s, child], hc[s, child]):
            child += 1
        if not _entry_before(hg[s, child], hc[s, child], g, c):
            break
        hg[s, i] = hg[s, child]
        hc[s, i] = hc[s, child]
        hn[s, i] = hn[s, child]
        i = child
    if m > 0:
        hg[s, i] = g
        hc[s, i] = c
        hn[s, i] = x
    return g0, x0


@njit(cache=True)
def _passes_lazy(indptr, indices, weights, side, moves0, moves1, running, max_iter, apply, history):
    """KL passes reproducing NetworkX's ``BinaryHeap`` exactly.

    NetworkX never removes an outdated heap entry: it pushes a new entry per
    gain change and, when popping, accepts the first entry whose value equals
    the node's current gain.  A node whose gain returns to an earlier value is
    therefore ranked by its *oldest* entry with that value.  Same contract,
    passes and return value as :func:`_passes_buckets`; O(nnz log nnz) per
    sweep.
    """
    pairs = 0
    keep = 0
    for it in range(max_iter):
        n = indptr.shape[0] - 1
        nnz = indices.shape[0]
        gain = initial_gains(indptr, indices, weights, side)
        cap = n + nnz + 1
        hg = np.empty((2, cap), gain.dtype)
        hc = np.empty((2, cap), np.int64)
        hn = np.empty((2, cap), np.int64)
        size = np.zeros(2, np.int64)
        clock = np.zeros(2, np.int64)
        locked = np.zeros(n, np.bool_)
        count = np.zeros(2, np.int64)
        for u in range(n):
            s = side[u]
            _lazy_push(hg, hc, hn, s, size, gain[u], clock[s], u)
            clock[s] += 1
            count[s] += 1
        pairs = min(count[0], count[1])
        for i in range(pairs):
            running[i] = 0  # this pair's cut change, summed up by _end_pass
            for s in range(2):
                while True:
                    g, x = _lazy_pop(hg, hc, hn, s, size)
                    if not locked[x] and g == gain[x]:
                        break
                running[i] -= _take(locked, moves0, moves1, gain, i, s, x)  # gain[x] == g
                for p in range(indptr[x], indptr[x + 1]):
                    y = indices[p]
                    w = weights[p]
                    if locked[y] or w == 0:
                        continue
                    sy = side[y]
                    if sy == s:
                        gain[y] += 2 * w
                    else:
                        gain[y] -= 2 * w
                    # int64 node id as in the first loop: one _lazy_push specialisation
                    _lazy_push(hg, hc, hn, sy, size, gain[y], clock[sy], np.int64(y))
                    clock[sy] += 1
        keep = _end_pass(side, pairs, moves0, moves1, running, history, it, apply)
        if keep == 0:
            return it + 1, pairs, 0
    return max_iter, pairs, keep


# --------------------------------------------------------------------------
# passes
# --------------------------------------------------------------------------
@njit(cache=True, inline='always')
def best_prefix(running, pairs):
    """(length, value) of the shortest prefix with the smallest running change."""
    best_i = 0
    best = running[0]
    for i in range(1, pairs):
        if running[i] < best:
            best = running[i]
            best_i = i
    return best_i + 1, best


@njit(cache=True, inline='always')
def keep_best_prefix(side, pairs, moves0, moves1, running):
    """End of a pass: apply the shortest prefix of the ``pairs`` swept pairs
    with the smallest running change if that change is negative.

    ``side`` is updated in place (``moves0[i]`` goes to side 1,
    ``moves1[i]`` to side 0).  Returns ``(pairs kept, cut change kept)``;
    ``(0, 0)`` when no prefix lowers the cut.
    """
    best = running[0] - running[0]  # zero of the weights' type
    keep = 0
    if pairs > 0:
        # inlined (Numba IR level): no kernel of its own on KL's path
        length, prefix_best = best_prefix(running, pairs)
        if prefix_best < 0:
            keep = length
            best = prefix_best
    for i in range(keep):
        side[moves0[i]] = 1
        side[moves1[i]] = 0
    return keep, best


# --------------------------------------------------------------------------
# Python entry points: one sweep, one pass, the passes
# --------------------------------------------------------------------------
def _run(indptr, indices, weights, side, structure, lifo, bound, moves0, moves1, running, max_iter, apply, history):
    """Call the pass kernel of ``structure`` (0 buckets, 1 heap, 2 lazy heap)."""
    if structure == 0:
        return _passes_buckets(indptr, indices, weights, side, lifo, bound, moves0, moves1, running, max_iter, apply,
                               history)
    if structure == 1:
        return _passes_heap(indptr, indices, weights, side, lifo, moves0, moves1, running, max_iter, apply, history)
    return _passes_lazy(indptr, indices, weights, side, moves0, moves1, running, max_iter, apply, history)


def sweep_buckets(indptr, indices, weights, side, lifo, bound, moves0, moves1, running):
    """One KL sweep with gain buckets; integer ``weights`` only.

    ``bound`` must be at least the largest weighted degree.  Fills
    ``moves0[i]`` (the side-0 node of pair i), ``moves1[i]`` and
    ``running[i]`` (cut change after pairs 0..i) and returns the number of
    pairs.  ``side`` is only read.  (The first sweep of
    :func:`_passes_buckets`.)
    """
    return _run(indptr, indices, weights, side, 0, lifo, bound, moves0, moves1, running, 1, False,
                np.zeros(1, running.dtype))[1]


def sweep_heap(indptr, indices, weights, side, lifo, moves0, moves1, running):
    """One KL sweep with two indexed binary heaps (:mod:`.pq`); same
    contract and same move sequence as :func:`sweep_buckets`, for any weight
    dtype.  (The first sweep of :func:`_passes_heap`.)"""
    return _run(indptr, indices, weights, side, 1, lifo, -1, moves0, moves1, running, 1, False,
                np.zeros(1, running.dtype))[1]


def sweep_lazy_heap(indptr, indices, weights, side, moves0, moves1, running):
    """One KL sweep reproducing NetworkX's ``BinaryHeap`` exactly; same
    contract as :func:`sweep_buckets`.  (The first sweep of
    :func:`_passes_lazy`.)"""
    return _run(indptr, indices, weights, side, 2, True, -1, moves0, moves1, running, 1, False,
                np.zeros(1, running.dtype))[1]


def kl_pass(indptr, indices, weights, side, structure, lifo, bound, moves0, moves1, running):
    """One KL pass: a sweep of pair moves, then the best prefix kept if it
    lowers the cut (``side`` updated in place).

    ``structure``: 0 gain buckets (``bound`` = largest weighted degree),
    1 indexed heap, 2 NetworkX's lazy heap (``lifo`` is then ignored).
    ``moves0``, ``moves1``, ``running`` (length ``n // 2 + 1``) receive the
    sweep.  Returns ``(pairs swept, pairs kept, cut change kept)``; 0 pairs
    kept means the pass found no improvement.
    """
    history = np.zeros(1, running.dtype)
    _, pairs, keep = _run(indptr, indices, weights, side, structure, lifo, bound, moves0, moves1, running, 1, True,
                          history)
    return pairs, keep, history[0]


def kl_passes(indptr, indices, weights, side, max_iter, structure, lifo, bound, history):
    """Run up to ``max_iter`` KL passes (:func:`kl_pass`), updating ``side``
    in place, with the priority structure ``structure`` (see
    :func:`kl_pass`).  ``history[k]`` receives the cut change applied by
    pass k (0 for the final pass that found no improvement).  Returns the
    number of passes run.
    """
    half = (indptr.shape[0] - 1) // 2 + 1
    moves0 = np.empty(half, np.int64)
    moves1 = np.empty(half, np.int64)
    running = np.zeros(half, weights.dtype)
    return _run(indptr, indices, weights, side, structure, lifo, bound, moves0, moves1, running, max_iter, True,
                history)[0]
