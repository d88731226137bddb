"""Direct test of ``_corridor_network`` (klpart._kernels.flow), the corridor
and flow network of one flow-refinement round (issue #18).

On small random bisections the network is rebuilt in Python from its
docstring and ``flow_round``'s: the corridor is the side-0 region grown
within what side 1 may still absorb, then the side-1 region (the replay
of ``_corridor`` in test_flow_direct.py); network node 0 is the source
(side 0 outside the corridor), 1 the sink, 2 + i the corridor node
``order[i]``; an edge inside the corridor is an arc of its weight each way,
an edge to a side-0 node outside is an arc from the source, one to a
side-1 node outside an arc to the sink.  The kernel's arc list must be
well formed (paired reverse arcs, every arc on exactly one chain), carry
exactly those capacities, and its maximum flow (``_max_flow``) must equal
NetworkX's on the same network; ``network_cut`` is the weight of the cut
edges with an end in the corridor.
"""

import random
from collections import defaultdict

import networkx as nx
import numpy as np
import pytest

from klpart._kernels.flow import _corridor_network, _max_flow

from .graphs import random_csr
from .test_flow_direct import ref_corridor


def arcs_of(first, head, nxt, cap, m, nn):
    """(tail, head, capacity) of each of the m arcs, read along the chains;
    checks every arc lies on exactly one chain and a ^ 1 is a's reverse."""
    tails = [-1] * m
    for x in range(nn):
        a = first[x]
        while a >= 0:
            assert a < m and tails[a] == -1  # on one chain only, no cycles
            tails[a] = x
            a = nxt[a]
    assert -1 not in tails  # every arc on some chain
    for a in range(0, m, 2):
        assert head[a] == tails[a + 1] and head[a + 1] == tails[a]
    return [(tails[a], int(head[a]), float(cap[a])) for a in range(m)]


def case(seed):
    r = random.Random(seed)
    indptr, indices, w, nw = random_csr(seed, p=r.uniform(0.1, 0.6), weights=r.choice(["unit", "int", "float"]),
                                        node_weights=r.choice(["unit", "int", "float"]))
    w = w.astype(np.float64)
    nw = nw.astype(np.float64)
    n = nw.shape[0]
    side = np.array([r.randrange(2) for _ in range(n)], np.int64)
    total = float(nw.sum())
    target = np.array([total / 2, total / 2])
    eps = r.choice([0.0, 0.05, 0.2, 0.6])
    max_weight = np.array([total / 2 * (1 + eps), total / 2 * (1 + eps)])
    alpha = r.choice([0.5, 1.0, 2.0, 4.0])
    max_depth = r.choice([0, 1, 2, 4])
    return r, indptr, indices, w, nw, side, max_weight, target, alpha, max_depth


def test_corridor_network_is_the_documented_network_and_its_flow_matches_networkx():
    nonempty = 0
    with_flow = 0
    for t in range(400):
        r, indptr, indices, w, nw, side, max_weight, target, alpha, max_depth = case(t)
        n = nw.shape[0]
        side0 = side.copy()
        count, order, bw, first, head, nxt, cap, m, network_cut = _corridor_network(
            indptr, indices, w, nw, side, max_weight, target, alpha, np.int64(max_depth))
        assert side.tolist() == side0.tolist()  # the network is built, nothing moved
        assert bw.tolist() == pytest.approx([nw[side == 0].sum(), nw[side == 1].sum()])
        # the corridor: side 0 within what side 1 may absorb, then side 1
        adj = [indices[indptr[u]:indptr[u + 1]].tolist() for u in range(n)]
        cap0 = target[1] + alpha * (max_weight[1] - target[1]) - bw[1]
        cap1 = target[0] + alpha * (max_weight[0] - target[0]) - bw[0]
        in_region = [False] * n
        expected = ref_corridor(adj, nw.tolist(), side.tolist(), 0, cap0, max_depth, in_region, [])
        expected = ref_corridor(adj, nw.tolist(), side.tolist(), 1, cap1, max_depth, in_region, expected)
        assert order[:count].tolist() == expected, t
        for s, capacity in ((0, cap0), (1, cap1)):
            assert sum(nw[u] for u in expected if side[u] == s) <= max(capacity, 0.0) + 1e-9  # empty when negative
        # the arcs, against the network built from the rows
        nn = count + 2
        local = {u: 2 + i for i, u in enumerate(expected)}
        want = defaultdict(float)
        want_cut = 0.0
        for u in expected:
            x = local[u]
            for p in range(indptr[u], indptr[u + 1]):
                v, wt = int(indices[p]), float(w[p])
                if v in local:
                    want[(x, local[v])] += wt  # each direction once, from each end's row
                elif side[v] == 0:
                    want[(0, x)] += wt
                else:
                    want[(x, 1)] += wt
                if side[u] != side[v] and (v not in local or local[v] > x):
                    want_cut += wt  # each cut edge of the network once
        got = defaultdict(float)
        arcs = arcs_of(first, head, nxt, cap, m, nn)
        assert m % 2 == 0 and m <= head.shape[0]
        for x, y, c in arcs:
            assert 0 <= x < nn and 0 <= y < nn and c >= 0.0
            assert y != 0 or c == 0.0  # nothing flows back into the source
            assert x != 1 or c == 0.0  # nor out of the sink
            if c > 0.0:
                got[(x, y)] += c
        assert set(got) == {e for e, c in want.items() if c > 0.0}, t
        for e, c in want.items():
            if c > 0.0:
                assert got[e] == pytest.approx(c)
        assert network_cut == pytest.approx(want_cut)
        # the network's maximum flow equals NetworkX's
        G = nx.DiGraph()
        G.add_nodes_from(range(nn))
        for (x, y), c in want.items():
            if c > 0.0:
                G.add_edge(x, y, capacity=c)
        expected_flow = nx.maximum_flow_value(G, 0, 1)
        flow = _max_flow(first, head[:m], nxt[:m], cap[:m].copy(), nn, np.int64(0), np.int64(1))
        assert flow == pytest.approx(expected_flow, abs=1e-9), t
        # the current cut is a cut of the network: the flow never exceeds it
        assert flow <= network_cut + 1e-9
        nonempty += count > 0
        with_flow += expected_flow > 0
    assert nonempty > 200 and with_flow > 100
