"""Direct tests of the ordering kernels (klpart._kernels.ordering) against
slow references: BFS components, closed-neighbourhood grouping, the minimum
degree rule replayed on adjacency sets, and symbolic elimination (issue #18).

``_popcount`` (bit counting used by ``minimum_degree``) is covered by the
``minimum_degree`` reference test: a wrong count would enumerate wrong
neighbours and change the order."""

import random

import numpy as np

from klpart._kernels.ordering import (
    _popcount,
    column_counts,
    components,
    compress,
    etree,
    factor_nnz,
    minimum_degree,
)

from .graphs import random_csr


def adjacency(indptr, indices):
    return [set(indices[indptr[u]:indptr[u + 1]].tolist()) for u in range(indptr.shape[0] - 1)]


def graph(seed, n=None):
    r = random.Random(seed)
    n = r.randint(0, 30) if n is None else n
    indptr, indices, _, _ = random_csr(seed, n=n, p=r.uniform(0.02, 0.5), weights="unit")
    return r, indptr, indices


def test_components_of_long_paths_in_random_order():
    # union-find's trees get deep on long paths whose nodes are numbered at
    # random (each union meets a root far from the node): scipy as the oracle
    import numpy as np
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    rng = np.random.default_rng(5)
    for trial in range(20):
        n = 3000
        ids = rng.permutation(n)
        cuts = np.sort(rng.choice(np.arange(1, n), size=int(rng.integers(0, 40)), replace=False))
        src, dst = ids[:-1], ids[1:]
        keep = ~np.isin(np.arange(1, n), cuts)  # removing path edges leaves pieces
        extra = rng.integers(0, n, size=(int(rng.integers(0, 50)), 2))  # and a few chords
        a = np.concatenate([src[keep], extra[:, 0]])
        b = np.concatenate([dst[keep], extra[:, 1]])
        loop = a == b
        a, b = a[~loop], b[~loop]
        A = sp.coo_array((np.ones(2 * a.size), (np.concatenate([a, b]), np.concatenate([b, a]))), shape=(n, n)).tocsr()
        A.sum_duplicates()
        count, comp = components(A.indptr.astype(np.int64), A.indices.astype(np.int32))
        expected_count, labels = connected_components(A, directed=False)
        assert count == expected_count
        # scipy numbers its own way: renumber by smallest node, as components does
        first = {}
        for u, c in enumerate(labels.tolist()):
            first.setdefault(c, len(first))
        assert comp.tolist() == [first[c] for c in labels.tolist()]


def test_components_against_bfs():
    for t in range(300):
        _, indptr, indices = graph(t)
        adj = adjacency(indptr, indices)
        n = len(adj)
        count, comp = components(indptr, indices)
        expected = [-1] * n
        c = 0
        for s in range(n):  # numbered by their smallest node: scan s in order
            if expected[s] >= 0:
                continue
            stack = [s]
            expected[s] = c
            while stack:
                u = stack.pop()
                for v in adj[u]:
                    if expected[v] < 0:
                        expected[v] = c
                        stack.append(v)
            c += 1
        assert count == c
        assert comp.tolist() == expected


def test_compress_groups_identical_closed_neighbourhoods():
    for t in range(300):
        r, indptr, indices = graph(1000 + t)
        adj = adjacency(indptr, indices)
        n = len(adj)
        if t % 2 and n > 1:
            # add twins: copy a node's closed neighbourhood onto a new node
            adj = [set(a) for a in adj]
            for _ in range(r.randint(1, 4)):
                u = r.randrange(len(adj))
                x = len(adj)
                adj.append(set(adj[u]) | {u})
                for v in adj[x]:
                    adj[v].add(x)
            indptr = np.zeros(len(adj) + 1, np.int64)
            for u, a in enumerate(adj):
                indptr[u + 1] = indptr[u] + len(a)
            order = [v for a in adj for v in r.sample(sorted(a), len(a))]
            indices = np.array(order, np.int32)
            n = len(adj)
        closed = [frozenset(adj[u] | {u}) for u in range(n)]
        ids = {}
        expected = []
        for u in range(n):  # ids follow the smallest member
            expected.append(ids.setdefault(closed[u], len(ids)))
        cmap, nc = compress(indptr, indices)
        assert nc == len(ids)
        assert cmap.tolist() == expected


def reference_minimum_degree(adj, w):
    """The kernel's rule on adjacency sets: smallest weighted degree first
    (ties: smallest id), clique on the neighbourhood, then mass elimination
    of the neighbours (increasing id) whose neighbourhood lies inside N(v)."""
    n = len(adj)
    adj = [set(a) - {u} for u, a in enumerate(adj)]
    alive = [True] * n
    order = []
    while len(order) < n:
        v = min((u for u in range(n) if alive[u]), key=lambda u: (sum(w[y] for y in adj[u] if alive[y]), u))
        nbrs = sorted(adj[v])
        alive[v] = False
        order.append(v)
        for u in nbrs:
            adj[u] |= adj[v]
            adj[u] -= {u, v}
        for u in nbrs:
            if alive[u] and adj[u] <= adj[v]:
                alive[u] = False
                order.append(u)
                for x in nbrs:
                    adj[x].discard(u)
    return order


def test_minimum_degree_against_reference_rule():
    for t in range(200):
        r, indptr, indices = graph(2000 + t, n=r_n(t))
        adj = adjacency(indptr, indices)
        n = len(adj)
        w = np.array([r.randint(1, 4) if t % 2 else 1 for _ in range(n)], np.int64)
        got = minimum_degree(indptr, indices, w).tolist()
        assert sorted(got) == list(range(n))
        assert got == reference_minimum_degree(adj, w.tolist())


def r_n(t):
    # mostly small; every tenth graph above 64 nodes so the bit rows span
    # several words (few: the interpreted coverage run is slow on them)
    r = random.Random(t)
    return r.randint(65, 100) if t % 10 == 0 else r.randint(0, 24)


def test_popcount_against_bin():
    r = random.Random(5)
    for x in [0, 1, 2**63, 2**64 - 1] + [r.getrandbits(64) for _ in range(500)]:
        assert _popcount(np.uint64(x)) == bin(x).count("1")


def symbolic_factor(adj, order):
    """Columns of L (by elimination position) from explicit elimination:
    eliminating position i links its later neighbours into a clique."""
    n = len(adj)
    rank = {u: i for i, u in enumerate(order)}
    g = [set(rank[v] for v in adj[u] if v != u) for u in order]  # relabelled by position
    cols = []
    for i in range(n):
        later = {j for j in g[i] if j > i}
        cols.append(later)
        for j in later:
            g[j] |= later - {j}
    return cols


def test_etree_column_counts_factor_nnz_against_elimination():
    for t in range(300):
        r, indptr, indices = graph(3000 + t)
        adj = adjacency(indptr, indices)
        n = len(adj)
        order = list(range(n))
        r.shuffle(order)
        rank = np.empty(n, np.int64)
        rank[order] = np.arange(n)
        cols = symbolic_factor(adj, order)
        parent = etree(indptr, indices, rank)
        assert parent.tolist() == [min(c) if c else -1 for c in cols]
        counts = column_counts(indptr, indices, rank, parent)
        assert counts.tolist() == [1 + len(c) for c in cols]
        assert factor_nnz(indptr, indices, rank) == n + sum(len(c) for c in cols)
