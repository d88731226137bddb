"""Direct test of ``_search`` (klpart._kernels.kway), the move loop of the
global and localized k-way FM, on small random graphs (issue #18).

The heap is filled the way ``kway_fm`` (every boundary node with a move,
random tie stamps) or ``kway_local_fm`` (one seed) fills it; then the
logged moves are replayed in Python: each node moves once, from the block
it was in, into a block where it has a neighbour and that stays within its
maximum weight.  The cut and the overweight of every prefix are recomputed
from scratch, and the reported best prefix (length, overweight, cut
change) must be the first prefix of least (overweight, cut), as the
docstring defines it.  Edge and node weights are small integers, so the
kernel's running sums are exact and compare with ``==``.
"""

import random

import numpy as np

from klpart._kernels.conn_cache import cache_best_move, cache_build
from klpart._kernels.kway import _search
from klpart._kernels.pq import pq_push
from klpart._kernels.rng import below

from .graphs import random_csr, state


def cut_of(adj, labels):
    return sum(w for v, row in enumerate(adj) for u, w in row if labels[u] != labels[v]) / 2.0


def overweight(bw, max_weight):
    return sum(max(b - m, 0.0) for b, m in zip(bw, max_weight))


def make_case(seed):
    r = random.Random(seed)
    n = r.randint(2, 30)
    indptr, indices, w, nw = random_csr(seed, n=n, p=r.uniform(0.08, 0.5), weights=r.choice(["unit", "int"]),
                                        node_weights=r.choice(["unit", "int"]))
    w = w.astype(np.float64)
    nw = nw.astype(np.float64)
    k = r.randint(2, 5)
    labels = np.array([r.randrange(k) for _ in range(n)], np.int64)
    bw = np.bincount(labels, weights=nw, minlength=k).astype(np.float64)
    avg = nw.sum() / k
    if r.random() < 0.6:  # a start within the bounds
        max_weight = np.array([max(bw[b], float(round(avg * r.uniform(0.9, 1.4)))) for b in range(k)])
    else:  # some blocks overweight
        max_weight = np.array([float(round(avg * r.uniform(0.7, 1.4))) for _ in range(k)])
    adj = [list(zip(indices[indptr[u]:indptr[u + 1]].tolist(), w[indptr[u]:indptr[u + 1]].tolist()))
           for u in range(n)]
    return r, n, k, indptr, indices, w, nw, labels, bw, max_weight, adj


def test_search_moves_are_feasible_and_the_best_prefix_is_recomputed():
    stats = {"moves": 0, "stalled": 0, "over_start": 0, "rising_best": 0, "local": 0}
    for t in range(500):
        r, n, k, indptr, indices, w, nw, labels, bw, max_weight, adj = make_case(t)
        cache = cache_build(indptr, indices, w, labels, k)
        slot_block, slot_weight, _, slot_count, inner_weight, _ = cache
        heap = np.empty(n, np.int64)
        size = np.zeros(1, np.int64)
        pos = np.full(n, -1, np.int64)
        key = np.zeros(n)
        stamp = np.zeros(n, np.int64)
        locked = np.zeros(n, np.bool_)
        moved = np.full(n, -1, np.int64)
        moved_from = np.full(n, -1, np.int64)
        h0 = np.int64(0)
        boundary = [u for u in range(n) if any(labels[x] != labels[u] for x, _ in adj[u])]
        local = r.random() < 0.4
        st = state(t)
        if local:  # kway_local_fm: one seed, clock from 0
            stats["local"] += 1
            seeds = boundary[:1] if boundary else []
            clock = 0
        else:  # kway_fm: every boundary node with a move, ties in random order
            seeds = boundary
            clock = n
        for u in seeds:
            tu, gu = cache_best_move(indptr, nw, bw, max_weight, slot_block, slot_weight, slot_count, inner_weight,
                                     np.int64(u))
            if tu >= 0:
                key[u] = gu
                stamp[u] = below(st, n) if not local else clock
                clock += local
                pq_push(heap, size, pos, key, stamp, h0, n, u)
        start = labels.tolist()
        bw0 = bw.tolist()
        over0 = overweight(bw0, max_weight.tolist())
        stats["over_start"] += over0 > 0
        stall_limit = r.choice([0, 1, 3, n])
        nm, best_len, best_over, best_delta, clock_out = _search(
            indptr, indices, w, nw, labels, bw, max_weight, cache, heap, size, pos, key, stamp, locked,
            moved, moved_from, over0, stall_limit, clock)
        assert clock_out >= clock
        assert bw.tolist() == np.bincount(labels, weights=nw, minlength=k).tolist()  # exact, integer weights
        # the connection cache moved with the labels
        fresh = cache_build(indptr, indices, w, labels, k)
        for u in range(n):
            lo, c = indptr[u], slot_count[u]
            assert c == fresh[3][u] and fresh[4][u] == inner_weight[u] and fresh[5][u] == cache[5][u], (t, u)
            assert dict(zip(slot_block[lo:lo + c].tolist(), zip(slot_weight[lo:lo + c].tolist(),
                                                                  cache[2][lo:lo + c].tolist()))) == \
                dict(zip(fresh[0][lo:lo + c].tolist(), zip(fresh[1][lo:lo + c].tolist(), fresh[2][lo:lo + c].tolist())))
        # replay the log
        cur = list(start)
        cbw = list(bw0)
        cut0 = cut_of(adj, start)
        prefixes = [(over0, 0.0)]
        for i in range(nm):
            v, frm = int(moved[i]), int(moved_from[i])
            b = int(labels[v])  # each node moves once: its final block is its target
            assert v not in moved[:i].tolist() and locked[v]
            assert cur[v] == frm and b != frm
            assert any(cur[x] == b for x, _ in adj[v])  # a neighbouring block
            assert cbw[b] + nw[v] <= max_weight[b]  # stays within its maximum
            cur[v] = b
            cbw[frm] -= nw[v]
            cbw[b] += nw[v]
            prefixes.append((overweight(cbw, max_weight.tolist()), cut_of(adj, cur) - cut0))
        assert cur == labels.tolist()  # nothing rolled back, nothing else moved
        assert int(locked.sum()) == nm
        # the best prefix: the first of least (overweight, cut change)
        exp_len = min(range(nm + 1), key=lambda j: (prefixes[j], j))
        assert (best_len, best_over, best_delta) == (exp_len, *prefixes[exp_len]), t
        assert best_over <= over0
        if over0 == 0.0:
            # from a start within the bounds every move keeps them: the cut change is <= 0
            assert best_over == 0.0 and best_delta <= 0.0
        if best_delta > 0.0:
            # the docstring says the cut change is <= 0; from an overweight
            # start the best prefix may buy a lower overweight with cut
            # (e.g. 4 unit nodes, labels [1, 1, 1, 0], max weights [2, 2],
            # edges 0-1 of weight 9 and 0-3 of 5: moving node 0 takes the
            # overweight 1 -> 0 and the cut 5 -> 9), never a higher cut for nothing
            stats["rising_best"] += 1
            assert best_over < over0
        # stopping rule: heap empty, or more than stall_limit moves past the best
        assert nm - best_len <= stall_limit + 1
        if size[0] > 0:
            stats["stalled"] += 1
            assert nm - best_len == stall_limit + 1
        stats["moves"] += nm
    assert stats["moves"] > 1000 and stats["stalled"] > 20 and stats["local"] > 100, stats
