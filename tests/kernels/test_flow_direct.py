"""Direct tests of helpers of the flow kernels (klpart._kernels.flow): the
corridor search against a Python replay, the residual-network searches
against NetworkX on small random networks (issue #18).

``_apply_min_cut`` is checked on random corridor networks after
``_max_flow``: it applies a minimum cut within the bounds, never farther
from the target than the two extreme minimum cuts.  ``_corridor_network``
is a piece of ``flow_round``, whose direct test (tests/kernels/test_flow.py)
compares its result with a brute force over every re-split of the
corridor."""

import random

import networkx as nx
import numpy as np
import pytest

from klpart._kernels.flow import _apply_min_cut, _corridor, _max_flow, _middle_components, _residual_reach

from .graphs import random_csr
from .test_flow import arc_arrays


def network(seed):
    """(first, target, nxt, cap, nn, arcs): arcs in pairs (a, a ^ 1), the
    second the reverse of the first; capacities left in both directions
    (residual capacities after some flow), some exactly zero."""
    r = random.Random(seed)
    nn = r.randint(1, 12)
    first = np.full(nn, -1, np.int64)
    target, nxt, cap = [], [], []
    for _ in range(r.randint(0, 3 * nn)):
        u, v = r.randrange(nn), r.randrange(nn)
        if u == v:
            continue
        c_uv = r.choice([0.0, 0.0, 1.0, 2.5])
        c_vu = r.choice([0.0, 0.0, 1.0, 0.5])
        for a, b, c in ((u, v, c_uv), (v, u, c_vu)):
            target.append(b)
            cap.append(c)
            nxt.append(first[a])
            first[a] = len(target) - 1
    tails = [-1] * len(target)
    for u in range(nn):
        a = first[u]
        while a >= 0:
            tails[a] = u
            a = nxt[a]
    arcs = [(tails[a], target[a], cap[a]) for a in range(len(target))]
    return (first, np.array(target, np.int64), np.array(nxt, np.int64), np.array(cap, np.float64), nn, arcs, r)


def test_residual_reach_against_networkx():
    for t in range(300):
        first, target, nxt, cap, nn, arcs, r = network(t)
        G = nx.DiGraph()
        G.add_nodes_from(range(nn))
        G.add_edges_from((u, v) for u, v, c in arcs if c > 1e-12)
        start = r.randrange(nn)
        fwd = _residual_reach(first, target, nxt, cap, nn, start, False)
        assert set(np.flatnonzero(fwd).tolist()) == nx.descendants(G, start) | {start}
        # backwards: v -> u has residual capacity iff arc a ^ 1 of u -> v does,
        # which here is exactly the arc list read in reverse
        bwd = _residual_reach(first, target, nxt, cap, nn, start, True)
        assert set(np.flatnonzero(bwd).tolist()) == nx.ancestors(G, start) | {start}


def test_middle_components_are_the_sccs_in_reverse_topological_order():
    for t in range(300):
        first, target, nxt, cap, nn, arcs, r = network(1000 + t)
        reach_s = np.array([r.random() < 0.2 for _ in range(nn)], np.bool_)
        reach_t = np.array([(not reach_s[u]) and r.random() < 0.2 for u in range(nn)], np.bool_)
        inside = [u for u in range(nn) if not (reach_s[u] or reach_t[u])]
        G = nx.DiGraph()
        G.add_nodes_from(inside)
        G.add_edges_from((u, v) for u, v, c in arcs if c > 1e-12 and u in G and v in G)
        comp = _middle_components(first, target, nxt, cap, nn, reach_s, reach_t)
        assert all(comp[u] == -1 for u in range(nn) if reach_s[u] or reach_t[u])
        got = {}
        for u in inside:
            got.setdefault(int(comp[u]), set()).add(u)
        assert sorted(got) == list(range(len(got)))  # numbered 0..ncomp-1
        assert sorted(map(sorted, got.values())) == sorted(map(sorted, nx.strongly_connected_components(G)))
        for u, v in G.edges():
            assert comp[u] >= comp[v]  # arcs between components go from higher to lower numbers


def ref_corridor(adj, nw, side, s, capacity, max_depth, in_region, order):
    """Boundary nodes of side s in node order while they fit, then
    breadth-first into side s within capacity and max_depth hops."""
    n = len(adj)
    used = 0.0
    depth = {}
    head = len(order)
    for u in range(n):
        if side[u] != s or in_region[u]:
            continue
        if any(side[v] != s for v in adj[u]) and used + nw[u] <= capacity:
            in_region[u] = True
            used += nw[u]
            order.append(u)
            depth[u] = 0
    while head < len(order):
        u = order[head]
        head += 1
        if max_depth > 0 and depth.get(u, 0) >= max_depth:
            continue
        for v in adj[u]:
            if side[v] == s and not in_region[v] and used + nw[v] <= capacity:
                in_region[v] = True
                used += nw[v]
                order.append(v)
                depth[v] = depth.get(u, 0) + 1
    return order


def test_corridor_against_replay_and_its_bounds():
    for t in range(300):
        r = random.Random(t)
        indptr, indices, _, nw = random_csr(2000 + t, p=r.uniform(0.05, 0.4), node_weights=r.choice(["int", "float"]))
        nw = nw.astype(np.float64)
        n = nw.shape[0]
        adj = [indices[indptr[u]:indptr[u + 1]].tolist() for u in range(n)]
        side = np.array([r.randrange(2) for _ in range(n)], np.int64)
        s = r.randrange(2)
        capacity = r.uniform(0, float(nw.sum()))
        max_depth = r.choice([0, 1, 2, 5])
        # a region may already hold nodes of the other side (flow_round grows both)
        in_region = np.zeros(n, np.bool_)
        order = np.full(n, -1, np.int64)
        count = 0
        pre = [u for u in range(n) if side[u] != s and r.random() < 0.3]
        for u in pre:
            in_region[u] = True
            order[count] = u
            count += 1
        expected_region = in_region.tolist()
        expected = ref_corridor(adj, nw.tolist(), side.tolist(), s, capacity, max_depth, expected_region, list(pre))
        new_count = _corridor(indptr, indices, nw, side, s, capacity, max_depth, in_region, order, count)
        assert order[:new_count].tolist() == expected
        assert in_region.tolist() == expected_region
        added = order[count:new_count]
        assert (side[added] == s).all()
        assert nw[added].sum() <= capacity + 1e-9


def test_apply_min_cut_applies_a_feasible_minimum_cut_no_worse_than_the_extremes():
    applied = refused = 0
    for t in range(400):
        r = random.Random(t)
        count = r.randint(1, 8)
        n = count + r.randint(0, 3)  # graph nodes; the corridor is a subset
        order = np.array(r.sample(range(n), count), np.int64)
        side = np.array([r.randrange(2) for _ in range(n)], np.int64)
        nw = np.array([float(r.randint(1, 4)) for _ in range(n)])
        bw = np.array([nw[side == 0].sum(), nw[side == 1].sum()])
        total = bw.sum()
        target = np.array([total / 2, total / 2])
        slack = r.uniform(0.0, 0.4)
        max_weight = np.array([total / 2 * (1 + slack), total / 2 * (1 + slack)])
        nn = count + 2  # 0 source, 1 sink, 2 + i corridor node order[i]
        arcs = []
        for i in range(count):
            if side[order[i]] == 0 and r.random() < 0.5:
                arcs.append((0, 2 + i, float(r.randint(1, 9))))
            if side[order[i]] == 1 and r.random() < 0.5:
                arcs.append((2 + i, 1, float(r.randint(1, 9))))
        for _ in range(r.randint(0, 3 * count)):
            a, b = r.randrange(nn), r.randrange(nn)
            if a != b and a != 1 and b != 0:
                arcs.append((a, b, float(r.randint(1, 9))))
        first, head, nxt, cap = arc_arrays(nn, arcs)
        flow = _max_flow(first, head, nxt, cap, nn, np.int64(0), np.int64(1))
        G = nx.DiGraph()
        G.add_nodes_from(range(nn))
        G.add_edges_from((int(u), int(head[a])) for u in range(nn) for a in _arcs_of(first, nxt, u) if cap[a] > 1e-12)
        low = nx.descendants(G, 0) | {0}  # smallest source side of a minimum cut
        high = set(range(nn)) - (nx.ancestors(G, 1) | {1})  # largest

        def split(S):
            new = side.copy()
            for i in range(count):
                new[order[i]] = 0 if (2 + i) in S else 1
            return new

        def feasible_dist(new):
            w0 = nw[new == 0].sum()
            ok = w0 <= max_weight[0] and total - w0 <= max_weight[1]
            return ok, abs(w0 - target[0])

        before = side.copy()
        res = _apply_min_cut(first, head, nxt, cap, nw, side, order, count, bw, max_weight, target)
        extremes = [feasible_dist(split(low)), feasible_dist(split(high))]
        if res < 0:
            refused += 1
            assert (side == before).all()
            assert not any(ok for ok, _ in extremes)
            continue
        applied += 1
        outside = np.setdiff1d(np.arange(n), order)
        assert (side[outside] == before[outside]).all()
        S = {0} | {2 + i for i in range(count) if side[order[i]] == 0}
        assert low <= S <= high
        cut = sum(c for (u, v, c) in arcs if u in S and v not in S)
        assert cut == pytest.approx(flow)  # a minimum cut
        ok, dist = feasible_dist(side)
        assert ok
        for eok, edist in extremes:
            if eok:
                assert dist <= edist + 1e-9
    assert applied > 100 and refused > 5


def _arcs_of(first, nxt, u):
    a = first[u]
    while a >= 0:
        yield a
        a = nxt[a]
