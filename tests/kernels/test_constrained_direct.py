"""Direct tests of private helpers of the constrained refinement
(klpart._kernels.constrained) that have their own contract: the overload
arithmetic of several constraints, the block state and a move, and the
contiguity test (issue #18).  References are plain Python loops; the
contiguity test is compared with a breadth-first search on small graphs,
where its visit budget (CONTIGUITY_SEARCH) cannot run out."""

import random

import numpy as np
import pytest

from klpart._kernels.constrained import (
    CONTIGUITY_SEARCH,
    _block_state,
    _is_over,
    _max_load,
    _move,
    _overload,
    _overload_change,
    _relieves,
    _shuffled_boundary,
    _stays_connected,
    _workspace,
)

from klpart._kernels.rng import below

from .graphs import random_csr, state


def random_loads(r, k, c):
    W = np.array([[r.choice([0.0, r.uniform(0, 10)]) for _ in range(c)] for _ in range(k)])
    M = np.array([[r.uniform(0.5, 8) for _ in range(c)] for _ in range(k)])
    norm = np.array([r.uniform(0.5, 3) for _ in range(c)])
    return W, M, norm


def ref_overload(W, M, norm):
    return sum(max(0.0, W[b][j] - M[b][j]) / norm[j] for b in range(len(W)) for j in range(len(W[0])))


def test_overload_helpers_against_loops():
    for t in range(400):
        r = random.Random(t)
        k, c = r.randint(1, 5), r.randint(1, 3)
        W, M, norm = random_loads(r, k, c)
        n = r.randint(1, 6)
        nw = np.array([[r.choice([0.0, r.uniform(0, 4)]) for _ in range(c)] for _ in range(n)])
        assert _overload(W, M, norm) == pytest.approx(ref_overload(W.tolist(), M.tolist(), norm.tolist()))
        assert _max_load(W, M) == pytest.approx(max([0.0] + [W[b, j] / M[b, j] for b in range(k) for j in range(c)]))
        for b in range(k):
            assert bool(_is_over(W, M, b)) == any(W[b, j] > M[b, j] for j in range(c))
            for v in range(n):
                assert bool(_relieves(W, M, nw, v, b)) == any(W[b, j] > M[b, j] and nw[v, j] > 0 for j in range(c))
        # the change of a move equals the difference of the overloads
        v = r.randrange(n)
        a, b = r.randrange(k), r.randrange(k)
        if a != b:
            after = W.copy()
            after[a] -= nw[v]
            after[b] += nw[v]
            expected = ref_overload(after.tolist(), M.tolist(), norm.tolist()) - ref_overload(W.tolist(), M.tolist(),
                                                                                               norm.tolist())
            assert _overload_change(W, M, norm, nw, v, a, b) == pytest.approx(expected, abs=1e-9)


def test_block_state_and_move_against_bincount():
    for t in range(300):
        r = random.Random(t)
        n, k, c = r.randint(1, 20), r.randint(1, 5), r.randint(1, 3)
        nw = np.array([[r.uniform(0, 3) for _ in range(c)] for _ in range(n)])
        labels = np.array([r.randrange(k) for _ in range(n)], np.int64)
        W = np.full((k, c), 99.0)  # overwritten from scratch
        count = np.full(k, 7, np.int64)
        _block_state(nw, labels, k, W, count)
        for j in range(c):
            np.testing.assert_allclose(W[:, j], np.bincount(labels, weights=nw[:, j], minlength=k))
        assert count.tolist() == np.bincount(labels, minlength=k).tolist()
        for _ in range(5):
            v, b = r.randrange(n), r.randrange(k)
            _move(nw, labels, W, count, v, b)
            assert labels[v] == b
            for j in range(c):
                np.testing.assert_allclose(W[:, j], np.bincount(labels, weights=nw[:, j], minlength=k), atol=1e-12)
            assert count.tolist() == np.bincount(labels, minlength=k).tolist()


def neighbours_connected_without(adj, labels, v):
    a = labels[v]
    nb = [u for u in adj[v] if u != v and labels[u] == a]
    if not nb:
        return False
    seen = {nb[0]}
    stack = [nb[0]]
    while stack:
        x = stack.pop()
        for y in adj[x]:
            if y != v and labels[y] == a and y not in seen:
                seen.add(y)
                stack.append(y)
    return set(nb) <= seen


def test_stays_connected_against_bfs():
    outcomes = set()
    for t in range(400):
        r = random.Random(t)
        n = r.randint(1, 40)  # fewer nodes than the search budget: the answer is exact
        assert n < CONTIGUITY_SEARCH
        indptr, indices, w, _ = random_csr(t, n=n, p=r.uniform(0.05, 0.4))
        adj = [indices[indptr[u]:indptr[u + 1]].tolist() for u in range(n)]
        k = r.randint(1, 3)
        labels = np.array([r.randrange(k) for _ in range(n)], np.int64)
        ws = _workspace(n, k)
        node_stamp, node_visit, queue, clock = ws[7], ws[8], ws[9], ws[10]
        for v in range(n):  # the stamps of one workspace serve every call
            got = bool(_stays_connected(indptr, indices, labels, v, node_stamp, node_visit, queue, clock))
            assert got == neighbours_connected_without(adj, labels.tolist(), v), (t, v)
            outcomes.add(got)
    assert outcomes == {True, False}


def test_stays_connected_is_conservative_on_larger_graphs():
    refused = 0
    for t in range(60):
        r = random.Random(1000 + t)
        n = r.randint(80, 200)
        indptr, indices, w, _ = random_csr(1000 + t, n=n, p=r.uniform(0.01, 0.04))
        adj = [indices[indptr[u]:indptr[u + 1]].tolist() for u in range(n)]
        labels = np.zeros(n, np.int64)
        ws = _workspace(n, 1)
        for v in range(n):
            got = bool(_stays_connected(indptr, indices, labels, v, ws[7], ws[8], ws[9], ws[10]))
            truth = neighbours_connected_without(adj, labels.tolist(), v)
            assert not (got and not truth)  # never allows a move that splits the block
            refused += truth and not got
    assert refused > 0  # the budget does refuse some connected cases on these sparse graphs


def test_shuffled_boundary_is_a_fisher_yates_of_the_movable_boundary():
    for t in range(300):
        r = random.Random(t)
        indptr, indices, w, _ = random_csr(3000 + t, p=r.uniform(0.05, 0.5))
        n = indptr.shape[0] - 1
        k = r.randint(1, 4)
        labels = np.array([r.randrange(k) for _ in range(n)], np.int64)
        movable = np.array([r.random() < 0.8 for _ in range(n)], np.uint8)  # the kernels take uint8
        adj = [indices[indptr[u]:indptr[u + 1]].tolist() for u in range(n)]
        expected = [v for v in range(n) if movable[v] and any(labels[u] != labels[v] for u in adj[v])]
        # Fisher-Yates from the end, one draw of below(i + 1) per position, on a copy of the state
        replay = state(t)
        for i in range(len(expected) - 1, 0, -1):
            j = int(below(replay, i + 1))
            expected[i], expected[j] = expected[j], expected[i]
        out = np.full(n, -1, np.int64)
        st = state(t)
        m = _shuffled_boundary(indptr, indices, labels, movable, out, st)
        assert m == len(expected)
        assert out[:m].tolist() == expected
        assert st[0] == replay[0]  # exactly m - 1 draws
