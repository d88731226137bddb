"""KL sweep kernels against pure-Python sweeps (tests/reference.py)."""

import random

import numpy as np
import pytest

from klpart._kernels import kl

from .. import reference
from .graphs import random_csr


def cases(count, base, weights=("unit", "int", "zero", "float")):
    for t in range(count):
        r = random.Random(base + t)
        g = random_csr(base + t, n=r.randint(1, 16), weights=r.choice(weights))
        n = g[3].shape[0]
        side = np.zeros(n, np.int64)
        side[r.sample(range(n), n // 2 if r.random() < 0.7 else r.randint(0, n))] = 1
        yield t, g, side


def test_gains_and_degree_bound():
    for t, (indptr, indices, w, _), side in cases(200, 0):
        rows = reference.csr_rows(indptr, indices, w)
        ext, intl = reference.external_internal(rows, side.tolist())
        np.testing.assert_allclose(kl.initial_gains(indptr, indices, w, side), np.subtract(ext, intl), atol=1e-9)
        if w.dtype.kind == "i":
            assert kl.max_weighted_degree(indptr, w) == max([sum(row.values()) for row in rows] + [0])


def test_best_prefix_is_the_shortest_smallest():
    for t in range(300):
        r = random.Random(t)
        running = np.array([r.randint(-4, 4) for _ in range(r.randint(1, 12))], np.int64)
        length, best = kl.best_prefix(running, running.shape[0])
        assert best == running.min() and length == running.tolist().index(best) + 1


@pytest.mark.parametrize("lifo", [True, False])
def test_heap_and_bucket_sweeps_equal_the_reference_sweep(lifo):
    for t, (indptr, indices, w, _), side in cases(250, 1000):
        n = side.shape[0]
        rows = dict(enumerate(reference.csr_rows(indptr, indices, w)))
        pairs, running = reference.kl_sweep(rows, list(range(n)), dict(enumerate(side.tolist())), lifo)
        m0, m1 = np.empty(n, np.int64), np.empty(n, np.int64)
        run = np.empty(n, w.dtype)
        count = kl.sweep_heap(indptr, indices, w, side, lifo, m0, m1, run)
        assert list(zip(m0[:count].tolist(), m1[:count].tolist())) == pairs, t
        np.testing.assert_allclose(run[:count], running, atol=1e-9)
        if w.dtype.kind == "i":
            bound = int(kl.max_weighted_degree(indptr, w))
            count = kl.sweep_buckets(indptr, indices, w, side, lifo, bound, m0, m1, run)
            assert list(zip(m0[:count].tolist(), m1[:count].tolist())) == pairs, t
            assert run[:count].tolist() == running


def test_lazy_heap_sweep_equals_networkx_heap_semantics():
    for t, (indptr, indices, w, _), side in cases(250, 2000):
        n = side.shape[0]
        pairs, running = reference.lazy_heap_sweep(reference.csr_rows(indptr, indices, w), side.tolist())
        m0, m1 = np.empty(n, np.int64), np.empty(n, np.int64)
        run = np.empty(n, w.dtype)
        count = kl.sweep_lazy_heap(indptr, indices, w, side, m0, m1, run)
        assert list(zip(m0[:count].tolist(), m1[:count].tolist())) == pairs, t
        np.testing.assert_allclose(run[:count], running, atol=1e-9)


@pytest.mark.parametrize("structure", [0, 1])
def test_kl_passes_equal_reference_bisection(structure):
    for t, (indptr, indices, w, _), side in cases(200, 3000, weights=("unit", "int", "zero")):
        n = side.shape[0]
        rows = reference.csr_rows(indptr, indices, w)
        lifo = t % 2 == 0
        expected = reference.kl_bisection(dict(enumerate(rows)), list(range(n)), dict(enumerate(side.tolist())),
                                          max_iter=5, lifo=lifo)
        before = reference.labelling_cut(rows, side.tolist())
        history = np.zeros(5, w.dtype)
        bound = int(kl.max_weighted_degree(indptr, w))
        ran = kl.kl_passes(indptr, indices, w, side, 5, structure, lifo, bound, history)
        assert dict(enumerate(side.tolist())) == expected, t
        # history: the cut change each pass applied, summing to the total change
        assert 1 <= ran <= 5 and (history[:ran] <= 0).all()
        assert before + history[:ran].sum() == reference.labelling_cut(rows, side.tolist())
        assert np.bincount(side, minlength=2).tolist() == np.bincount(np.array(list(expected.values()), np.int64),
                                                                       minlength=2).tolist()


def test_keep_best_prefix_applies_the_shortest_smallest_prefix():
    for t in range(300):
        r = random.Random(40000 + t)
        pairs = r.randint(0, 10)
        n = 2 * pairs + 2
        nodes = list(range(n))
        r.shuffle(nodes)
        moves0 = np.array(nodes[:pairs] + [0], np.int64)
        moves1 = np.array(nodes[pairs:2 * pairs] + [0], np.int64)
        running = np.array([r.randint(-4, 4) for _ in range(pairs)] + [r.randint(-9, 9)], np.int64)  # one stale entry
        side = np.array([r.randrange(2) for _ in range(n)], np.int8)
        before = side.copy()
        keep, best = kl.keep_best_prefix(side, pairs, moves0, moves1, running)
        if pairs and running[:pairs].min() < 0:
            length, value = kl.best_prefix(running, pairs)
            assert (keep, best) == (length, value)
        else:
            assert (keep, best) == (0, 0)
        expected = before.copy()
        expected[moves0[:keep]] = 1
        expected[moves1[:keep]] = 0
        assert side.tolist() == expected.tolist(), t


@pytest.mark.parametrize("structure", [0, 1, 2])
def test_pass_kernels_equal_single_passes_in_a_loop(structure):
    """kl_passes runs every pass inside one kernel; kl_pass runs one: the
    same sides, pair counts and history either way (and the sweep entry
    points leave ``side`` as it is)."""
    weights = ("unit", "int", "zero") if structure == 0 else ("unit", "int", "zero", "float")
    for t, (indptr, indices, w, _), side in cases(150, 5000, weights=weights):
        n = side.shape[0]
        side = side.astype(np.int8)
        lifo = t % 2 == 0
        bound = int(kl.max_weighted_degree(indptr, w)) if structure == 0 else -1
        history = np.zeros(6, w.dtype)
        whole = side.copy()
        ran = kl.kl_passes(indptr, indices, w, whole, 6, structure, lifo, bound, history)
        half = n // 2 + 1
        m0, m1, run = np.empty(half, np.int64), np.empty(half, np.int64), np.zeros(half, w.dtype)
        stepwise = side.copy()
        steps = []
        for _ in range(6):
            swept = stepwise.copy()
            if structure == 0:
                count = kl.sweep_buckets(indptr, indices, w, swept, lifo, bound, m0, m1, run)
            elif structure == 1:
                count = kl.sweep_heap(indptr, indices, w, swept, lifo, m0, m1, run)
            else:
                count = kl.sweep_lazy_heap(indptr, indices, w, swept, m0, m1, run)
            assert swept.tolist() == stepwise.tolist()  # a sweep only reads side
            pairs, keep, best = kl.kl_pass(indptr, indices, w, stepwise, structure, lifo, bound, m0, m1, run)
            assert pairs == count
            steps.append(best)
            if keep == 0:
                break
        assert ran == len(steps), t
        assert whole.tolist() == stepwise.tolist(), t
        np.testing.assert_array_equal(history[:ran], np.array(steps, w.dtype))
