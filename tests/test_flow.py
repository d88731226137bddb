"""Flow-based refinement: the max-flow kernel against NetworkX, and the
refinement's invariants (never worse, balanced, reported gain exact)."""

import math
import random

import networkx as nx
import numpy as np
import pytest

from klpart._kernels.flow import _max_flow, flow_refine
from klpart._kernels.kway import kway_cut as cut_of
from klpart.convert import from_networkx
from klpart.datasets import delaunay_graph

from . import reference


def arc_network(n, edges):
    """Arrays for _max_flow from (u, v, capacity) arcs (reverse arcs added)."""
    first = np.full(n, -1, np.int64)
    target, nxt, cap = [], [], []
    for u, v, c in edges:
        for a, b, cc in ((u, v, c), (v, u, 0.0)):
            target.append(b)
            cap.append(cc)
            nxt.append(first[a])
            first[a] = len(target) - 1
    return first, np.array(target, np.int64), np.array(nxt, np.int64), np.array(cap, np.float64)


def test_max_flow_equals_networkx():
    rng = random.Random(1)
    for t in range(60):
        n = rng.randint(2, 25)
        edges = []
        for _ in range(rng.randint(0, 4 * n)):
            u, v = rng.randrange(n), rng.randrange(n)
            if u != v:
                edges.append((u, v, float(rng.randint(1, 9))))
        D = nx.DiGraph()
        D.add_nodes_from(range(n))
        for u, v, c in edges:
            if D.has_edge(u, v):
                D[u][v]["capacity"] += c
            else:
                D.add_edge(u, v, capacity=c)
        first, target, nxt, cap = arc_network(n, edges)
        ours = _max_flow(first, target, nxt, cap, n, 0, n - 1)
        assert ours == pytest.approx(nx.maximum_flow_value(D, 0, n - 1), abs=1e-9), t


def bounds(g, imbalance=0.03):
    total = g.node_weights.sum()
    bound = math.floor((1 + imbalance) * math.ceil(total / 2))
    return np.array([bound, bound], np.float64), np.array([total / 2, total / 2])


def side_loads(g, side):
    return np.bincount(side, weights=g.node_weights, minlength=2)


def test_flow_refinement_improves_stays_balanced_and_reports_the_exact_gain():
    # side arrays are int64 block ids, as the multilevel drivers pass them
    gains = {}
    for alpha in (1.0, 4.0, 16.0):
        gains[alpha] = 0.0
        for seed in range(8):
            g = delaunay_graph(1500, seed=seed)
            max_weight, target = bounds(g)
            side = np.zeros(g.num_nodes, np.int64)
            side[np.random.default_rng(seed).permutation(g.num_nodes)[: g.num_nodes // 2]] = 1  # random halves
            before = cut_of(g.indptr, g.indices, g.edge_weights, side)
            gained = flow_refine(
                g.indptr, g.indices, g.edge_weights, g.node_weights, side, max_weight, target, 10, alpha, 0
            )
            after = cut_of(g.indptr, g.indices, g.edge_weights, side)
            # a random half of a mesh is far from a local optimum: doing nothing fails here
            assert 0 < gained == before - after, (alpha, seed, before, after, gained)
            assert (side_loads(g, side) <= max_weight).all()
            assert set(np.unique(side).tolist()) == {0, 1}
            gains[alpha] += gained
    # larger corridors see more of the graph (about 45 / 190 / 1400 per start here)
    assert gains[1.0] < gains[4.0] < gains[16.0], gains


def test_flow_improves_a_bad_split_of_two_cliques():
    # two 10-cliques joined by 3 edges, split 8 + 2 / 2 + 8 (cut 35).  Large
    # corridors swallow both terminals' neighbourhoods and their minimum cuts
    # are infeasible (rejected); the corridor then shrinks until a feasible
    # improvement appears
    G = nx.disjoint_union(nx.complete_graph(10), nx.complete_graph(10))
    G.add_edges_from([(0, 10), (1, 11), (2, 12)])
    g = from_networkx(G)
    start = np.array([0] * 8 + [1] * 2 + [1] * 8 + [0] * 2, np.int64)
    side = start.copy()
    max_weight = np.array([11.0, 11.0])
    target = np.array([10.0, 10.0])
    before = cut_of(g.indptr, g.indices, g.edge_weights, side)
    gained = flow_refine(g.indptr, g.indices, g.edge_weights, g.node_weights, side, max_weight, target, 10, 16.0, 0)
    after = cut_of(g.indptr, g.indices, g.edge_weights, side)
    assert before == 35 and gained > 0 and after == before - gained
    assert after == reference.cut_of(reference.adjacency_dicts(G), dict(enumerate(side.tolist())))
    assert (side_loads(g, side) <= max_weight).all()
    # only the nodes of the misplaced pairs can be worth moving: a node deep
    # in its majority clique (9 of its neighbours there) never moves
    assert (side[[3, 4, 5, 6, 7]] == 0).all() and (side[[13, 14, 15, 16, 17]] == 1).all()


def test_weighted_graphs():
    for seed in range(5):
        G = reference.random_weighted_graph(120, 0.06, seed, "float")
        g = from_networkx(G)
        max_weight, target = bounds(g, 0.1)
        side = (np.arange(g.num_nodes) % 2).astype(np.int64)  # alternating: a poor start
        before = cut_of(g.indptr, g.indices, g.edge_weights, side)
        gained = flow_refine(g.indptr, g.indices, g.edge_weights, g.node_weights, side, max_weight, target, 6, 4.0, 3)
        after = reference.cut_of(reference.adjacency_dicts(G), dict(enumerate(side.tolist())))
        assert gained > 0 and after == pytest.approx(before - gained, rel=1e-12), (seed, before, after, gained)
        assert (side_loads(g, side) <= max_weight).all()


def test_pairwise_flows_between_k_blocks():
    """k > 2: each pair of adjacent blocks is refined as a bisection of the
    subgraph the two induce.  The reported gain is the recomputed cut
    decrease, every block stays within its bound, and a node only moves to
    a block that was adjacent to its own at the start."""
    from dataclasses import replace

    from klpart.config import RefinementConfig
    from klpart.multilevel.refinement import pairwise_flow_refine

    config = replace(RefinementConfig(), kway_flow_rounds=4, flow_alpha=8.0, flow_depth=0)
    total_gain = 0.0
    for seed in range(6):
        g = delaunay_graph(1200, seed=seed)
        n = g.num_nodes
        k = 3 + seed % 3
        rng = np.random.default_rng(seed)
        # id ranges (the generator's ids follow a sweep, so the ranges are
        # strips) with 5% of the nodes relabelled at random: ragged but
        # repairable boundaries
        labels = (np.arange(n) * k // n).astype(np.int64)
        flip = rng.random(n) < 0.05
        labels[flip] = rng.integers(0, k, flip.sum())
        loads = np.bincount(labels, weights=g.node_weights, minlength=k)
        max_w = np.full(k, max(loads.max(), 1.03 * g.node_weights.sum() / k))
        targets = np.full(k, g.node_weights.sum() / k)
        start = labels.copy()
        before = cut_of(g.indptr, g.indices, g.edge_weights, labels)
        tails = np.repeat(np.arange(n), np.diff(g.indptr))
        adjacent = set(zip(start[tails].tolist(), start[g.indices].tolist()))
        gained = pairwise_flow_refine(g, labels, k, max_w, targets, config)
        after = cut_of(g.indptr, g.indices, g.edge_weights, labels)
        assert gained == before - after >= 0, (seed, before, after, gained)
        assert (np.bincount(labels, weights=g.node_weights, minlength=k) <= max_w + 1e-9).all()
        moved = np.flatnonzero(labels != start)
        assert all((int(start[u]), int(labels[u])) in adjacent for u in moved)
        total_gain += gained
    assert total_gain > 0
    # off (kway_flow_rounds = 0, the default): nothing changes
    g = delaunay_graph(300, seed=1)
    labels = (np.arange(300) % 3).astype(np.int64)
    keep = labels.copy()
    assert pairwise_flow_refine(g, labels, 3, np.full(3, 110.0), np.full(3, 100.0), RefinementConfig()) == 0.0
    assert np.array_equal(labels, keep)


def test_induced_subgraph_with_scratch_matches_and_restores_it():
    from klpart._kernels.kway import induced_subgraph, induced_subgraph_with

    g = delaunay_graph(400, seed=2)
    local = np.full(400, -1, np.int64)
    rng = np.random.default_rng(0)
    for size in (0, 1, 57, 400):
        nodes = np.sort(rng.choice(400, size, replace=False)).astype(np.int64)
        got = induced_subgraph_with(g.indptr, g.indices, g.edge_weights, g.node_weights, nodes, local)
        want = induced_subgraph(g.indptr, g.indices, g.edge_weights, g.node_weights, nodes)
        for x, y in zip(got, want):
            assert np.array_equal(x, y)
        assert (local == -1).all()
        # against a plain restatement: the rows of nodes, restricted to nodes
        pos = {int(u): i for i, u in enumerate(nodes)}
        for i, u in enumerate(nodes.tolist()):
            row = {pos[int(v)]: w for v, w in zip(g.indices[g.indptr[u]:g.indptr[u + 1]],
                                                   g.edge_weights[g.indptr[u]:g.indptr[u + 1]]) if int(v) in pos}
            sub = dict(zip(got[1][got[0][i]:got[0][i + 1]].tolist(), got[2][got[0][i]:got[0][i + 1]].tolist()))
            assert sub == row


def test_partition_runs_pairwise_flows_when_asked():
    """``kway_flow_rounds`` > 0: the same seed gives the same labels up to
    the last step, so the cut with pairwise flows is never larger; the time
    shows under "flows" and balance holds."""
    from dataclasses import replace

    import klpart
    from klpart.config import preset

    g = delaunay_graph(3000, seed=4)
    base = preset("default")
    flows = replace(base, refinement=replace(base.refinement, kway_flow_rounds=4), debug=True)
    for k in (3, 8):
        plain = klpart.partition(g, k, config=base, seed=0)
        better = klpart.partition(g, k, config=flows, seed=0)
        assert better.cut <= plain.cut and better.balanced
        assert "flows" in better.timings and "flows" not in plain.timings
