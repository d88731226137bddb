"""detach_group (the pieces a node's move cuts off from its block) against
NetworkX on small random graphs."""

import networkx as nx
import numpy as np

from klpart._kernels.pieces import detach_group

from .graphs import random_csr


def as_nx(indptr, indices, weights, n):
    G = nx.Graph()
    G.add_nodes_from(range(n))
    for u in range(n):
        for e in range(indptr[u], indptr[u + 1]):
            G.add_edge(u, int(indices[e]), weight=float(weights[e]))
    return G


def test_detach_group_matches_networkx():
    checked = pinned_seen = 0
    rng = np.random.default_rng(0)
    for seed in range(400):
        indptr, indices, weights, _ = random_csr(seed, weights="float")
        n = indptr.size - 1
        if n < 3:
            continue
        G = as_nx(indptr, indices, weights, n)
        k = int(rng.integers(1, 4))
        labels = rng.integers(0, k, n).astype(np.int64)
        node_w = rng.uniform(0.5, 3.0, n)
        movable = (rng.random(n) > 0.1).astype(np.uint8)
        node = int(rng.integers(n))
        block = int(labels[node])
        members = [u for u in range(n) if labels[u] == block]
        if not nx.is_connected(G.subgraph(members)):
            continue  # the kernel's contract: a connected block
        seen = np.full(n, -1, np.int64)
        queue = np.empty(n, np.int64)
        group = np.empty(n, np.int64)
        conn = np.zeros(k)
        count, shed = detach_group(indptr, indices, weights.astype(np.float64), labels, block, node, node_w,
                                   movable, seen, queue, group, conn)
        assert np.all(seen == -1)  # scratch left clean for the next call
        rest = G.subgraph([u for u in members if u != node])
        pieces = list(nx.connected_components(rest))
        heaviest = max(pieces, key=lambda p: (sum(node_w[u] for u in p), -min(p))) if pieces else set()
        expected = {node} | {u for p in pieces if p is not heaviest for u in p}
        assert np.isclose(shed, sum(node_w[u] for u in expected))
        if any(movable[u] == 0 for u in expected):
            assert count == -1
            pinned_seen += 1
            continue
        got = set(group[:count].tolist())
        # ties between equally heavy pieces may keep either
        ties = [p for p in pieces if np.isclose(sum(node_w[u] for u in p), sum(node_w[u] for u in heaviest))]
        if len(ties) == 1:
            assert got == expected
        assert group[0] == node and node in got and got <= set(members)
        for b in range(k):
            want = sum(d["weight"] for x in got for y, d in G[x].items()
                       if (labels[y] == b and b != block) or (b == block and labels[y] == block and y not in got))
            assert np.isclose(conn[b], want)
        checked += 1
    assert checked >= 100 and pinned_seen >= 5


def test_block_pieces_match_networkx():
    from klpart._kernels.pieces import block_pieces

    rng = np.random.default_rng(1)
    for seed in range(300):
        indptr, indices, weights, _ = random_csr(seed)
        n = indptr.size - 1
        G = as_nx(indptr, indices, weights, n)
        labels = rng.integers(0, int(rng.integers(1, 5)), n).astype(np.int64)
        count, piece = block_pieces(indptr, indices, labels)
        expected = [c for b in np.unique(labels)
                    for c in nx.connected_components(G.subgraph(np.flatnonzero(labels == b).tolist()))]
        assert count == len(expected)
        for c in expected:
            ids = {int(piece[u]) for u in c}
            assert len(ids) == 1  # a piece is one id ...
        assert len({int(piece[min(c)]) for c in expected}) == count  # ... and pieces get distinct ids
        # numbered in order of their smallest node
        firsts = sorted(min(c) for c in expected)
        assert [int(piece[u]) for u in firsts] == list(range(count))
