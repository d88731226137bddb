"""Connection cache of the k-way FM: each node's weight to every block.

The k-way FM searches rate a node by its best move, which needs the node's
connection (summed edge weight) to each adjacent block.  Gathering that from
the adjacency costs ``O(deg)`` per rating, and a move re-rates every
neighbour: ``O(deg^2)`` per move, which dominates on dense graphs (stiffness
matrices with degree 60+, and coarse levels of any graph).  The cache keeps
the connections and updates them in ``O(deg * blocks adjacent)`` per move,
as METIS's k-way refinement keeps its per-node neighbour-block lists.

Layout (one slot list per node, in the node's own CSR row span, so the
cache is three arrays of the edge count and needs no allocation per move):

* ``slot_block[indptr[u] + i]``, ``slot_weight[...]``, ``slot_edges[...]``
  for ``i < slot_count[u]``: an adjacent block other than u's own, the
  summed weight and the number of u's edges into it;
* ``inner_weight[u]``, ``inner_edges[u]``: the same for u's own block.

A slot goes when its edge count reaches zero, so zero-weight edges still
make a block adjacent (as in :func:`klpart._kernels.kway._best_move`) and
float weights leave no rounding residue behind in a slot that should be
empty.  Slot order is arbitrary; the best move breaks ties by block id.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def cache_build(indptr, indices, weights, labels, k):
    """The connection cache of ``labels``: ``(slot_block, slot_weight,
    slot_edges, slot_count, inner_weight, inner_edges)``."""
    n = indptr.shape[0] - 1
    m = indices.shape[0]
    slot_block = np.empty(m, np.int32)
    slot_weight = np.empty(m, np.float64)
    slot_edges = np.empty(m, np.int32)
    slot_count = np.zeros(n, np.int64)
    inner_weight = np.zeros(n, np.float64)
    inner_edges = np.zeros(n, np.int32)
    where = np.full(k, -1, np.int64)  # slot of block b in the current row
    for u in range(n):
        own = labels[u]
        base = indptr[u]
        c = 0
        for p in range(indptr[u], indptr[u + 1]):
            b = labels[indices[p]]
            if b == own:
                inner_weight[u] += weights[p]
                inner_edges[u] += 1
                continue
            q = where[b]
            if q < 0:
                q = base + c
                c += 1
                where[b] = q
                slot_block[q] = b
                slot_weight[q] = 0.0
                slot_edges[q] = 0
            slot_weight[q] += weights[p]
            slot_edges[q] += 1
        for q in range(base, base + c):
            where[slot_block[q]] = -1
        slot_count[u] = c
    return slot_block, slot_weight, slot_edges, slot_count, inner_weight, inner_edges


@njit(cache=True, inline='always')
def cache_move(indptr, indices, weights, labels, slot_block, slot_weight, slot_edges, slot_count, inner_weight,
               inner_edges, v, t):
    """Move v to block t (``labels[v] = t``) and update the cache: v's own
    lists and each neighbour's connections to v's old and new block.
    Block weights are the caller's."""
    s = labels[v]
    labels[v] = t
    base = indptr[v]
    # v's slot of t becomes its inner connection; its old inner one the slot of s
    c = slot_count[v]
    q = base + c
    for i in range(base, base + c):
        if slot_block[i] == t:
            q = i
            break
    new_weight = 0.0
    new_edges = 0
    if q < base + c:
        new_weight = slot_weight[q]
        new_edges = slot_edges[q]
    if inner_edges[v] > 0:
        slot_block[q] = s
        slot_weight[q] = inner_weight[v]
        slot_edges[q] = inner_edges[v]
        if q == base + c:
            slot_count[v] = c + 1
    elif q < base + c:  # no edge into s: t's slot goes
        last = base + c - 1
        slot_block[q] = slot_block[last]
        slot_weight[q] = slot_weight[last]
        slot_edges[q] = slot_edges[last]
        slot_count[v] = c - 1
    inner_weight[v] = new_weight
    inner_edges[v] = new_edges
    # the slot edits are written out here: as helper kernels (inlined or
    # not) the moves ran 3-10x slower on low-degree graphs (measured on t60k;
    # each call handles four arrays' reference counts)
    for p in range(indptr[v], indptr[v + 1]):
        u = indices[p]
        w = weights[p]
        lu = labels[u]
        base = indptr[u]
        if lu == s:
            inner_edges[u] -= 1
            # exactly 0 with no edge left: float weights leave no residue
            inner_weight[u] = inner_weight[u] - w if inner_edges[u] > 0 else 0.0
        else:  # one edge fewer into s
            c = slot_count[u]
            for q in range(base, base + c):
                if slot_block[q] == s:
                    if slot_edges[q] == 1:
                        last = base + c - 1
                        slot_block[q] = slot_block[last]
                        slot_weight[q] = slot_weight[last]
                        slot_edges[q] = slot_edges[last]
                        slot_count[u] = c - 1
                    else:
                        slot_weight[q] -= w
                        slot_edges[q] -= 1
                    break
        if lu == t:
            inner_edges[u] += 1
            inner_weight[u] += w
        else:  # one edge more into t
            c = slot_count[u]
            q = base
            while q < base + c and slot_block[q] != t:
                q += 1
            if q < base + c:
                slot_weight[q] += w
                slot_edges[q] += 1
            else:
                slot_block[q] = t
                slot_weight[q] = w
                slot_edges[q] = 1
                slot_count[u] = c + 1


@njit(cache=True)
def cache_best_move(indptr, node_weights, bw, max_weight, slot_block, slot_weight, slot_count, inner_weight, v):
    """(target block, gain) of v's best feasible move from the cache, or
    (-1, 0.0): the adjacent block of most connection among those that stay
    within their maximum weight with v; ties go to the relatively lighter
    block, then to the lower id."""
    wv = node_weights[v]
    base = indptr[v]
    best = -1
    best_conn = 0.0
    best_load = 0.0
    for q in range(base, base + slot_count[v]):
        b = slot_block[q]
        if bw[b] + wv > max_weight[b]:
            continue
        load = bw[b] / max(max_weight[b], 1e-300)
        cb = slot_weight[q]
        if best < 0 or cb > best_conn or (cb == best_conn and (load < best_load or (load == best_load and b < best))):
            best = b
            best_conn = cb
            best_load = load
    if best < 0:
        return -1, 0.0
    return best, best_conn - inner_weight[v]
