"""Direct test of the saturation of ``max_weighted_degree``
(klpart._kernels.kl): a row sum past the int64 range returns the int64
maximum instead of wrapping (issue #18; the other KL kernels are tested in
tests/kernels/test_kl.py)."""

import numpy as np

from klpart._kernels.kl import max_weighted_degree

INT64_MAX = np.iinfo(np.int64).max


def test_max_weighted_degree_saturates_instead_of_wrapping():
    indptr = np.array([0, 2, 3, 4], np.int64)
    big = 2**62
    weights = np.array([big, big, 5, 7], np.int64)  # row 0 sums to 2**63: one past the range
    assert max_weighted_degree(indptr, weights) == INT64_MAX
    weights = np.array([big, big - 1, 5, 7], np.int64)  # exactly the maximum: no saturation needed
    assert max_weighted_degree(indptr, weights) == INT64_MAX
    weights = np.array([3, 4, 9, 1], np.int64)
    assert max_weighted_degree(indptr, weights) == 9
