"""Direct tests of approximate minimum degree (klpart._kernels.amd.amd_order)
on small random graphs: validity, constraint sets, exact first pivot, no fill
on forests, and fill close to a slow exact minimum-degree reference
(issue #18).  ``_compact`` (pool compaction) and ``_emit_chain`` (inlined:
emits a supervariable's members) run inside these calls; the pool test below
makes the element lists outgrow the initial pool."""

import random

import networkx as nx
import numpy as np

from klpart._kernels.amd import amd_order
from klpart._kernels.ordering import factor_nnz

from .graphs import random_csr
from .test_ordering_direct import reference_minimum_degree


def adjacency(indptr, indices):
    return [set(indices[indptr[u]:indptr[u + 1]].tolist()) for u in range(indptr.shape[0] - 1)]


def csr(G):
    n = G.number_of_nodes()
    indptr = np.zeros(n + 1, np.int64)
    rows = [sorted(G[u]) for u in range(n)]
    for u in range(n):
        indptr[u + 1] = indptr[u] + len(rows[u])
    return indptr, np.array([v for row in rows for v in row], np.int32)


def fill_of(indptr, indices, order):
    rank = np.empty(len(order), np.int64)
    rank[np.asarray(order, np.int64)] = np.arange(len(order))
    return int(factor_nnz(indptr, indices, rank))


def test_amd_valid_constraint_sets_and_exact_first_pivot():
    for t in range(300):
        r = random.Random(t)
        n = r.randint(1, 30)
        indptr, indices, _, _ = random_csr(t, n=n, p=r.uniform(0.05, 0.5), weights="unit")
        adj = adjacency(indptr, indices)
        w = np.array([r.randint(1, 3) if t % 2 else 1 for _ in range(n)], np.int64)
        cset = np.array([r.randrange(3) for _ in range(n)] if t % 3 == 0 else [0] * n, np.int64)
        order = amd_order(indptr, indices, w, cset)
        assert order.dtype == np.int64
        assert sorted(order.tolist()) == list(range(n))
        assert (np.diff(cset[order]) >= 0).all()  # set s before set s + 1
        # the first pivot: degrees are still exact, so it has the smallest
        # weighted degree among the nodes of the lowest constraint set
        first_set = cset.min()
        degs = {u: sum(int(w[v]) for v in adj[u]) for u in range(n) if cset[u] == first_set}
        assert degs[int(order[0])] == min(degs.values())


def test_amd_empty_graph():
    order = amd_order(np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int64))
    assert order.shape == (0,) and order.dtype == np.int64


def test_amd_no_fill_on_forests():
    for t in range(100):
        r = random.Random(t)
        G = nx.Graph()
        G.add_nodes_from(range(r.randint(1, 60)))
        for v in range(1, G.number_of_nodes()):
            if r.random() < 0.9:
                G.add_edge(v, r.randrange(v))  # a random forest
        indptr, indices = csr(G)
        n = G.number_of_nodes()
        order = amd_order(indptr, indices, np.ones(n, np.int64), np.zeros(n, np.int64))
        assert fill_of(indptr, indices, order) == n + G.number_of_edges()


def test_amd_fill_close_to_exact_minimum_degree():
    total_amd = total_md = 0
    for t in range(120):
        r = random.Random(1000 + t)
        n = r.randint(5, 40)
        indptr, indices, _, _ = random_csr(1000 + t, n=n, p=r.uniform(0.05, 0.3), weights="unit")
        ones = np.ones(n, np.int64)
        amd = amd_order(indptr, indices, ones, np.zeros(n, np.int64))
        md = reference_minimum_degree(adjacency(indptr, indices), [1] * n)
        total_amd += fill_of(indptr, indices, amd)
        total_md += fill_of(indptr, indices, md)
        # never worse than the fill of the complete graph
        assert fill_of(indptr, indices, amd) <= n * (n + 1) // 2
    assert total_amd <= 1.05 * total_md, (total_amd, total_md)


def test_amd_pool_compaction_keeps_a_valid_order():
    G = nx.random_regular_graph(3, 1500, seed=1)
    indptr, indices = csr(G)
    n = G.number_of_nodes()
    order = amd_order(indptr, indices, np.ones(n, np.int64), np.zeros(n, np.int64))
    assert sorted(order.tolist()) == list(range(n))
    assert fill_of(indptr, indices, order) < fill_of(indptr, indices, np.arange(n))
