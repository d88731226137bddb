"""The kernels' random numbers: CPython's shuffle replayed exactly, and the
kernels' own generator."""

import random

import numpy as np
import pytest

from klpart._kernels import rng


def _state_arrays(r):
    version, internal, gauss = r.getstate()
    return np.array(internal[:-1], np.uint32), np.array([internal[-1]], np.int64)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 10, 623, 624, 625, 2000, 5000])
@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_mt_shuffle_order_replays_random_shuffle(n, seed):
    # n past 624 regenerates the twister state inside the loop, several times
    expected_rng = random.Random(seed)
    expected = list(range(n))
    expected_rng.shuffle(expected)
    mt, pos = _state_arrays(random.Random(seed))
    order = rng.mt_shuffle_order(mt, pos, n)
    assert order.dtype == np.int64
    assert order.tolist() == expected
    # and the generator is left exactly where CPython leaves it
    version, internal, gauss = expected_rng.getstate()
    assert mt.tolist() == list(internal[:-1]) and int(pos[0]) == internal[-1]


def test_mt_shuffle_order_continues_a_used_generator():
    r = random.Random(7)
    for _ in range(1000):  # mid-block position
        r.random()
    mt, pos = _state_arrays(r)
    expected = list(range(300))
    r.shuffle(expected)
    assert rng.mt_shuffle_order(mt, pos, 300).tolist() == expected


def test_permutation_is_a_permutation_and_deterministic():
    for n in (0, 1, 2, 17, 500):
        a = rng.permutation(np.array([3], np.uint64), n)
        b = rng.permutation(np.array([3], np.uint64), n)
        assert a.dtype == np.int64
        assert sorted(a.tolist()) == list(range(n))
        assert a.tolist() == b.tolist()


def test_permutation_equals_fisher_yates_over_below():
    # the reference draws the same numbers through `below`
    for n in (2, 9, 64):
        state = np.array([11], np.uint64)
        ref_state = state.copy()
        order = list(range(n))
        for i in range(n - 1, 0, -1):
            j = int(rng.below(ref_state, i + 1))
            order[i], order[j] = order[j], order[i]
        assert rng.permutation(state, n).tolist() == order
        assert state[0] == ref_state[0]


def test_chunked_permutation_equals_its_reference():
    # blocks of `chunk` consecutive ids in the order of permutation(count),
    # each shuffled in place by Fisher-Yates over `below`, drawn in that order
    for n, chunk in ((0, 4), (1, 4), (7, 3), (64, 8), (65, 8), (300, 256), (20, 1)):
        state = np.array([5 + n], np.uint64)
        ref_state = state.copy()
        count = (n + chunk - 1) // chunk
        blocks = rng.permutation(ref_state, count).tolist()
        order = []
        for b in blocks:
            part = list(range(b * chunk, min(b * chunk + chunk, n)))
            for i in range(len(part) - 1, 0, -1):
                j = int(rng.below(ref_state, i + 1))
                part[i], part[j] = part[j], part[i]
            order += part
        got = rng.chunked_permutation(state, n, chunk)
        assert got.dtype == np.int64
        assert got.tolist() == order, (n, chunk)
        assert sorted(order) == list(range(n))
        assert state[0] == ref_state[0]
