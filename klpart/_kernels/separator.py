"""Vertex separators: a cover of the cut edges, grown initial separators and
node-based FM refinement.

A separator state is an int64 array ``where``: 0 and 1 are the two sides,
2 is the separator.  The invariant every kernel keeps: no edge joins a node
of side 0 to a node of side 1.

Balance of a separator: the heavier side weighs at most ``(1 + eps)`` times
half of the two sides' total (``ceil`` of that half for integral weights),
see :func:`sides_balanced`.  The separator's own weight is not counted.
"""

import numpy as np
from numba import njit

from .kway import block_weights
from .pq import pq_push, pq_remove, pq_update
from .rng import below, next_u64

SEP = 2


@njit(cache=True)
def sides_balanced(wa, wb, eps, integral):
    """True when ``max(wa, wb) <= (1 + eps) * half`` (half of ``wa + wb``,
    rounded up for integral weights)."""
    half = (wa + wb) / 2.0
    if integral:
        half = np.ceil(half)
    return max(wa, wb) <= (1.0 + eps) * half + 1e-9


@njit(cache=True)
def cover_separator(indptr, indices, side):
    """Separator from a bisection: a minimum vertex cover of its cut edges.

    ``side`` holds 0/1 per node.  The cut edges form a bipartite graph
    (side-0 ends left, side-1 ends right); a maximum matching found by
    augmenting paths gives, by Konig's theorem, a cover of the same size:
    left nodes not reachable from a free left node by alternating paths,
    plus right nodes that are reachable.  Returns ``where`` (int64, 0/1/2);
    ``side`` is not modified.  Unweighted: the cover has the fewest nodes.
    """
    n = side.shape[0]
    where = np.empty(n, np.int64)
    for u in range(n):
        where[u] = side[u]
    mate = np.full(n, -1, np.int64)
    boundary = np.zeros(n, np.bool_)
    for u in range(n):
        if side[u] != 0:
            continue
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if side[v] == 1:
                boundary[u] = True
                boundary[v] = True
                if mate[u] < 0 and mate[v] < 0:
                    mate[u] = v
                    mate[v] = u
    seen = np.full(n, -1, np.int64)
    parent = np.empty(n, np.int64)
    queue = np.empty(n, np.int64)
    for s in range(n):
        if side[s] != 0 or mate[s] >= 0 or not boundary[s]:
            continue
        head = 0
        tail = 1
        queue[0] = s
        found = -1
        while head < tail and found < 0:
            u = queue[head]
            head += 1
            for p in range(indptr[u], indptr[u + 1]):
                v = indices[p]
                if side[v] != 1 or seen[v] == s:
                    continue
                seen[v] = s
                parent[v] = u
                if mate[v] < 0:
                    found = v
                    break
                queue[tail] = mate[v]
                tail += 1
        while found >= 0:
            u = parent[found]
            nxt = mate[u]
            mate[u] = found
            mate[found] = u
            found = nxt
    # Konig: alternating reachability from the free left nodes
    inz = np.zeros(n, np.bool_)
    tail = 0
    for s in range(n):
        if side[s] == 0 and boundary[s] and mate[s] < 0:
            inz[s] = True
            queue[tail] = s
            tail += 1
    head = 0
    while head < tail:
        u = queue[head]
        head += 1
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if side[v] != 1 or inz[v]:
                continue
            inz[v] = True
            m = mate[v]
            if m >= 0 and not inz[m]:
                inz[m] = True
                queue[tail] = m
                tail += 1
    for u in range(n):
        if boundary[u]:
            if side[u] == 0 and not inz[u]:
                where[u] = SEP
            elif side[u] == 1 and inz[u]:
                where[u] = SEP
    return where


@njit(cache=True)
def grow_bisection(indptr, indices, node_weights, state):
    """A bisection grown by BFS from a random node until half the weight is
    reached (restarting from a fresh random node when a component is
    exhausted).  Returns int64 sides 0/1."""
    n = indptr.shape[0] - 1
    side = np.ones(n, np.int64)
    total = 0.0
    for u in range(n):
        total += node_weights[u]
    if n == 0:
        return side
    queue = np.empty(n, np.int64)
    grown = 0.0
    head = 0
    tail = 0
    start = below(state, n)
    while grown < total / 2.0:
        if head == tail:
            # new seed: the first unvisited node after a random start
            found = -1
            for i in range(n):
                u = (start + i) % n
                if side[u] == 1:
                    found = u
                    break
            if found < 0:
                break
            side[found] = 0
            grown += node_weights[found]
            queue[tail] = found
            tail += 1
            continue
        u = queue[head]
        head += 1
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if side[v] == 1 and grown < total / 2.0:
                side[v] = 0
                grown += node_weights[v]
                queue[tail] = v
                tail += 1
    return side


@njit(cache=True)
def better(sep, diff, bal, best_sep, best_diff, best_bal):
    """Whether separator (size ``sep``, side weight difference ``diff``,
    balanced ``bal``) beats the best so far: a balanced one beats an
    unbalanced one; between balanced ones the smaller separator wins, then
    the smaller difference; between unbalanced ones the smaller difference,
    then the smaller separator (used here and by the nested-dissection
    driver in :mod:`klpart.ordering`)."""
    if bal != best_bal:
        return bal
    if bal:
        return sep < best_sep - 1e-12 or (sep <= best_sep + 1e-12 and diff < best_diff - 1e-12)
    return diff < best_diff - 1e-12 or (diff <= best_diff + 1e-12 and sep < best_sep - 1e-12)


@njit(cache=True)
def separator_weights(node_weights, where):
    """float64[3]: weights of side 0, side 1 and the separator."""
    return block_weights(node_weights, where, 3)


@njit(cache=True)
def node_fm(indptr, indices, node_weights, where, eps, integral, max_passes, stall_limit, state):
    """Refine a separator in place by moving separator nodes to a side.

    Moving separator node v to side ``to`` pulls its neighbours on the other
    side into the separator; the gain is ``w(v) - w(pulled)``, the drop of
    the separator's weight.  Each pass moves unlocked separator nodes by best
    gain (two indexed heaps, one per target side; random tie order), locks
    each moved node, and rolls back to the best state seen: balanced first,
    then lightest separator, then least side difference.  An unbalanced
    state only moves nodes to its lighter side.  Passes stop after
    ``max_passes`` or when a pass finds nothing better.  The no-edge-between-
    sides invariant holds after every move.  Returns the separator weight.
    """
    n = where.shape[0]
    vw = node_weights
    pw = separator_weights(vw, where)
    ed0 = np.zeros(n, np.float64)
    ed1 = np.zeros(n, np.float64)
    heap0 = np.empty(n, np.int64)
    heap1 = np.empty(n, np.int64)
    size0 = np.zeros(1, np.int64)
    size1 = np.zeros(1, np.int64)
    pos0 = np.full(n, -1, np.int64)
    pos1 = np.full(n, -1, np.int64)
    key0 = np.zeros(n, np.float64)
    key1 = np.zeros(n, np.float64)
    stamp = np.zeros(n, np.int64)
    locked = np.zeros(n, np.bool_)
    cap = 4 * n + 16
    log_node = np.empty(cap, np.int64)
    log_old = np.empty(cap, np.int64)
    for _ in range(max_passes):
        # fresh heaps
        for i in range(size0[0]):
            pos0[heap0[i]] = -1
        for i in range(size1[0]):
            pos1[heap1[i]] = -1
        size0[0] = 0
        size1[0] = 0
        for u in range(n):
            locked[u] = False
            if where[u] != SEP:
                continue
            e0 = 0.0
            e1 = 0.0
            for p in range(indptr[u], indptr[u + 1]):
                w = where[indices[p]]
                if w == 0:
                    e0 += vw[indices[p]]
                elif w == 1:
                    e1 += vw[indices[p]]
            ed0[u] = e0
            ed1[u] = e1
            stamp[u] = np.int64(next_u64(state) >> np.uint64(2))
            key0[u] = vw[u] - e1
            key1[u] = vw[u] - e0
            pq_push(heap0, size0, pos0, key0, stamp, 0, n, u)
            pq_push(heap1, size1, pos1, key1, stamp, 0, n, u)
        best_sep = pw[2]
        best_diff = abs(pw[0] - pw[1])
        best_bal = sides_balanced(pw[0], pw[1], eps, integral)
        nlog = 0
        best_nlog = 0
        since = 0
        while since <= stall_limit:
            bal = sides_balanced(pw[0], pw[1], eps, integral)
            lighter = 0 if pw[0] <= pw[1] else 1
            to = -1
            c = -1
            if not bal:
                if lighter == 0 and size0[0] > 0:
                    to = 0
                    c = heap0[0]
                elif lighter == 1 and size1[0] > 0:
                    to = 1
                    c = heap1[0]
            else:
                c0 = heap0[0] if size0[0] > 0 else -1
                c1 = heap1[0] if size1[0] > 0 else -1
                ok0 = c0 >= 0 and sides_balanced(pw[0] + vw[c0], pw[1] - ed1[c0], eps, integral)
                ok1 = c1 >= 0 and sides_balanced(pw[1] + vw[c1], pw[0] - ed0[c1], eps, integral)
                if ok0 and ok1:
                    if key0[c0] > key1[c1] or (key0[c0] == key1[c1] and lighter == 0):
                        to = 0
                        c = c0
                    else:
                        to = 1
                        c = c1
                elif ok0:
                    to = 0
                    c = c0
                elif ok1:
                    to = 1
                    c = c1
            if c < 0:
                break
            other = 1 - to
            if pos0[c] >= 0:
                pq_remove(heap0, size0, pos0, key0, stamp, 0, n, c)
            if pos1[c] >= 0:
                pq_remove(heap1, size1, pos1, key1, stamp, 0, n, c)
            if nlog + 1 + (indptr[c + 1] - indptr[c]) > cap:
                cap = 2 * cap + (indptr[c + 1] - indptr[c])
                ln = np.empty(cap, np.int64)
                lo = np.empty(cap, np.int64)
                ln[:nlog] = log_node[:nlog]
                lo[:nlog] = log_old[:nlog]
                log_node = ln
                log_old = lo
            log_node[nlog] = c
            log_old[nlog] = SEP
            nlog += 1
            where[c] = to
            locked[c] = True
            pw[2] -= vw[c]
            pw[to] += vw[c]
            wc = vw[c]
            # separator neighbours of c gain a neighbour on side `to`
            for p in range(indptr[c], indptr[c + 1]):
                x = indices[p]
                if where[x] == SEP:
                    if to == 0:
                        ed0[x] += wc
                        if pos1[x] >= 0:
                            key1[x] -= wc
                            pq_update(heap1, size1, pos1, key1, stamp, 0, n, x)
                    else:
                        ed1[x] += wc
                        if pos0[x] >= 0:
                            key0[x] -= wc
                            pq_update(heap0, size0, pos0, key0, stamp, 0, n, x)
            # pull c's neighbours on the other side into the separator
            for p in range(indptr[c], indptr[c + 1]):
                x = indices[p]
                if where[x] != other:
                    continue
                log_node[nlog] = x
                log_old[nlog] = other
                nlog += 1
                where[x] = SEP
                wx = vw[x]
                pw[other] -= wx
                pw[2] += wx
                e0 = 0.0
                e1 = 0.0
                for q in range(indptr[x], indptr[x + 1]):
                    y = indices[q]
                    wy = where[y]
                    if wy == 0:
                        e0 += vw[y]
                    elif wy == 1:
                        e1 += vw[y]
                    else:
                        # y lost a neighbour on side `other`
                        if other == 0:
                            ed0[y] -= wx
                            if pos1[y] >= 0:
                                key1[y] += wx
                                pq_update(heap1, size1, pos1, key1, stamp, 0, n, y)
                        else:
                            ed1[y] -= wx
                            if pos0[y] >= 0:
                                key0[y] += wx
                                pq_update(heap0, size0, pos0, key0, stamp, 0, n, y)
                ed0[x] = e0
                ed1[x] = e1
                if not locked[x]:
                    stamp[x] = np.int64(next_u64(state) >> np.uint64(2))
                    key0[x] = wx - e1
                    key1[x] = wx - e0
                    if pos0[x] >= 0:
                        pq_update(heap0, size0, pos0, key0, stamp, 0, n, x)
                    else:
                        pq_push(heap0, size0, pos0, key0, stamp, 0, n, x)
                    if pos1[x] >= 0:
                        pq_update(heap1, size1, pos1, key1, stamp, 0, n, x)
                    else:
                        pq_push(heap1, size1, pos1, key1, stamp, 0, n, x)
            nb = sides_balanced(pw[0], pw[1], eps, integral)
            if better(pw[2], abs(pw[0] - pw[1]), nb, best_sep, best_diff, best_bal):
                best_sep = pw[2]
                best_diff = abs(pw[0] - pw[1])
                best_bal = nb
                best_nlog = nlog
                since = 0
            else:
                since += 1
        for i in range(nlog - 1, best_nlog - 1, -1):
            x = log_node[i]
            pw[where[x]] -= vw[x]
            pw[log_old[i]] += vw[x]
            where[x] = log_old[i]
        if best_nlog == 0:
            break
    return pw[2]


@njit(cache=True)
def initial_separator(indptr, indices, node_weights, eps, integral, tries, fm_passes, stall_limit, state):
    """Best of ``tries`` separators: grown bisection -> cover of its cut
    edges -> :func:`node_fm`.  Returns ``where`` (int64 0/1/2)."""
    n = indptr.shape[0] - 1
    best = np.zeros(n, np.int64)
    best_sep = np.inf
    best_diff = np.inf
    best_bal = False
    for t in range(max(tries, 1)):
        side = grow_bisection(indptr, indices, node_weights, state)
        where = cover_separator(indptr, indices, side)
        node_fm(indptr, indices, node_weights, where, eps, integral, fm_passes, stall_limit, state)
        pw = separator_weights(node_weights, where)
        bal = sides_balanced(pw[0], pw[1], eps, integral)
        if t == 0 or better(pw[2], abs(pw[0] - pw[1]), bal, best_sep, best_diff, best_bal):
            best[:] = where
            best_sep = pw[2]
            best_diff = abs(pw[0] - pw[1])
            best_bal = bal
    return best


@njit(cache=True)
def has_side_edge(indptr, indices, where):
    """True if some edge joins side 0 to side 1 (a broken separator)."""
    n = where.shape[0]
    for u in range(n):
        if where[u] == 0:
            for p in range(indptr[u], indptr[u + 1]):
                if where[indices[p]] == 1:
                    return True
    return False
