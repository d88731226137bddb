"""Direct tests of the public functions that had none (issue #18):
:func:`klpart.warmup` and :func:`klpart.compat.pymetis.verify_nd`."""

import random

import networkx as nx
import numpy as np
import pytest

import klpart
from klpart.compat import pymetis


def test_warmup_returns_none_and_leaves_the_entry_points_working():
    assert klpart.warmup() is None
    # after warming up, the entry points it warms give valid results
    G = nx.grid_2d_graph(6, 6)
    a, b = klpart.kernighan_lin_bisection(G, seed=1)
    assert a | b == set(G) and not a & b and len(a) == len(b) == 18
    res = klpart.partition(klpart.grid_graph(6, 6), 3, seed=1)
    labels = np.asarray(res.labels)
    assert labels.shape == (36,) and set(labels.tolist()) == {0, 1, 2}


def test_verify_nd_accepts_inverse_permutations():
    for t in range(200):
        r = random.Random(t)
        n = r.randint(0, 30)
        perm = list(range(n))
        r.shuffle(perm)
        iperm = [0] * n
        for i, p in enumerate(perm):
            iperm[p] = i
        assert pymetis.verify_nd(perm, iperm) is None
        assert pymetis.verify_nd(np.array(perm), np.array(iperm)) is None


def test_verify_nd_rejects_in_range_non_inverses():
    rejected = 0
    for t in range(200):
        r = random.Random(t)
        n = r.randint(2, 30)
        perm = list(range(n))
        r.shuffle(perm)
        iperm = [0] * n
        for i, p in enumerate(perm):
            iperm[p] = i
        kind = t % 3
        if kind == 0:  # swap two entries of iperm: a permutation, not the inverse
            i, j = r.sample(range(n), 2)
            iperm[i], iperm[j] = iperm[j], iperm[i]
        elif kind == 1:  # a repeated value in perm
            i, j = r.sample(range(n), 2)
            perm[i] = perm[j]
        else:  # lengths differ
            iperm = iperm[:-1]
        with pytest.raises(ValueError):
            pymetis.verify_nd(perm, iperm)
        rejected += 1
    assert rejected == 200


@pytest.mark.xfail(strict=True, raises=AssertionError,
                   reason="klpart/compat/pymetis.py:522 checks p[ip] == arange(n) without checking that ip is a "
                          "permutation of 0..n-1: a negative index wraps (perm=[1, 0], iperm=[-1, 0] passes)")
def test_verify_nd_rejects_negative_iperm_entries():
    try:
        pymetis.verify_nd([1, 0], [-1, 0])
    except ValueError:
        return
    raise AssertionError("verify_nd accepted iperm=[-1, 0], which is not a permutation")


@pytest.mark.xfail(strict=True, raises=IndexError,
                   reason="klpart/compat/pymetis.py:522 indexes p[ip] before checking ip's range: "
                          "iperm=[0, 5] raises IndexError, not the documented ValueError")
def test_verify_nd_out_of_range_iperm_is_a_value_error():
    with pytest.raises(ValueError):
        pymetis.verify_nd([0, 1], [0, 5])
