"""klpart.partition for k > 2: balance, validity, brute force, edge cases."""

import itertools
import math
import random

import networkx as nx
import numpy as np
import pytest

import klpart
from klpart.datasets import delaunay_graph, grid_graph

from . import reference
from .test_partition import assert_valid, recomputed_cut


@pytest.mark.parametrize("k", list(range(2, 18)))
def test_every_k_from_2_to_17_is_balanced_and_exact(k):
    G = nx.random_geometric_graph(400, 0.09, seed=k)
    res = klpart.partition(G, k, seed=k)
    assert_valid(G, res, k)
    assert res.cut == recomputed_cut(G, res)
    assert all(len(b) > 0 for b in res.blocks)
    assert sorted(set(res.labels.tolist())) == list(range(k))


@pytest.mark.parametrize("k", [3, 5, 7, 12, 16])
def test_random_weighted_graphs_and_presets(k):
    G = reference.random_weighted_graph(300, 0.03, k, "int")
    for name in ("fast", "default", "strong"):
        res = klpart.partition(G, k, preset=name, seed=1)
        assert_valid(G, res, k)
        assert res.cut == recomputed_cut(G, res)


def test_determinism():
    g = delaunay_graph(3000, seed=7)
    a = klpart.partition(g, 7, seed=3)
    b = klpart.partition(g, 7, seed=3)
    np.testing.assert_array_equal(a.labels, b.labels)


def test_kway_beats_recursive_splitting_by_hand_on_a_grid():
    # 4 blocks of a 40x40 grid: the optimum is two straight cuts (80 edges)
    g = grid_graph(40, 40)
    A = g.to_scipy()
    res = klpart.partition(g, 4, seed=0)
    loads = np.bincount(res.labels, minlength=4)
    assert loads.max() <= math.floor(1.03 * 400) and loads.min() > 0
    assert res.block_weights == loads.tolist()
    assert res.cut == sum(int(A[res.labels == b][:, res.labels != b].sum()) for b in range(4)) // 2
    assert 80 <= res.cut <= 100


def brute_force_kway(G, k, bound):
    """Minimum cut over all labelings with blocks within ``bound`` nodes."""
    nodes = list(G)
    edges = [(nodes.index(u), nodes.index(v), d.get("weight", 1)) for u, v, d in G.edges(data=True) if u != v]
    best = math.inf
    for labels in itertools.product(range(k), repeat=len(nodes)):
        if labels[0] != 0:  # block names are interchangeable
            continue
        if max(labels.count(b) for b in range(k)) > bound:
            continue
        cut = sum(w for u, v, w in edges if labels[u] != labels[v])
        best = min(best, cut)
    return best


def test_close_to_brute_force_on_tiny_graphs():
    ours_total = opt_total = 0
    for t in range(25):
        r = random.Random(900 + t)
        n = r.randint(6, 9)
        k = r.choice([3, 4])
        G = reference.random_weighted_graph(n, r.uniform(0.3, 0.7), 900 + t, "int")
        bound = math.ceil(n / k)  # imbalance 0.03 gives no slack at this size
        opt = brute_force_kway(G, k, bound)
        res = klpart.partition(G, k, seed=t)
        assert max(res.block_weights) <= bound
        assert res.cut >= opt
        ours_total += res.cut
        opt_total += opt
    assert ours_total <= 1.10 * opt_total


def test_k_equals_n_puts_every_node_alone():
    G = nx.cycle_graph(9)
    res = klpart.partition(G, 9, seed=0)
    assert sorted(res.labels.tolist()) == list(range(9))
    assert res.cut == 9


def test_k_larger_than_n_is_an_error():
    with pytest.raises(ValueError, match="more than the 5 nodes"):
        klpart.partition(nx.path_graph(5), 6)


def test_disconnected_graph_and_components_per_block():
    G = nx.disjoint_union_all([nx.complete_graph(10) for _ in range(4)])
    res = klpart.partition(G, 4, seed=0)
    assert res.cut == 0
    assert res.components_per_block == [1, 1, 1, 1]
    G = nx.Graph()
    G.add_nodes_from(range(12))  # no edges: 3 nodes per block, 3 components each
    res = klpart.partition(G, 4, seed=0)
    assert res.components_per_block == [3, 3, 3, 3]


def test_components_per_block_against_networkx():
    G = nx.random_geometric_graph(300, 0.08, seed=2)
    res = klpart.partition(G, 6, seed=2)
    expected = [nx.number_connected_components(G.subgraph(b)) for b in res.blocks]
    assert res.components_per_block == expected


def test_target_weights_for_k_blocks():
    g = grid_graph(30, 40)
    res = klpart.partition(g, 4, target_weights=[0.1, 0.2, 0.3, 0.4], seed=0)
    total = 1200
    for w, frac in zip(res.block_weights, [0.1, 0.2, 0.3, 0.4]):
        assert w <= math.floor(1.03 * frac * total)
    assert res.balanced


def test_node_weights_for_k_blocks():
    G = nx.random_geometric_graph(500, 0.07, seed=5)
    rng = np.random.default_rng(5)
    for u in G:
        G.nodes[u]["load"] = int(rng.integers(1, 20))
    res = klpart.partition(G, 6, node_weight="load", seed=5)
    assert_valid(G, res, 6, node_weight="load")


def test_infeasible_targets_heavy_node():
    G = nx.path_graph(8)
    G.nodes[0]["w"] = 50  # the bound is about (50 + 7) / 4 * 1.03 = 14
    with pytest.raises(ValueError, match="node 0 weighs 50"):
        klpart.partition(G, 4, node_weight="w")


def test_history_for_kway():
    res = klpart.partition(delaunay_graph(20000, seed=1), 8, seed=0)
    h = res.history
    assert h[-1]["nodes"] == 20000 and h[-1]["cut"] == res.cut
    assert h[0]["nodes"] < 20000
