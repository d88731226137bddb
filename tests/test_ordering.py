"""Vertex separators, nested dissection, fill, minimum degree and meshes."""

import itertools

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

import klpart
from klpart._kernels.ordering import compress, minimum_degree
from klpart._kernels.separator import cover_separator, node_fm, separator_weights
from klpart.metrics import fill
from klpart.ordering import mesh_dual_graph, mesh_nodal_graph


def _dense_fill(G, order):
    """nnz(L) with the diagonal, by eliminating on a dense boolean matrix."""
    nodes = list(G)
    idx = {u: i for i, u in enumerate(nodes)}
    n = len(nodes)
    A = np.zeros((n, n), bool)
    for u, v in G.edges():
        if u != v:
            A[idx[u], idx[v]] = A[idx[v], idx[u]] = True
    p = [idx[u] for u in order]
    A = A[np.ix_(p, p)]
    nnz = n
    for k in range(n):
        below = np.flatnonzero(A[k + 1 :, k]) + k + 1
        nnz += below.size
        for i in below:
            A[i, below] = True
        A[below, below] = False
    return nnz


def _random_graphs(count, seed=0):
    rng = np.random.default_rng(seed)
    for _ in range(count):
        n = int(rng.integers(1, 40))
        p = float(rng.uniform(0.03, 0.3))
        yield nx.gnp_random_graph(n, p, seed=int(rng.integers(1 << 30)))


def _check_separator(G, sep, A, B, eps=0.03, weight=None):
    assert set(sep) | set(A) | set(B) == set(G)
    assert len(sep) + len(A) + len(B) == len(G)
    Bs = set(B)
    assert not any(v in Bs for a in A for v in G[a])
    w = (lambda u: G.nodes[u].get(weight, 1)) if weight else (lambda u: 1)
    wa, wb = sum(map(w, A)), sum(map(w, B))
    assert max(wa, wb) <= (1 + eps) * np.ceil((wa + wb) / 2) + 1e-9


def _min_separator_size(G, eps=0.03):
    """Brute force: the smallest separator with balanced sides."""
    nodes = list(G)
    n = len(nodes)
    for s in range(n + 1):
        for S in itertools.combinations(nodes, s):
            H = G.subgraph(set(nodes) - set(S))
            comps = [len(c) for c in nx.connected_components(H)]
            # can the components be split into two balanced sides?
            total = sum(comps)
            reach = {0}
            for c in comps:
                reach |= {r + c for r in reach}
            if any(max(r, total - r) <= (1 + eps) * np.ceil(total / 2) for r in reach):
                return s
    return n


# -- separators ------------------------------------------------------------


def test_separator_grid_and_seed():
    G = nx.grid_2d_graph(20, 20)
    sep, A, B = klpart.vertex_separator(G, seed=1)
    _check_separator(G, sep, A, B)
    assert len(sep) <= 22
    assert klpart.vertex_separator(G, seed=1) == (sep, A, B)


def test_separator_matrix_input_gives_row_ids():
    A = nx.to_scipy_sparse_array(nx.cycle_graph(30), format="csr")
    sep, a, b = klpart.vertex_separator(A, seed=0)
    assert all(isinstance(x, int) for x in sep + a + b)
    assert len(sep) == 2


@pytest.mark.parametrize("seed", range(12))
def test_separator_vs_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 11))
    G = nx.gnp_random_graph(n, 0.35, seed=seed)
    sep, A, B = klpart.vertex_separator(G, seed=seed)
    _check_separator(G, sep, A, B)
    best = _min_separator_size(G)
    assert len(sep) <= max(best + 1, 1.5 * best)


def test_separator_weights_honoured():
    G = nx.path_graph(10)
    G.nodes[0]["w"] = 8  # others weigh 1: only node 1 balances 8 against 8
    sep, A, B = klpart.vertex_separator(G, node_weight="w", seed=0)
    assert sep == [1]
    _check_separator(G, sep, A, B, weight="w")
    sep, A, B = klpart.vertex_separator(G, seed=0)
    assert sep in ([4], [5])


def test_separator_disconnected_and_tiny():
    G = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(5))
    sep, A, B = klpart.vertex_separator(G, seed=0)
    assert sep == [] and sorted(map(len, (A, B))) == [5, 5]
    assert klpart.vertex_separator(nx.Graph(), seed=0) == ([], [], [])
    G1 = nx.Graph()
    G1.add_node("x")
    sep, A, B = klpart.vertex_separator(G1, seed=0)
    assert sorted(sep + A + B) == ["x"]


def test_cover_is_minimum_vertex_cover_of_cut():
    rng = np.random.default_rng(3)
    for trial in range(30):
        G = nx.gnp_random_graph(14, 0.3, seed=trial)
        g = klpart.as_csr_graph(G)
        side = rng.integers(0, 2, 14).astype(np.int64)
        where = cover_separator(g.indptr, g.indices, side)
        cut = [(u, v) for u, v in G.edges() if side[u] != side[v]]
        assert all(where[u] == 2 or where[v] == 2 for u, v in cut)
        assert not any(where[u] == 2 and side[u] != where[u] and False for u in G)
        B = nx.Graph(cut)
        top = {u for u in B if side[u] == 0}
        matching = nx.bipartite.maximum_matching(B, top_nodes=top) if cut else {}
        assert (where == 2).sum() == len(matching) // 2


def test_node_fm_keeps_invariant_and_never_worsens():
    G = nx.grid_2d_graph(12, 12)
    g = klpart.as_csr_graph(G)
    side = (np.arange(144) % 12 < 6).astype(np.int64)
    where = cover_separator(g.indptr, g.indices, side)
    before = separator_weights(g.node_weights, where)[2]
    after = node_fm(g.indptr, g.indices, g.node_weights, where, 0.03, True, 8, 50, np.array([5], np.uint64))
    assert after <= before
    nodes = list(G)
    for u, v in G.edges():
        a, b = where[nodes.index(u)], where[nodes.index(v)]
        assert {a, b} != {0, 1}


@pytest.mark.parametrize(
    "G, kwargs, exc",
    [
        (nx.path_graph(4), {"imbalance": -1}, ValueError),
        (nx.path_graph(4), {"imbalance": "x"}, TypeError),
        (nx.path_graph(4), {"trials": 0}, ValueError),
        (nx.path_graph(4), {"trials": 1.5}, TypeError),
        (nx.DiGraph([(0, 1)]), {}, nx.NetworkXNotImplemented),
    ],
)
def test_separator_bad_input(G, kwargs, exc):
    with pytest.raises(exc):
        klpart.vertex_separator(G, **kwargs)


# -- fill and orderings ----------------------------------------------------


def test_fill_matches_dense_elimination():
    rng = np.random.default_rng(0)
    for G in _random_graphs(40):
        order = list(G)
        rng.shuffle(order)
        assert fill(G, order) == _dense_fill(G, order)


def test_nested_dissection_fill_equals_dense_and_is_permutation():
    for i, G in enumerate(_random_graphs(25, seed=1)):
        order = klpart.nested_dissection(G, seed=i, leaf_size=8)
        assert sorted(order) == sorted(G)
        assert fill(G, order) == _dense_fill(G, order)


def test_nested_dissection_grid_quality_and_inverse():
    G = nx.grid_2d_graph(40, 40)
    order = klpart.nested_dissection(G, seed=0)
    natural = fill(G, list(G))
    assert fill(G, order) < 0.45 * natural
    A = nx.to_scipy_sparse_array(G, format="csr")
    perm, iperm = klpart.nested_dissection(A, return_inverse=True, seed=0)
    assert perm.dtype == np.int64 and (perm[iperm] == np.arange(1600)).all()
    assert np.array_equal(perm, klpart.nested_dissection(A, seed=0))
    assert fill(A, perm) == fill(G, [list(G)[i] for i in perm])


def test_nested_dissection_disconnected_and_matrix_diagonal():
    G = nx.disjoint_union_all([nx.grid_2d_graph(15, 15), nx.path_graph(200), nx.empty_graph(5)])
    order = klpart.nested_dissection(G, seed=0, leaf_size=20)
    assert sorted(order) == sorted(G)
    # a path: separators of single nodes keep the fill small
    A = sp.eye(50, format="csr") * 4 + nx.to_scipy_sparse_array(nx.path_graph(50), format="csr")
    order = klpart.nested_dissection(A, seed=0, leaf_size=4)
    assert fill(A, order) <= 3 * 50


def test_nested_dissection_compression_identical_rows():
    # complete bipartite-ish blow-up: each node of a 12x12 grid becomes 4 twins
    H = nx.grid_2d_graph(12, 12)
    G = nx.Graph()
    for u, v in H.edges():
        for a in range(4):
            for b in range(4):
                G.add_edge((u, a), (v, b))
    for u in H:
        for a, b in itertools.combinations(range(4), 2):
            G.add_edge((u, a), (u, b))
    g = klpart.as_csr_graph(G)
    cmap, nc = compress(g.indptr, g.indices)
    assert nc == 144
    o1 = klpart.nested_dissection(G, seed=0)
    o2 = klpart.nested_dissection(G, seed=0, compress=False)
    assert sorted(o1) == sorted(G) and sorted(o2) == sorted(G)
    assert fill(G, o1) <= 1.15 * fill(G, o2)


def test_minimum_degree_valid_and_bounded():
    for G in _random_graphs(30, seed=2):
        g = klpart.as_csr_graph(G, weight=None)
        order = minimum_degree(g.indptr, g.indices, g.node_weights)
        assert sorted(order.tolist()) == list(range(len(G)))
        n = len(G)
        f = fill(g, order)
        assert n <= f <= n * (n + 1) // 2
        # never worse than eliminating in the natural order on trees and
        # never creates fill on a tree
    T = nx.random_labeled_tree(60, seed=4) if hasattr(nx, "random_labeled_tree") else nx.random_tree(60, seed=4)
    g = klpart.as_csr_graph(T)
    order = minimum_degree(g.indptr, g.indices, g.node_weights)
    assert fill(g, order) == 60 + 59


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        ({"imbalance": -0.1}, ValueError),
        ({"leaf_size": 0}, ValueError),
        ({"trials": "2"}, TypeError),
        ({"compress": "yes"}, TypeError),
    ],
)
def test_nested_dissection_bad_input(kwargs, exc):
    with pytest.raises(exc):
        klpart.nested_dissection(nx.path_graph(5), **kwargs)


def test_nested_dissection_asymmetric_matrix():
    with pytest.raises(ValueError):
        klpart.nested_dissection(sp.csr_array(np.array([[0, 1], [0, 0]])))


@pytest.mark.parametrize(
    "order, msg",
    [([0, 1], "entries"), ([0, 1, 1], "permutation"), ([0, 1, 7], "outside"), ([0.0, 1.0, 2.0], "integer")],
)
def test_fill_bad_order(order, msg):
    with pytest.raises(ValueError, match=msg):
        fill(sp.csr_array(nx.to_scipy_sparse_array(nx.path_graph(3))), order)
    with pytest.raises(ValueError):
        fill(nx.path_graph(["a", "b", "c"]), ["a", "b", "z"])


# -- meshes ----------------------------------------------------------------


def _brute_dual(cells, ncommon):
    edges = set()
    for i, j in itertools.combinations(range(len(cells)), 2):
        if len(set(cells[i]) & set(cells[j])) >= ncommon:
            edges.add((i, j))
    return edges


def _brute_nodal(cells):
    return {tuple(sorted(e)) for c in cells for e in itertools.combinations(set(c), 2)}


def _edges(g):
    return {(u, int(v)) for u in range(g.num_nodes) for v in g.indices[g.indptr[u] : g.indptr[u + 1]] if u < v}


def test_mesh_graphs_equal_brute_force():
    rng = np.random.default_rng(0)
    for trial in range(10):
        cells = [list(rng.choice(15, size=int(rng.integers(2, 5)), replace=False)) for _ in range(12)]
        for ncommon in (1, 2, 3):
            assert _edges(mesh_dual_graph(cells, ncommon=ncommon, num_nodes=15)) == _brute_dual(cells, ncommon)
        assert _edges(mesh_nodal_graph(cells, num_nodes=15)) == _brute_nodal(cells)


def test_partition_mesh_both_kinds():
    nx_, ny_ = 20, 10
    cells = np.array([[i + j * (nx_ + 1), i + 1 + j * (nx_ + 1), i + 1 + (j + 1) * (nx_ + 1), i + (j + 1) * (nx_ + 1)]
                      for j in range(ny_) for i in range(nx_)])
    for kind in ("dual", "nodal"):
        res = klpart.partition_mesh(cells, 4, kind=kind, ncommon=2, seed=0)
        assert res.element_labels.shape == (200,) and res.node_labels.shape == (231,)
        # every node lies in an element of its block
        for v in range(231):
            blocks = {int(res.element_labels[e]) for e in np.flatnonzero((cells == v).any(axis=1))}
            if kind == "dual":
                assert int(res.node_labels[v]) in blocks
        assert set(res.element_labels.tolist()) == {0, 1, 2, 3}
        again = klpart.partition_mesh(cells, 4, kind=kind, ncommon=2, seed=0)
        assert np.array_equal(again.element_labels, res.element_labels)


@pytest.mark.parametrize(
    "cells, kwargs, exc",
    [
        ([[0, 1], [1, 2]], {"kind": "edge"}, ValueError),
        ([[0, 1], [1, -2]], {}, ValueError),
        ([[0, 1], []], {}, ValueError),
        ([[0, 1.5]], {}, TypeError),
        ([[0, 1], [1, 2]], {"ncommon": 0}, ValueError),
        (5, {}, TypeError),
    ],
)
def test_partition_mesh_bad_input(cells, kwargs, exc):
    with pytest.raises(exc):
        klpart.partition_mesh(cells, 2, **kwargs)


# -- the edge-bisection route (graphs above 100 nodes) -----------------------


def test_separator_default_seed_is_deterministic():
    G = nx.random_geometric_graph(400, 0.09, seed=5)
    assert klpart.vertex_separator(G) == klpart.vertex_separator(G, seed=0)
    A = nx.to_scipy_sparse_array(nx.grid_2d_graph(25, 25), format="csr")
    assert np.array_equal(klpart.nested_dissection(A), klpart.nested_dissection(A, seed=0))


@pytest.mark.parametrize("eps", [0.0, 0.03, 0.2])
def test_edge_route_separator_valid_and_balanced(eps):
    # above 100 nodes: edge bisection -> cover of its cut -> node FM
    for i in range(3):
        G = nx.random_geometric_graph(300 + 100 * i, 0.1, seed=10 + i)
        sep, A, B = klpart.vertex_separator(G, imbalance=eps, seed=i)
        _check_separator(G, sep, A, B, eps=eps)
        assert len(sep) < len(G) / 5


def test_edge_route_no_worse_than_cover_of_its_bisection():
    # node FM only accepts better separators: never larger than the cover
    from klpart._rng import kernel_state
    from klpart.config import preset
    from klpart.ordering import _edge_bisection, _separate

    for i in range(3):
        g = klpart.as_csr_graph(nx.grid_2d_graph(30 + i, 40), weight=None)
        side = _edge_bisection(g, 0.03, kernel_state(i), preset("default"))
        assert side.dtype == np.int64 and set(np.unique(side).tolist()) == {0, 1}
        cover = cover_separator(g.indptr, g.indices, side)
        ncover = int((cover == 2).sum())
        assert ncover <= 40 + 2
        where = _separate(g, 0.03, kernel_state(i))
        assert int((where == 2).sum()) <= ncover
        sep = np.flatnonzero(where == 2)
        # a separator: no edge between the two sides
        rows = np.repeat(np.arange(g.num_nodes), np.diff(g.indptr))
        assert not np.any((where[rows] == 0) & (where[g.indices] == 1))
        assert sep.size <= 31 + i


def test_separator_node_weights_on_edge_route():
    G = nx.grid_2d_graph(12, 20)
    for j, u in enumerate(G):
        G.nodes[u]["w"] = 1 + (j % 3)
    sep, A, B = klpart.vertex_separator(G, node_weight="w", seed=0)
    _check_separator(G, sep, A, B, weight="w")


def test_separator_trials_never_worse():
    G = nx.random_geometric_graph(500, 0.08, seed=1)
    one = klpart.vertex_separator(G, seed=3)
    three = klpart.vertex_separator(G, trials=3, seed=3)
    _check_separator(G, *three)
    # the first trial of three is the single run; the best of three is kept
    assert len(three[0]) <= len(one[0])


# -- approximate minimum degree (klpart._kernels.amd) -----------------------


def _amd(G, weights=None, cset=None):
    from klpart._kernels.amd import amd_order

    g = klpart.as_csr_graph(G, weight=None)
    n = g.num_nodes
    w = np.ones(n, np.int64) if weights is None else np.asarray(weights, np.int64)
    c = np.zeros(n, np.int64) if cset is None else np.asarray(cset, np.int64)
    return g, amd_order(g.indptr, g.indices, w, c)


def test_amd_valid_and_close_to_exact_minimum_degree():
    worse_natural = 0
    total_amd = total_md = 0
    for G in _random_graphs(60, seed=7):
        g, order = _amd(G)
        n = len(G)
        assert sorted(order.tolist()) == list(range(n))
        f = fill(g, order)
        labels = list(G)
        assert f == _dense_fill(G, [labels[i] for i in order])
        natural = fill(g, np.arange(n))
        worse_natural += f > natural
        assert f <= 1.25 * natural
        total_amd += f
        total_md += fill(g, minimum_degree(g.indptr, g.indices, g.node_weights))
    assert worse_natural <= 3
    assert total_amd <= 1.05 * total_md


def test_amd_no_fill_on_trees_paths_stars_cycles():
    for s in range(5):
        T = nx.random_labeled_tree(80, seed=s) if hasattr(nx, "random_labeled_tree") else nx.random_tree(80, seed=s)
        g, order = _amd(T)
        assert fill(g, order) == 80 + 79
    for G, nnz in [(nx.path_graph(50), 99), (nx.star_graph(30), 61), (nx.cycle_graph(40), 40 + 40 + 37)]:
        g, order = _amd(G)
        assert fill(g, order) == nnz
    # complete graph: any order gives the full triangle
    g, order = _amd(nx.complete_graph(12))
    assert fill(g, order) == 12 * 13 // 2


def test_amd_constraint_sets_respected():
    rng = np.random.default_rng(3)
    for G in _random_graphs(30, seed=11):
        n = len(G)
        cset = rng.integers(0, 3, n)
        g, order = _amd(G, cset=cset)
        assert sorted(order.tolist()) == list(range(n))
        assert np.all(np.diff(cset[order]) >= 0)


def test_amd_weights_valid_and_no_fill_on_path():
    # weights are multiplicities (supervariable sizes); a weighted path still
    # has a no-fill order, and AMD finds it
    g, order = _amd(nx.path_graph(6), weights=[5, 1, 1, 1, 1, 5])
    assert sorted(order.tolist()) == list(range(6))
    assert fill(g, order) == 11


def test_amd_large_sparse_graph_pool_growth():
    # enough fill that the element lists outgrow the initial pool (compaction)
    G = nx.random_regular_graph(3, 1500, seed=1)
    g, order = _amd(G)
    assert sorted(order.tolist()) == list(range(1500))
    assert fill(g, order) < fill(g, np.arange(1500))


@pytest.mark.parametrize("leaf_size", [8, 60, 400])
def test_nested_dissection_md_and_camd_routes(leaf_size):
    from klpart._rng import kernel_state
    from klpart.ordering import nd_order

    G = nx.convert_node_labels_to_integers(nx.grid_2d_graph(18, 18))
    g = klpart.as_csr_graph(G, weight=None)
    for method in ("md", "camd"):
        order = nd_order(g, 0.2, kernel_state(0), leaf_size, True, 1, method=method)
        assert sorted(order.tolist()) == list(range(324))
        assert fill(G, order.tolist()) == _dense_fill(G, order.tolist())
    assert fill(G, order.tolist()) < 0.7 * fill(G, list(range(324)))
