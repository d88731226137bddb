"""k-way kernels against slow references and their invariants."""

import random

import numpy as np
import pytest

from klpart._kernels.kway import block_weights, induced_subgraph, kway_balance, kway_cut, kway_fm, kway_local_fm

from .. import reference
from .graphs import random_csr, state


def random_labels(r, n, k):
    return np.array([r.randrange(k) for _ in range(n)], np.int64)


def loads(nw, labels, k):
    return np.bincount(labels, weights=nw, minlength=k)


def test_cut_and_block_weights_against_reference():
    for t in range(300):
        r = random.Random(t)
        indptr, indices, w, nw = random_csr(t, weights=r.choice(["unit", "int", "float", "zero"]),
                                            node_weights=r.choice(["int", "float"]))
        n = nw.shape[0]
        k = r.randint(1, 5)
        labels = random_labels(r, n, k)
        rows = reference.csr_rows(indptr, indices, w)
        assert kway_cut(indptr, indices, w, labels) == pytest.approx(reference.labelling_cut(rows, labels.tolist()),
                                                                    abs=1e-9)
        np.testing.assert_allclose(block_weights(nw, labels, k), reference.block_loads(nw.tolist(), labels.tolist(), k))


def test_induced_subgraph_against_reference():
    for t in range(300):
        r = random.Random(100 + t)
        indptr, indices, w, nw = random_csr(100 + t, weights=r.choice(["int", "float"]), node_weights="int")
        n = nw.shape[0]
        nodes = np.array(r.sample(range(n), r.randint(0, n)), np.int64)  # any order
        si, sj, sw, snw = induced_subgraph(indptr, indices, w, nw, nodes)
        rows = reference.csr_rows(indptr, indices, w)
        m = nodes.shape[0]
        assert si.shape == (m + 1,) and snw.tolist() == nw[nodes].tolist()
        sub = reference.csr_rows(si, sj, sw)
        local = {int(u): i for i, u in enumerate(nodes)}
        expected = [{local[v]: x for v, x in rows[u].items() if v in local} for u in nodes.tolist()]
        assert sub == expected, t
        # row order kept: entries appear in the order of the fine row
        for i, u in enumerate(nodes.tolist()):
            assert list(sub[i]) == [local[v] for v in rows[u] if v in local]
        # every node, in reverse: closed under adjacency, so every entry is kept
        every = np.arange(n - 1, -1, -1, dtype=np.int64)
        si, sj, sw, snw = induced_subgraph(indptr, indices, w, nw, every)
        assert sj.shape == indices.shape and sw.shape == w.shape and si[-1] == indices.shape[0]
        assert reference.csr_rows(si, sj, sw) == [{n - 1 - v: x for v, x in rows[u].items()} for u in every.tolist()]


def bounds(nw, k, r):
    total = float(nw.sum())
    slack = r.choice([0.0, 0.05, 0.3])
    return np.full(k, max(np.ceil(total / k), np.floor((1 + slack) * np.ceil(total / k)))) + r.choice([0, 1])


def test_kway_balance_moves_only_what_is_needed():
    ended_balanced = 0
    for t in range(300):
        r = random.Random(200 + t)
        indptr, indices, w, nw = random_csr(200 + t, weights=r.choice(["int", "float"]),
                                            node_weights=r.choice(["unit", "int"]))
        n = nw.shape[0]
        k = r.randint(2, 4)
        max_weight = bounds(nw, k, r)
        # skewed starts: most nodes in block 0
        labels = np.array([0 if r.random() < 0.7 else r.randrange(k) for _ in range(n)], np.int64)
        start = labels.copy()
        start_loads = loads(nw, start, k)
        left = kway_balance(indptr, indices, w, nw, labels, k, max_weight)
        end_loads = loads(nw, labels, k)
        assert left == pytest.approx(np.maximum(end_loads - max_weight, 0).sum()), t
        assert set(labels.tolist()) <= set(range(k))
        over_at_start = start_loads > max_weight
        moved = np.flatnonzero(labels != start)
        # only nodes of overweight blocks move, and into blocks that stay within bounds
        assert over_at_start[start[moved]].all(), t
        for b in range(k):
            if not over_at_start[b]:
                assert end_loads[b] <= max_weight[b] + 1e-9, t
                assert not ((start == b) & (labels != b)).any(), t
        # an overweight block stops shedding once it fits: it never ends
        # lighter than its bound minus the heaviest node it gave away
        for b in np.flatnonzero(over_at_start):
            gone = moved[start[moved] == b]
            if gone.size:
                assert end_loads[b] > max_weight[b] - nw[gone].max() - 1e-9, (t, b)
        if left == 0:
            ended_balanced += 1
            assert (end_loads <= max_weight).all()
        # with unit weights some block always has room: balance must succeed
        if (nw == 1).all() and max_weight.sum() >= n:
            assert left == 0, t
    assert ended_balanced > 200


def balanced_labels(r, nw, k, max_weight):
    for _ in range(100):
        labels = random_labels(r, nw.shape[0], k)
        if (loads(nw, labels, k) <= max_weight).all():
            return labels
    return None


def kway_cases(count, base):
    for t in range(count):
        r = random.Random(base + t)
        g = random_csr(base + t, n=r.randint(2, 16), weights=r.choice(["unit", "int", "float"]),
                       node_weights=r.choice(["unit", "int"]))
        nw = g[3]
        k = r.randint(2, min(5, nw.shape[0]))
        max_weight = bounds(nw, k, r)
        labels = balanced_labels(r, nw, k, max_weight)
        if labels is not None:
            yield t, r, g, k, max_weight, labels


def test_kway_fm_cut_is_exact_never_worse_and_within_bounds():
    checked = 0
    for t, r, (indptr, indices, w, nw), k, max_weight, labels in kway_cases(300, 400):
        checked += 1
        rows = reference.csr_rows(indptr, indices, w)
        start = labels.copy()
        before = reference.labelling_cut(rows, start.tolist())
        passes = r.randint(1, 4)
        stall = r.choice([0, 3, 100])
        cuts = np.full(passes, np.nan)
        cut = kway_fm(indptr, indices, w, nw, labels, k, max_weight, passes, stall, state(t), cuts)
        assert cut == pytest.approx(reference.labelling_cut(rows, labels.tolist()), abs=1e-9), t
        assert cut <= before + 1e-9
        assert (loads(nw, labels, k) <= max_weight).all() and set(labels.tolist()) <= set(range(k))
        ran = int((~np.isnan(cuts)).sum())
        assert ran >= 1 and cuts[ran - 1] == pytest.approx(cut, abs=1e-9)
        for i in range(ran):  # every pass's cut, recomputed by replaying i + 1 passes
            replay = start.copy()
            kway_fm(indptr, indices, w, nw, replay, k, max_weight, i + 1, stall, state(t), np.zeros(0))
            assert reference.labelling_cut(rows, replay.tolist()) == pytest.approx(cuts[i], abs=1e-9), (t, i)
            if i:
                assert cuts[i] <= cuts[i - 1] + 1e-9
    assert checked > 200


def test_kway_local_fm_cut_is_exact_never_worse_and_within_bounds():
    checked = 0
    for t, r, (indptr, indices, w, nw), k, max_weight, labels in kway_cases(300, 800):
        checked += 1
        rows = reference.csr_rows(indptr, indices, w)
        before = reference.labelling_cut(rows, labels.tolist())
        cut = kway_local_fm(indptr, indices, w, nw, labels, k, max_weight, r.randint(1, 4), r.choice([0, 3, 50]),
                            r.choice([0.0, -1.0, -100.0]), state(t))
        assert cut == pytest.approx(reference.labelling_cut(rows, labels.tolist()), abs=1e-9), t
        assert cut <= before + 1e-9, t
        assert (loads(nw, labels, k) <= max_weight).all() and set(labels.tolist()) <= set(range(k))
    assert checked > 200


def test_kway_fm_reaches_the_optimum_of_separated_cliques():
    # k cliques of 4 with one light edge between consecutive cliques,
    # labels rotated by one node: FM must restore the cliques
    for k in (3, 4, 5):
        n = 4 * k
        rows = [dict() for _ in range(n)]
        for c in range(k):
            for u in range(4 * c, 4 * c + 4):
                for v in range(4 * c, 4 * c + 4):
                    if u != v:
                        rows[u][v] = 5
            if c:
                rows[4 * c][4 * c - 1] = rows[4 * c - 1][4 * c] = 1
        indptr = np.cumsum([0] + [len(x) for x in rows]).astype(np.int64)
        indices = np.array([v for x in rows for v in x], np.int32)
        w = np.array([c for x in rows for c in x.values()], np.int64)
        nw = np.ones(n, np.int64)
        for seed in range(5):
            labels = np.array([((u + 1) // 4) % k for u in range(n)], np.int64)
            cut = kway_fm(indptr, indices, w, nw, labels, k, np.full(k, 5.0), 10, n, state(seed), np.zeros(0))
            assert cut == k - 1, (k, seed, labels)


def test_kway_fm_with_two_blocks_matches_the_bisection_fm_in_quality():
    """Two independent FM implementations of the same idea: from the same
    random balanced starts, k-way FM with k = 2 must end near the two-way FM
    (about 1.07x here; local FM, which only searches around seeds, 1.4x).
    Gains that go stale after a move (the mutation check of issue 18) cost
    1.8x and 1.9x: every invariant above still holds, only quality shows it."""
    from klpart._kernels.fm import fm_refine
    from klpart.datasets import delaunay_graph

    total_kway = total_local = total_fm = 0.0
    for seed in range(10):
        g = delaunay_graph(400, seed=seed)
        n = g.num_nodes
        start = (np.random.default_rng(seed).permutation(n) % 2).astype(np.int64)
        max_weight = np.full(2, np.floor(1.03 * np.ceil(n / 2)))
        args = (g.indptr, g.indices, g.edge_weights, g.node_weights)
        labels = start.copy()
        total_kway += kway_fm(*args, labels, 2, max_weight, 20, 50, state(seed), np.zeros(0))
        labels = start.copy()
        total_local += kway_local_fm(*args, labels, 2, max_weight, 20, 50, 0.0, state(seed))
        side = start.copy()
        total_fm += fm_refine(*args, side, max_weight, np.full(2, n / 2), 20, 50, state(seed), np.zeros(0))
    assert total_kway <= 1.2 * total_fm, (total_kway, total_fm)
    assert total_local <= 1.6 * total_fm, (total_local, total_fm)
