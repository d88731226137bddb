"""Direct test of ``_bfs_grow`` (klpart._kernels.fm), the grown start of
the initial bisection, against a Python replay of its breadth-first growth
from the same random order (issue #18)."""

import random
from collections import deque

import numpy as np

from klpart._kernels.fm import _bfs_grow
from klpart._kernels.rng import permutation

from .graphs import random_csr, state


def ref_grow(adj, nw, start, goal, order):
    n = len(adj)
    side = [0] * n
    seen = [False] * n
    queue = deque([start])
    seen[start] = True
    grown = 0.0
    nxt = 0
    while grown < goal:
        if not queue:
            while nxt < n and seen[order[nxt]]:
                nxt += 1
            if nxt == n:
                break
            queue.append(order[nxt])
            seen[order[nxt]] = True
        u = queue.popleft()
        side[u] = 1
        grown += nw[u]
        for v in adj[u]:
            if not seen[v]:
                seen[v] = True
                queue.append(v)
    return side


def test_bfs_grow_replays_breadth_first_growth():
    for t in range(300):
        r = random.Random(t)
        indptr, indices, _, nw = random_csr(t, p=r.uniform(0.02, 0.4), node_weights=r.choice(["int", "float"]))
        n = nw.shape[0]
        adj = [indices[indptr[u]:indptr[u + 1]].tolist() for u in range(n)]
        total = float(nw.sum())
        goal = r.choice([0.0, total / 2, total, total + 1])
        start = r.randrange(n)
        st = state(t)
        order = permutation(st.copy(), n).tolist()  # the kernel's first draws, from a copy of its state
        side = np.zeros(n, np.int64)
        _bfs_grow(indptr, indices, nw, side, start, goal, st)
        assert side.tolist() == ref_grow(adj, nw.tolist(), start, goal, order)
        grown = float(nw[side == 1].sum())
        if goal <= total:
            assert grown >= goal - 1e-9  # reaches its goal when the graph has enough weight
