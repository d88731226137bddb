"""Direct test of the kernels' generator step ``next_u64`` (splitmix64,
klpart._kernels.rng) against a Python transcription of the published
algorithm (issue #18); ``below`` and ``permutation`` are tested in
tests/kernels/test_rng.py."""

import numpy as np

from klpart._kernels.rng import below, next_u64

MASK = 2**64 - 1


def splitmix64(x):
    """(new state, output) of Vigna's splitmix64."""
    x = (x + 0x9E3779B97F4A7C15) & MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return x, z ^ (z >> 31)


def test_next_u64_is_splitmix64():
    # reference outputs of splitmix64 seeded with 0 (Vigna's reference code):
    # the first is 0xE220A8397B1DCDAF
    s = np.zeros(1, np.uint64)
    assert int(next_u64(s)) == 0xE220A8397B1DCDAF
    for seed in [0, 1, 12345, 2**63, MASK]:
        st = np.array([seed], np.uint64)
        x = seed
        for _ in range(200):
            x, z = splitmix64(x)
            assert int(next_u64(st)) == z
            assert int(st[0]) == x


def test_below_is_next_u64_modulo_bound():
    for seed in range(50):
        st = np.array([seed * 7919], np.uint64)
        x = seed * 7919
        for bound in [1, 2, 3, 10, 1000, 2**40 + 3]:
            x, z = splitmix64(x)
            v = int(below(st, bound))
            assert v == z % bound and 0 <= v < bound
