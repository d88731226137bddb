"""Direct test of ``renumber`` (klpart._kernels.coarsen), which every
contraction and the supervariable compression rely on (issue #18)."""

import random

import numpy as np

from klpart._kernels.coarsen import renumber


def test_renumber_first_appearance_order_and_in_place():
    for t in range(400):
        r = random.Random(t)
        n = r.randint(0, 30)
        ids = np.array([r.randrange(max(n, 1)) for _ in range(n)], np.int64)
        first = {}
        expected = [first.setdefault(x, len(first)) for x in ids.tolist()]
        out = np.full(n, -5, np.int64)
        assert renumber(ids, out) == len(first)
        assert out.tolist() == expected
        same = ids.copy()
        assert renumber(same, same) == len(first)  # out may be ids itself
        assert same.tolist() == expected
