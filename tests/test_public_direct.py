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


def test_verify_nd_rejects_negative_iperm_entries():
    # (a negative index used to wrap: perm=[1, 0], iperm=[-1, 0] passed)
    try:
        pymetis.verify_nd([1, 0], [-1, 0])
    except ValueError:
        return
    raise AssertionError("verify_nd accepted iperm=[-1, 0], which is not a permutation")


def test_verify_nd_out_of_range_iperm_is_a_value_error():
    # (used to raise IndexError from p[ip])
    with pytest.raises(ValueError):
        pymetis.verify_nd([0, 1], [0, 5])


def test_pymetis_result_types_and_version_match_upstream():
    """The result named tuples and the version of the drop-in agree with the
    pymetis they replace (installed in the test environment when available)."""
    upstream = pytest.importorskip("pymetis")
    assert pymetis.GraphPartition._fields == upstream.GraphPartition._fields
    assert pymetis.MeshPartition._fields == upstream.MeshPartition._fields
    assert tuple(pymetis.version_tuple) == tuple(upstream.version_tuple)
    assert pymetis.version.split("+")[0] == ".".join(map(str, pymetis.version_tuple))
    res = pymetis.part_graph(2, adjacency=[[1], [0, 2], [1, 3], [2]])
    assert isinstance(res, pymetis.GraphPartition)
    assert res.edge_cuts == 1 and sorted(res.vertex_part) == [0, 0, 1, 1]


def test_result_containers_carry_what_their_functions_compute():
    """PartitionReport and MeshPartitionResult: the containers returned by
    metrics.report and ordering.partition_mesh hold the values the single
    functions compute."""
    from klpart import metrics
    from klpart.ordering import MeshPartitionResult

    G = nx.grid_2d_graph(5, 5)
    labels = [int(u[0] >= 2) for u in G]
    rep = metrics.report(G, labels)
    assert isinstance(rep, metrics.PartitionReport)
    assert rep.cut == metrics.cut(G, labels) == 5
    cells = [[0, 1, 4, 3], [1, 2, 5, 4], [3, 4, 7, 6], [4, 5, 8, 7]]
    mesh = klpart.partition_mesh(cells, 2, seed=0)
    assert isinstance(mesh, MeshPartitionResult)
    assert mesh.k == 2 and mesh.element_labels.shape == (4,) and mesh.node_labels.shape == (9,)
    assert sorted(mesh.element_labels.tolist()) == [0, 0, 1, 1]
    # the cut is the one of the graph actually partitioned (dual by default)
    assert mesh.kind == "dual" and mesh.cut == mesh.graph_result.cut
    dual = klpart.ordering.mesh_dual_graph(cells)
    assert mesh.cut == metrics.cut(dual, mesh.element_labels)
