"""The k-way FM's connection cache (klpart._kernels.conn_cache) against
connections recomputed from the adjacency, and its best move against a
Python statement of the rule."""

import random

import numpy as np

from klpart._kernels.conn_cache import cache_best_move, cache_build, cache_move

from .graphs import random_csr


def recomputed(indptr, indices, w, labels, u):
    """{block: (weight, edges)} of u's edges into blocks other than its own,
    and (weight, edges) into its own block, from the adjacency."""
    outer, inner = {}, [0.0, 0]
    for p in range(indptr[u], indptr[u + 1]):
        b = int(labels[indices[p]])
        if b == labels[u]:
            inner[0] += w[p]
            inner[1] += 1
        else:
            x = outer.setdefault(b, [0.0, 0])
            x[0] += w[p]
            x[1] += 1
    return outer, inner


def cached(indptr, cache, u):
    slot_block, slot_weight, slot_edges, slot_count, inner_weight, inner_edges = cache
    lo = indptr[u]
    blocks = slot_block[lo:lo + slot_count[u]].tolist()
    assert len(set(blocks)) == len(blocks), "a block has two slots"
    outer = {b: [slot_weight[lo + i], slot_edges[lo + i]] for i, b in enumerate(blocks)}
    return outer, [inner_weight[u], inner_edges[u]]


def assert_cache_matches(indptr, indices, w, labels, cache, where):
    for u in range(len(indptr) - 1):
        want_outer, want_inner = recomputed(indptr, indices, w, labels, u)
        got_outer, got_inner = cached(indptr, cache, u)
        assert got_outer.keys() == want_outer.keys(), (where, u)
        for b in want_outer:
            assert got_outer[b][1] == want_outer[b][1], (where, u, b)
            assert np.isclose(got_outer[b][0], want_outer[b][0], rtol=1e-12, atol=1e-9), (where, u, b)
        assert got_inner[1] == want_inner[1] and np.isclose(got_inner[0], want_inner[0], atol=1e-9), (where, u)
        if want_inner[1] == 0:
            assert got_inner[0] == 0.0, (where, u)  # no rounding residue without edges


def test_cache_follows_random_moves_and_rollbacks():
    """After every move (to any block, adjacent or not) and after undoing a
    run of moves newest first, the cache equals a fresh recomputation; zero
    weight edges still make a block adjacent."""
    checked = 0
    for t in range(120):
        r = random.Random(t)
        kind = r.choice(["unit", "int", "zero", "float"])
        indptr, indices, w, _ = random_csr(t, n=r.randint(1, 16), weights=kind)
        n = len(indptr) - 1
        k = r.randint(2, 5)
        labels = np.array([r.randrange(k) for _ in range(n)], np.int64)
        cache = cache_build(indptr, indices, w, labels, k)
        assert_cache_matches(indptr, indices, w, labels, cache, (t, "build"))
        log = []
        for step in range(3 * n):
            v = r.randrange(n)
            t_block = r.randrange(k)
            if t_block == labels[v]:
                continue
            log.append((v, int(labels[v])))
            cache_move(indptr, indices, w, labels, *cache, np.int64(v), np.int64(t_block))
            assert labels[v] == t_block
            assert_cache_matches(indptr, indices, w, labels, cache, (t, step))
            checked += 1
        for v, s in reversed(log[len(log) // 2:]):
            cache_move(indptr, indices, w, labels, *cache, np.int64(v), np.int64(s))
        assert_cache_matches(indptr, indices, w, labels, cache, (t, "rollback"))
    assert checked > 1000


def ref_best_move(indptr, indices, w, labels, bw, max_weight, wv, v):
    """Among v's neighbouring blocks other than its own whose weight plus
    ``wv`` stays within its maximum: most connection, then relatively
    lighter, then lower id.  Gain: connection minus connection to v's own
    block."""
    outer, inner = recomputed(indptr, indices, w, labels, v)
    feasible = [b for b in outer if bw[b] + wv <= max_weight[b]]
    if not feasible:
        return -1, 0.0
    best = min(feasible, key=lambda b: (-outer[b][0], bw[b] / max(max_weight[b], 1e-300), b))
    return best, outer[best][0] - inner[0]


def test_cache_best_move_against_reference():
    ties = 0
    for t in range(200):
        r = random.Random(1000 + t)
        indptr, indices, w, nw = random_csr(t, n=r.randint(1, 14), weights=r.choice(["unit", "int", "zero"]),
                                            node_weights=r.choice(["unit", "int"]))
        n = len(indptr) - 1
        k = r.randint(2, 5)
        labels = np.array([r.randrange(k) for _ in range(n)], np.int64)
        bw = np.bincount(labels, weights=nw, minlength=k).astype(np.float64)
        # equal bounds and loads often: ties on connection and load happen
        max_weight = np.full(k, float(r.choice([nw.sum(), nw.sum() / k + 2, nw.sum() / k])))
        cache = cache_build(indptr, indices, w, labels, k)
        slot_block, slot_weight, _, slot_count, inner_weight, _ = cache
        for v in range(n):
            want = ref_best_move(indptr, indices, w, labels, bw, max_weight, nw[v], v)
            got = cache_best_move(indptr, nw, bw, max_weight, slot_block, slot_weight, slot_count, inner_weight,
                                  np.int64(v))
            assert (got[0], got[1]) == want, (t, v)
            outer, _ = recomputed(indptr, indices, w, labels, v)
            ties += len({x[0] for x in outer.values()}) < len(outer)
    assert ties > 20
