"""Every reproduction of issue 19 (crashes C1-C5, silent wrong answers
W1-W7, inconsistencies I1-I7) and seeded slices of the property runs."""

import io
import os
import random
import subprocess
import sys
import warnings

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

import klpart
from klpart import metrics
from klpart.config import CoarseningConfig, PartitionConfig, RefinementConfig
from klpart.io import GraphFormatError, read_matrix_market, read_metis, read_partition, write_metis

from . import _tools


def partition_quietly(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # balanced results expected
        return klpart.partition(*args, **kwargs)


# --------------------------------------------------------------------------
# crashes
# --------------------------------------------------------------------------
def _c1_child(code):
    # in a child process: the bug was a segfault
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)


def test_c1_huge_edge_weight_is_a_clear_error_not_a_segfault():
    code = (
        "import networkx as nx, klpart\n"
        "G = nx.path_graph(6); G[2][3]['weight'] = 2**63 - 1\n"
        "try:\n    klpart.kernighan_lin_bisection(G, seed=0)\n"
        "except ValueError as e:\n    print('ValueError', e)\n"
    )
    proc = _c1_child(code)
    assert proc.returncode == 0, proc.stderr
    assert "ValueError" in proc.stdout and "2**61" in proc.stdout


def test_c1_backend_leaves_huge_weights_to_networkx():
    G = nx.path_graph(6)
    G[2][3]["weight"] = 2**63 - 1
    # the backend declines (NotImplementedError when forced); with fallback
    # NetworkX computes it exactly in Python integers
    with pytest.raises(NotImplementedError):
        nx.community.kernighan_lin_bisection(G, seed=0, backend="klpart")


def test_c1_kernel_degree_saturates():
    from klpart._kernels.kl import max_weighted_degree

    indptr = np.array([0, 2, 3, 4], np.int64)
    weights = np.array([2**62, 2**62, 2**62, 2**62], np.int64)
    assert max_weighted_degree(indptr, weights) == np.iinfo(np.int64).max
    assert max_weighted_degree(indptr[:2], weights[:2] // 4) == 2**61


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1 6\n3 2 6\n", ":3:"),
        ("%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n9 2\n", ":4: row index"),
        ("%%MatrixMarket matrix coordinate integer symmetric\n3 3 2\n2 1 6\x00\n3 2 6\n", ":3: NUL"),
        # SciPy crashed on this one (no final newline) and truncated 1.5 to 1 with one
        ("%%MatrixMarket matrix coordinate integer symmetric\n2 2 1\n2 1 1.5", ":3: value '1.5'"),
        ("%%MatrixMarket matrix coordinate integer symmetric\n2 2 1\n2 1 1.5\n", ":3: value '1.5'"),
    ],
)
def test_c2_matrix_market_screened_before_scipy(text, fragment):
    with pytest.raises(GraphFormatError) as info:
        read_matrix_market(io.BytesIO(text.encode()))
    assert fragment in str(info.value)


@pytest.mark.parametrize("case", ["zero node weights", "zero targets"])
def test_c3_zero_weights_do_not_divide_by_zero(case):
    if case == "zero node weights":
        res = klpart.partition(nx.path_graph(6), 3, node_weight=[0] * 6, seed=0)
        assert res.block_weights == [0, 0, 0]
        assert sorted(np.bincount(res.labels, minlength=3).tolist())[0] >= 1
    else:
        res = klpart.partition(nx.grid_2d_graph(4, 4), 4, target_weights=(0, 0, 0, 1), seed=0)
        assert res.block_weights[3] == 16


def test_c4_huge_imbalance_is_allowed():
    res = partition_quietly(nx.path_graph(6), 2, imbalance=1e308, seed=0)
    assert res.max_block_weights == [6, 6]  # clamped to the total
    assert res.balanced and min(res.block_weights) >= 1


def test_c5_block_ids_are_range_checked():
    G = nx.path_graph(4)
    with pytest.raises(ValueError, match="block ids must be below"):
        metrics.report(G, [0, 0, 1, 2**63 - 1])
    with pytest.raises(ValueError, match="too many"):
        metrics.cut(G, [0, 0, 1, 1], k=10**12)
    with pytest.raises(GraphFormatError, match=r":2: block id 9223372036854775807 .*too large"):
        read_partition(io.StringIO("0\n9223372036854775807\n"))
    with pytest.raises(ValueError, match="too large"):
        metrics.cut(G, {0: 0, 1: 0, 2: 1, 3: 2**70})


# --------------------------------------------------------------------------
# silent wrong answers
# --------------------------------------------------------------------------
def test_w1_feasible_balance_is_found():
    G = nx.empty_graph(4)
    G.add_edges_from([(0, 2), (1, 2)])
    res = partition_quietly(G, 2, imbalance=0.1, node_weight=[2, 4, 5, 1], seed=0)
    assert res.block_weights == [6, 6] and res.balanced
    assert res.cut == metrics.cut(G, res)


def test_w1_rebalance_kernels_directly():
    from klpart.convert import as_csr_graph
    from klpart.multilevel.balance import explain_imbalance, rebalance

    G = nx.path_graph(6)
    g = as_csr_graph(G, node_weight=[5, 5, 4, 3, 2, 1])  # total 20, bound 10
    labels = np.array([0, 0, 0, 1, 1, 1])  # 14 / 6
    assert rebalance(g, labels, 2, [10, 10], np.array([3], np.uint64))
    assert np.bincount(labels, weights=g.node_weights).max() <= 10
    # infeasible: three nodes of 6 in two blocks of 10
    g = as_csr_graph(nx.path_graph(3), node_weight=[6, 6, 6])
    labels = np.array([0, 0, 1])
    assert not rebalance(g, labels, 2, [10, 10], np.array([3], np.uint64))
    assert "exceeds the sum" in explain_imbalance(g, 2, [8, 8])
    assert "packing bound" in explain_imbalance(g, 2, [10, 10])


def test_w1_warning_says_why():
    G = nx.path_graph(3)
    with pytest.warns(RuntimeWarning, match="packing bound"):
        res = klpart.partition(G, 2, imbalance=0.1, node_weight=[6, 6, 6], seed=0)
    assert not res.balanced


def test_w2_weight_sums_past_int64_are_refused():
    G = nx.Graph()
    G.add_weighted_edges_from([(0, 1, 2**62), (1, 2, 1), (2, 3, 2**62)])
    with pytest.raises(ValueError, match=r"2\*\*61"):
        metrics.cut(G, [0, 1, 0, 1], weight="weight")
    with pytest.raises(ValueError, match=r"2\*\*61"):
        klpart.partition(G, 2)
    # just below the limit: exact
    H = nx.Graph()
    H.add_weighted_edges_from([(0, 1, 2**60 - 1), (1, 2, 1), (2, 3, 2**60)])
    assert metrics.cut(H, [0, 1, 0, 1], weight="weight") == 2**61
    H[2][3]["weight"] += 1
    with pytest.raises(ValueError, match=r"2\*\*61"):
        metrics.cut(H, [0, 1, 0, 1], weight="weight")


def test_w3_node_weight_sums():
    with pytest.raises(ValueError, match=r"2\*\*62"):
        klpart.partition(nx.path_graph(4000), 2, node_weight=[2**52] * 4000)
    with pytest.raises(ValueError, match="not finite"):
        klpart.partition(nx.path_graph(6), 2, node_weight=[1e308] * 6)


def test_w4_numbers_past_int64_are_not_read_as_negative():
    with pytest.raises(GraphFormatError, match=":2: .*too large"):
        read_partition(io.StringIO("0\n9223372036854775808\n"))
    with pytest.raises(GraphFormatError, match=":2: .*too large"):
        read_metis(io.StringIO("2 1 1\n2 9999999999999999999\n1 9999999999999999999\n"))
    with pytest.raises(GraphFormatError, match=":1: header"):
        read_metis(io.StringIO("1234567890123456789 1\n"))
    # 18 digits still take the fast path and read exactly
    assert read_partition(io.StringIO("000000000000000000000001\n")).tolist() == [1]


def test_w5_node_weight_dicts_are_keyed_by_node():
    G = nx.path_graph(["a", "b", "c", "d"])
    res = klpart.partition(G, 2, imbalance=0.0, node_weight={"d": 1, "c": 1, "b": 1, "a": 3}, seed=0)
    assert sorted(res.block_weights) == [3, 3]
    assert res.labels[0] != res.labels[1]  # "a" (weight 3) alone
    with pytest.raises(TypeError, match="set"):
        klpart.partition(G, 2, node_weight={1, 2, 3, 4})
    with pytest.raises(ValueError, match="no weight for node 'd'"):
        klpart.partition(G, 2, node_weight={"a": 1, "b": 1, "c": 1})


def test_w6_duplicates_summed_in_a_wide_type():
    A = sp.coo_array(
        (np.array([200, 200, 200, 200], np.uint8), ([0, 0, 1, 1], [1, 1, 0, 0])), shape=(2, 2)
    )
    before = A.data.copy()
    assert klpart.as_csr_graph(A).edge_weights.tolist() == [400, 400]
    np.testing.assert_array_equal(A.data, before)


def test_w7_float_weights_with_infinite_sums_are_refused():
    G = nx.Graph()
    G.add_weighted_edges_from([(0, 1, 1e308), (1, 2, 1e308), (2, 3, 1e308)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no numpy overflow warning either
        with pytest.raises(ValueError, match="not finite"):
            metrics.cut(G, [0, 1, 0, 1], weight="weight")


# --------------------------------------------------------------------------
# inconsistencies
# --------------------------------------------------------------------------
@pytest.mark.parametrize("bad", ["3", None, b"3", object()])
def test_i1_node_weights_must_be_numbers(bad):
    with pytest.raises(TypeError, match="node 0 has weight"):
        klpart.partition(nx.path_graph(4), 2, node_weight=[bad, 1, 1, 1])


@pytest.mark.parametrize("max_iter", [2.5, "3", None])
def test_i2_max_iter_type_as_networkx(max_iter):
    G = nx.path_graph(6)
    with pytest.raises(TypeError):
        nx.community.kernighan_lin_bisection(G, max_iter=max_iter, seed=0)
    with pytest.raises(TypeError):
        klpart.kernighan_lin_bisection(G, max_iter=max_iter, seed=0)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"imbalance": "0.1"},
        {"imbalance": True},
        {"target_weights": ("3", "3")},
        {"k": "2"},
        {"k": 2.0},
    ],
)
def test_i2_types_checked_like_k(kwargs):
    kwargs = {"k": 2, **kwargs}
    with pytest.raises(TypeError):
        klpart.partition(nx.path_graph(6), **kwargs)


def test_i3_no_empty_block_when_k_le_n():
    for k in range(2, 10):
        res = partition_quietly(nx.complete_graph(9), k, seed=0)
        assert (np.bincount(res.labels, minlength=k) > 0).all(), k


def test_i3_fill_empty_blocks_prefers_the_cheapest_node():
    from klpart.convert import as_csr_graph
    from klpart.multilevel.balance import fill_empty_blocks

    # a path 0-1-2-3: the end nodes cost 1 to move, the inner ones 2
    g = as_csr_graph(nx.path_graph(4))
    labels = np.zeros(4, np.int64)
    assert fill_empty_blocks(g, labels, 2, [4, 4]) == 0
    assert labels.tolist() in ([1, 0, 0, 0], [0, 0, 0, 1])
    # a block whose bound is below every node weight stays empty
    labels = np.zeros(4, np.int64)
    assert fill_empty_blocks(g, labels, 2, [4, 0]) == 1 and labels.tolist() == [0, 0, 0, 0]


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda: CoarseningConfig(algorithm="matchin"), "'matching', 'clustering'"),
        (lambda: CoarseningConfig(rating="heavy"), "'expansion', 'weight'"),
        (lambda: RefinementConfig(algorithm="flows"), "'fm', 'kl'"),
        (lambda: PartitionConfig(restarts=-1), "restarts"),
        (lambda: PartitionConfig(vcycles=-1), "vcycles"),
    ],
)
def test_i7_config_values_checked(make, fragment):
    with pytest.raises(ValueError, match=fragment):
        make()


def test_i7_other_inputs():
    out = io.StringIO()
    write_metis(nx.Graph(), out, node_sizes=[])
    assert out.getvalue() == "0 0\n"
    g = klpart.as_csr_graph(np.array([[0, 1], [1, 0]], np.float16))
    assert g.edge_weights.tolist() == [1, 1]
    with pytest.raises(TypeError, match="dtype object"):
        klpart.as_csr_graph(np.array([[0, 1], [1, 0]], object))


def test_negative_fem_entries_point_to_weight_none():
    A = sp.csr_array(np.array([[4.0, -1.0], [-1.0, 4.0]]))
    with pytest.raises(ValueError, match=r"entry \(0, 1\).*weight=None partitions the sparsity"):
        klpart.partition(A, 2)
    assert klpart.partition(A, 2, weight=None).cut == 1


def test_partition_result_accepted_by_metrics():
    G = nx.grid_2d_graph(5, 5)
    res = klpart.partition(G, 3, seed=0)
    assert metrics.cut(G, res) == res.cut == metrics.cut(G, res.labels)
    assert metrics.communication_volume(G, res) == metrics.communication_volume(G, res.labels)
    assert metrics.report(G, res).cut == res.cut
    assert metrics.nmi(res, res.labels) == pytest.approx(1.0)


# --------------------------------------------------------------------------
# seeded slices of the large runs (run_large.py runs the full ones)
# --------------------------------------------------------------------------
def test_random_node_weighted_instances_balanced_whenever_feasible():
    rng = random.Random(19)
    failures = [f for f in (_tools.check_instance(_tools.random_instance(rng)) for _ in range(150)) if f]
    assert failures == []


def test_oracle_is_exact():
    # the oracle against brute force over all assignments
    import itertools

    rng = random.Random(5)
    for _ in range(60):
        n = rng.randint(1, 6)
        weights = [rng.randint(1, 9) for _ in range(n)]
        k = rng.randint(1, 3)
        bounds = [rng.randint(1, 15) for _ in range(k)]
        brute = any(
            all(sum(w for w, b in zip(weights, a) if b == i) <= bounds[i] for i in range(k))
            for a in itertools.product(range(k), repeat=n)
        )
        assert _tools.balanced_assignment_exists(weights, bounds) == brute


@pytest.mark.parametrize("kind", ["metis", "partition", "mtx"])
def test_fuzzed_files_parse_in_a_subprocess(kind):
    files = _tools.fuzz_files(kind, 150, seed=len(kind))
    results, error = _tools.parse_in_subprocess(kind, files)
    assert error is None
    problems = [p for p in (_tools.compare(kind, f, r) for f, r in zip(files, results)) if p]
    assert problems == []
    # the fuzzer is not trivial: it produces both valid and invalid files
    statuses = {r[0] for r in results}
    assert statuses == {"ok", "rejected"}


def test_subprocess_runner_reports_a_dead_child(monkeypatch):
    monkeypatch.setattr(_tools, "_CHILD", "import os; os.abort()")
    results, error = _tools.parse_in_subprocess("metis", [b"1 0\n\n"])
    assert results is None and "exited" in error


def test_comparison_catches_a_wrong_graph():
    data = b"2 1\n2\n1\n"
    assert _tools.compare("metis", data, ["ok", 2, [[0, 1, 1]], [1, 1], []]) is None
    assert _tools.compare("metis", data, ["ok", 2, [[0, 1, 2]], [1, 1], []]) is not None
    assert _tools.compare("metis", data, ["crash", "boom"]) is not None


# --------------------------------------------------------------------------
# CLI error paths: one line, never a traceback
# --------------------------------------------------------------------------
def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "klpart", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_cli_error_paths_have_no_traceback(tmp_path):
    write_metis(nx.grid_2d_graph(6, 6), tmp_path / "g.graph")
    (tmp_path / "bad.graph").write_text("3 1\n2\n1\n")
    (tmp_path / "g.graph.part.2").write_text("0\n" * 18 + "1\n" * 18)
    (tmp_path / "huge.part").write_text("0\n" * 35 + "9223372036854775807\n")
    cases = [
        (("partition", "g.graph", 100), 1, "more than the 36 nodes"),
        (("partition", "bad.graph", 2), 1, "bad.graph:"),
        (("partition", "g.graph", 2, "-o", "g.graph"), 2, "input file"),
        (("partition", "g.graph", 2, "-o", "/dev/full"), 1, "/dev/full"),
        (("eval", "g.graph", "huge.part"), 1, "huge.part:36:"),
        (("draw", "g.graph", "g.graph.part.2", "--dpi", 1000000, "-o", "x.png"), 1, "x.png"),
    ]
    for args, status, fragment in cases:
        proc = _cli(*args, cwd=tmp_path)
        assert proc.returncode == status, (args, proc.stderr)
        assert "Traceback" not in proc.stderr, args
        assert fragment in proc.stderr, (args, proc.stderr)
        if status == 1:
            assert len(proc.stderr.strip().splitlines()) == 1, (args, proc.stderr)
    assert not (tmp_path / "x.png").exists()
    assert (tmp_path / "g.graph").read_text().startswith("36 60")  # not overwritten


def test_cli_positional_k_and_atomic_output(tmp_path):
    write_metis(nx.grid_2d_graph(6, 6), tmp_path / "g.graph")
    proc = _cli("partition", "g.graph", 3, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    labels = read_partition(tmp_path / "g.graph.part.3", n=36)
    assert sorted(set(labels.tolist())) == [0, 1, 2]
    assert sorted(os.listdir(tmp_path)) == ["g.graph", "g.graph.part.3"]  # no temporary left
