"""Kernels of fill-reducing orderings: connected components, graph
compression (supervariables), minimum degree for small pieces, and the
symbolic Cholesky counts (elimination tree + column counts).

Graphs are symmetric CSR arrays without diagonal entries (``indptr`` int64,
``indices`` int32 or int64).  An *order* lists the rows in elimination order
(``order[i]`` is eliminated i-th); ``rank`` is its inverse.
"""

import numpy as np
from numba import njit

from .coarsen import renumber


@njit(cache=True)
def components(indptr, indices):
    """(count, comp): connected component id of every node, numbered by
    their smallest node."""
    n = indptr.shape[0] - 1
    # union-find over the rows in order, each root the smallest node of its
    # tree: the rows are read in sequence and only ``parent`` (int32) at
    # random.  A depth-first search reads a whole row at random per node:
    # on 2**20-node Delaunay and geometric graphs, numbered in random order,
    # it took 240 ms where this takes 60 (wing 2.8 -> 1.7 ms; rows of 30
    # neighbours as in bcsstk33: 0.9 -> 1.4 ms)
    parent = np.empty(n, np.int32)
    for u in range(n):
        parent[u] = u
    for u in range(n):
        root_u = u  # u's root, kept while its row is read
        while parent[root_u] != root_u:
            root_u = parent[root_u]
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if v >= u:
                continue  # each edge once, from its larger end
            r = v
            while parent[r] != r:
                parent[r] = parent[parent[r]]  # path halving
                r = parent[r]
            if r != root_u:
                # the larger root goes under the smaller: parent[x] < x off the roots
                if root_u < r:
                    parent[r] = root_u
                else:
                    parent[root_u] = r
                    root_u = r
    comp = np.empty(n, np.int64)
    count = 0
    for u in range(n):
        if parent[u] == u:
            comp[u] = count
            count += 1
        else:
            comp[u] = comp[parent[u]]  # parent[u] < u: numbered already
    return count, comp


@njit(cache=True)
def compress(indptr, indices):
    """Supervariables: nodes with identical closed neighbourhoods
    ``N(u) + {u}`` share one id.  Returns (cmap, nc); ids follow the
    smallest member.  Candidates are grouped by (degree, sum of the closed
    neighbourhood) and then compared exactly."""
    n = indptr.shape[0] - 1
    key = np.empty(n, np.int64)
    for u in range(n):
        s = u
        for p in range(indptr[u], indptr[u + 1]):
            s += indices[p]
        key[u] = s * (n + 1) + (indptr[u + 1] - indptr[u])
    order = np.argsort(key, kind="mergesort")
    cmap = np.full(n, -1, np.int64)
    mark = np.full(n, -1, np.int64)
    i = 0
    while i < n:
        j = i
        while j < n and key[order[j]] == key[order[i]]:
            j += 1
        for a in range(i, j):
            u = order[a]
            if cmap[u] >= 0:
                continue
            cmap[u] = u
            if a + 1 == j:
                break
            mark[u] = u
            for p in range(indptr[u], indptr[u + 1]):
                mark[indices[p]] = u
            du = indptr[u + 1] - indptr[u]
            for b in range(a + 1, j):
                v = order[b]
                if cmap[v] >= 0 or indptr[v + 1] - indptr[v] != du or mark[v] != u:
                    continue
                same = True
                for p in range(indptr[v], indptr[v + 1]):
                    if mark[indices[p]] != u:
                        same = False
                        break
                if same:
                    cmap[v] = u
        i = j
    # renumber by smallest member
    nc = renumber(cmap, cmap)
    return cmap, nc


@njit(cache=True)
def _popcount(x):
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return np.int64((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@njit(cache=True)
def minimum_degree(indptr, indices, node_weights):
    """Minimum-degree order of a small graph on its explicit elimination graph.

    The elimination graph is kept as bit rows (``ceil(n / 64)`` words per
    node, so memory is ``n**2 / 8`` bytes: meant for the leaves of nested
    dissection, a few hundred nodes).  The degree of a node is the summed
    weight of its current neighbours (weights are supervariable sizes); ties
    go to the smallest node id.  Eliminating a node turns its neighbourhood
    into a clique, and every neighbour whose closed neighbourhood then equals
    the eliminated node's (an indistinguishable node) is eliminated right
    after it (mass elimination).  Returns the order (int64).
    """
    n = indptr.shape[0] - 1
    words = (n + 63) // 64
    adj = np.zeros((n, words), np.uint64)
    one = np.uint64(1)
    for u in range(n):
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if v != u:
                adj[u, v >> 6] |= one << np.uint64(v & 63)
    w = np.empty(n, np.float64)
    for u in range(n):
        w[u] = node_weights[u]
    deg = np.zeros(n, np.float64)
    for u in range(n):
        d = 0.0
        for p in range(indptr[u], indptr[u + 1]):
            if indices[p] != u:
                d += w[indices[p]]
        deg[u] = d
    alive = np.ones(n, np.bool_)
    order = np.empty(n, np.int64)
    nbrs = np.empty(n, np.int64)
    k = 0
    while k < n:
        v = -1
        best = np.inf
        for u in range(n):
            if alive[u] and deg[u] < best:
                best = deg[u]
                v = u
        # neighbours of v
        m = 0
        for wd in range(words):
            x = adj[v, wd]
            while x:
                b = _popcount((x & (~x + one)) - one)
                nbrs[m] = wd * 64 + b
                m += 1
                x &= x - one
        alive[v] = False
        order[k] = v
        k += 1
        # clique on the neighbourhood, v removed
        for i in range(m):
            u = nbrs[i]
            for wd in range(words):
                adj[u, wd] |= adj[v, wd]
            adj[u, u >> 6] &= ~(one << np.uint64(u & 63))
            adj[u, v >> 6] &= ~(one << np.uint64(v & 63))
        # mass elimination: neighbours whose closed neighbourhood equals N[v]
        # (i.e. their open neighbourhood is N(v) minus themselves)
        for i in range(m):
            u = nbrs[i]
            if not alive[u]:
                continue
            same = True
            for wd in range(words):
                if (adj[u, wd] & ~adj[v, wd]) != 0:
                    same = False
                    break
            if same:
                alive[u] = False
                order[k] = u
                k += 1
                for j in range(m):
                    x = nbrs[j]
                    adj[x, u >> 6] &= ~(one << np.uint64(u & 63))
        # new degrees of the remaining neighbours
        for i in range(m):
            u = nbrs[i]
            if not alive[u]:
                continue
            d = 0.0
            for wd in range(words):
                x = adj[u, wd]
                while x:
                    b = _popcount((x & (~x + one)) - one)
                    y = wd * 64 + b
                    if alive[y]:
                        d += w[y]
                    x &= x - one
            deg[u] = d
    return order


@njit(cache=True)
def etree(indptr, indices, rank):
    """Elimination tree of the graph eliminated in the order whose inverse is
    ``rank`` (Liu's algorithm with path compression).  Returns ``parent``
    indexed by elimination position (-1 for roots)."""
    n = indptr.shape[0] - 1
    order = np.empty(n, np.int64)
    for u in range(n):
        order[rank[u]] = u
    parent = np.full(n, -1, np.int64)
    ancestor = np.full(n, -1, np.int64)
    for i in range(n):
        u = order[i]
        for p in range(indptr[u], indptr[u + 1]):
            k = rank[indices[p]]
            if k >= i:
                continue
            r = k
            while ancestor[r] != -1 and ancestor[r] != i:
                t = ancestor[r]
                ancestor[r] = i
                r = t
            if ancestor[r] == -1:
                ancestor[r] = i
                parent[r] = i
    return parent


@njit(cache=True)
def column_counts(indptr, indices, rank, parent):
    """Nonzeros of each column of the Cholesky factor L, diagonal included,
    indexed by elimination position.  Row i of L is the union of the etree
    paths from each earlier neighbour k of row i up to i (the row subtree);
    walking them with a per-row mark costs O(nnz(L))."""
    n = indptr.shape[0] - 1
    order = np.empty(n, np.int64)
    for u in range(n):
        order[rank[u]] = u
    counts = np.ones(n, np.int64)
    mark = np.full(n, -1, np.int64)
    for i in range(n):
        u = order[i]
        mark[i] = i
        for p in range(indptr[u], indptr[u + 1]):
            k = rank[indices[p]]
            if k >= i:
                continue
            while mark[k] != i:
                mark[k] = i
                counts[k] += 1
                k = parent[k]
    return counts


@njit(cache=True)
def factor_nnz(indptr, indices, rank):
    """nnz(L) (diagonal included) for the elimination order with inverse
    ``rank``: elimination tree, then column counts."""
    parent = etree(indptr, indices, rank)
    counts = column_counts(indptr, indices, rank, parent)
    total = 0
    for i in range(counts.shape[0]):
        total += counts[i]
    return total
