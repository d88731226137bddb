"""The KL drop-in: NetworkX's own behaviours, NetworkX as an oracle, slow
references, brute force, properties and bad input."""

import random
from itertools import permutations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

import klpart
from klpart import kernighan_lin_bisection
from klpart._kernels import kl as kernels
from klpart.convert import from_networkx, networkx_arrays
from klpart.kl import kl_refine

from . import reference


def assert_partition_equal(x, y):
    assert set(map(frozenset, x)) == set(map(frozenset, y))


# --------------------------------------------------------------------------
# NetworkX's test_bipartitions.py KL tests, re-expressed against klpart
# --------------------------------------------------------------------------
def test_partition():
    G = nx.barbell_graph(3, 0)
    assert_partition_equal(kernighan_lin_bisection(G), [{0, 1, 2}, {3, 4, 5}])


def test_partition_argument():
    G = nx.barbell_graph(3, 0)
    partition = [{0, 1, 2}, {3, 4, 5}]
    assert_partition_equal(kernighan_lin_bisection(G, partition), partition)


def test_partition_argument_non_integer_nodes():
    G = nx.Graph([("A", "B"), ("A", "C"), ("B", "C"), ("C", "D")])
    partition = ({"A", "B"}, {"C", "D"})
    assert_partition_equal(kernighan_lin_bisection(G, partition), partition)


def test_seed_argument():
    G = nx.barbell_graph(3, 0)
    assert_partition_equal(kernighan_lin_bisection(G, seed=1), [{0, 1, 2}, {3, 4, 5}])


def test_non_disjoint_partition():
    G = nx.barbell_graph(3, 0)
    with pytest.raises(nx.NetworkXError, match="partition invalid"):
        kernighan_lin_bisection(G, ({0, 1, 2}, {2, 3, 4, 5}))


def test_too_many_blocks():
    G = nx.barbell_graph(3, 0)
    with pytest.raises(nx.NetworkXError, match="partition must be two sets"):
        kernighan_lin_bisection(G, ({0, 1}, {2}, {3, 4, 5}))


def test_multigraph_relabelings():
    G = nx.cycle_graph(4)
    M = nx.MultiGraph(G.edges())
    M.add_edges_from(G.edges())
    M.remove_edge(1, 2)
    for labels in permutations(range(4)):
        mapping = dict(zip(M, labels))
        A, B = kernighan_lin_bisection(nx.relabel_nodes(M, mapping), seed=0)
        assert_partition_equal([A, B], [{mapping[0], mapping[1]}, {mapping[2], mapping[3]}])


def weighted_k6():
    return nx.Graph(
        [
            ("A", "B", {"weight": 1}), ("A", "C", {"weight": 2}), ("A", "D", {"weight": 3}),
            ("A", "E", {"weight": 2}), ("A", "F", {"weight": 4}), ("B", "C", {"weight": 1}),
            ("B", "D", {"weight": 4}), ("B", "E", {"weight": 2}), ("B", "F", {"weight": 1}),
            ("C", "D", {"weight": 3}), ("C", "E", {"weight": 2}), ("C", "F", {"weight": 1}),
            ("D", "E", {"weight": 4}), ("D", "F", {"weight": 3}), ("E", "F", {"weight": 2}),
        ]
    )


def test_max_iter_argument():
    split = kernighan_lin_bisection(weighted_k6(), ({"A", "B", "C"}, {"D", "E", "F"}), max_iter=1)
    assert_partition_equal(split, ({"A", "F", "C"}, {"D", "E", "B"}))


def test_weight_function():
    G = nx.cycle_graph(4)

    def my_weight(u, v, d):
        if u == 2 and v == 3:
            return None
        return u + v

    assert_partition_equal(kernighan_lin_bisection(G, weight=my_weight), ({1, 2}, {0, 3}))


# --------------------------------------------------------------------------
# the contract's details
# --------------------------------------------------------------------------
def test_return_types_are_python_sets_of_original_nodes():
    G = nx.relabel_nodes(nx.grid_2d_graph(4, 5), lambda t: f"n{t}")
    A, B = kernighan_lin_bisection(G, seed=3)
    assert type(A) is set and type(B) is set
    assert A | B == set(G) and not A & B
    assert all(type(u) is str for u in A | B)
    C, D = kernighan_lin_bisection(nx.convert_node_labels_to_integers(G), seed=3)
    assert all(type(u) is int for u in C | D)


def test_sizes_of_given_partition_are_kept_and_order_matches_networkx():
    G = nx.grid_2d_graph(6, 6)
    nodes = list(G)
    first, second = set(nodes[:10]), set(nodes[10:])
    A, B = kernighan_lin_bisection(G, (first, second))
    # NetworkX returns the side of partition[1] first
    assert len(A) == len(second) and len(B) == len(first)
    E, F = nx.community.kernighan_lin_bisection(G, (first, second))
    assert (len(E), len(F)) == (len(A), len(B))


def test_directed_graph_raises():
    with pytest.raises(nx.NetworkXNotImplemented, match="not implemented for directed type"):
        kernighan_lin_bisection(nx.DiGraph([(0, 1)]))


def test_partition_not_a_pair_or_not_iterable():
    G = nx.path_graph(4)
    for bad in (5, ({0, 1, 2, 3},), [{0}, {1}, {2, 3}]):
        with pytest.raises(nx.NetworkXError, match="partition must be two sets"):
            kernighan_lin_bisection(G, bad)


@pytest.mark.parametrize(
    "bad",
    [
        ({0, 1}, {2}),  # node 3 missing
        ({0, 1}, {2, 3, 9}),  # unknown node
        ([0, 0, 1], [2, 3]),  # duplicate
        ({0, 1}, {2, 3, frozenset()}),  # not a node
        ([[0], 1], [2, 3]),  # unhashable
    ],
)
def test_partition_invalid(bad):
    with pytest.raises(nx.NetworkXError, match="partition invalid"):
        kernighan_lin_bisection(nx.path_graph(4), bad)


def test_bad_seed_raises_like_networkx():
    with pytest.raises(ValueError):
        nx.community.kernighan_lin_bisection(nx.path_graph(4), seed="abc")
    with pytest.raises(ValueError):
        kernighan_lin_bisection(nx.path_graph(4), seed="abc")


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
def test_bad_weights(bad):
    G = nx.path_graph(4)
    G[1][2]["weight"] = bad
    with pytest.raises(ValueError, match=r"edge \((1|2), (2|1)\) has weight"):
        kernighan_lin_bisection(G)


def test_global_random_states_untouched():
    G = nx.grid_2d_graph(10, 10)
    random.seed(5)
    np.random.seed(5)
    expected = (random.random(), np.random.random())
    random.seed(5)
    np.random.seed(5)
    kernighan_lin_bisection(G)
    kernighan_lin_bisection(G, seed=2)
    kernighan_lin_bisection(G, seed=np.random.default_rng(1))
    assert (random.random(), np.random.random()) == expected


def test_seed_kinds_reproduce_the_networkx_start():
    G = nx.grid_2d_graph(8, 8)
    for make in (lambda: 11, lambda: random.Random(11), lambda: np.random.default_rng(11)):
        ours = kernighan_lin_bisection(G, max_iter=0, seed=make())
        theirs = nx.community.kernighan_lin_bisection(G, max_iter=0, seed=make())
        assert ours == theirs


def test_same_seed_same_result_and_rng_objects_advance():
    G = nx.random_geometric_graph(200, 0.15, seed=3)
    assert kernighan_lin_bisection(G, seed=4) == kernighan_lin_bisection(G, seed=4)
    rng = random.Random(4)
    a = kernighan_lin_bisection(G, seed=rng)
    b = kernighan_lin_bisection(G, seed=rng)
    assert a != b  # the generator moved on, as in NetworkX


def test_degenerate_graphs_return_partition_unchanged():
    assert kernighan_lin_bisection(nx.Graph()) == (set(), set())
    assert kernighan_lin_bisection(nx.empty_graph(["x"])) == ({"x"}, set())
    G = nx.path_graph(3)
    assert kernighan_lin_bisection(G, (set(), {0, 1, 2})) == ({0, 1, 2}, set())


def test_self_loops_do_not_change_the_result():
    G = nx.random_geometric_graph(60, 0.25, seed=1)
    H = G.copy()
    H.add_edges_from((u, u, {"weight": 5}) for u in list(H)[::3])
    assert kernighan_lin_bisection(G, seed=2) == kernighan_lin_bisection(H, seed=2)


def test_disconnected_graph_and_isolated_nodes():
    G = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(5))
    G.add_nodes_from(range(10, 14))
    A, B = kernighan_lin_bisection(G, seed=0)
    assert nx.cut_size(G, A) == 0 and abs(len(A) - len(B)) <= 1


def test_scipy_and_csrgraph_inputs_give_row_index_sets():
    G = nx.convert_node_labels_to_integers(nx.grid_2d_graph(7, 7))
    A = nx.to_scipy_sparse_array(G)
    expected = kernighan_lin_bisection(G, seed=9)
    for M in (A, sp.csr_matrix(A), A.tocoo(), from_networkx(G)):
        got = kernighan_lin_bisection(M, seed=9)
        assert got == expected
        assert all(type(u) is int for u in got[0] | got[1])
    with pytest.raises(ValueError, match="not symmetric"):
        kernighan_lin_bisection(sp.csr_array(np.triu(A.toarray())))


# --------------------------------------------------------------------------
# oracles: NetworkX itself, the slow reference, brute force
# --------------------------------------------------------------------------
def _random_cases(count, max_n=40):
    for t in range(count):
        r = random.Random(t)
        n = r.randint(2, max_n)
        G = reference.random_weighted_graph(n, r.random() * 0.5, t, r.choice([None, "int", "float"]))
        yield t, G


def test_networkx_tie_break_reproduces_networkx_exactly():
    """With tie_break="networkx" the kernel replays NetworkX's heap: same
    moves, same partition, for unit, integer and float weights."""
    for t, G in _random_cases(150):
        nodes, indptr, indices, weights, _ = networkx_arrays(G, "weight")
        side = np.zeros(len(nodes), np.int8)
        order = list(range(len(nodes)))
        random.Random(t).shuffle(order)
        side[order[: len(nodes) // 2]] = 1
        kl_refine(indptr, indices, weights, side, 10, tie_break="networkx")
        ours = ({u for u, s in zip(nodes, side) if s == 0}, {u for u, s in zip(nodes, side) if s == 1})
        assert ours == nx.community.kernighan_lin_bisection(G, seed=t), t


@pytest.mark.parametrize("lifo", [True, False])
def test_kernel_sweep_equals_reference_sweep(lifo):
    for t, G in _random_cases(60, max_n=30):
        nodes, indptr, indices, weights, _ = networkx_arrays(G, "weight")
        n = len(nodes)
        side = np.zeros(n, np.int8)
        side[random.Random(t).sample(range(n), n // 2)] = 1
        rows = {i: {} for i in range(n)}
        for u in range(n):
            for p in range(indptr[u], indptr[u + 1]):
                rows[u][int(indices[p])] = weights[p].item()
        pairs, running = reference.kl_sweep(rows, list(range(n)), dict(enumerate(side.tolist())), lifo)
        m0 = np.empty(n, np.int64)
        m1 = np.empty(n, np.int64)
        run = np.empty(n, weights.dtype)
        count = kernels.sweep_heap(indptr, indices, weights, side, lifo, m0, m1, run)
        assert list(zip(m0[:count].tolist(), m1[:count].tolist())) == pairs
        np.testing.assert_allclose(run[:count], running, rtol=1e-12, atol=1e-9)
        if weights.dtype.kind == "i":
            bound = int(kernels.max_weighted_degree(indptr, weights))
            count_b = kernels.sweep_buckets(indptr, indices, weights, side, lifo, bound, m0, m1, run)
            assert count_b == count
            assert list(zip(m0[:count].tolist(), m1[:count].tolist())) == pairs
            assert run[:count].tolist() == running


def test_full_bisection_equals_reference():
    for t, G in _random_cases(40, max_n=25):
        nodes, indptr, indices, weights, _ = networkx_arrays(G, "weight")
        n = len(nodes)
        side = np.zeros(n, np.int8)
        side[random.Random(t).sample(range(n), n // 2)] = 1
        rows = reference.adjacency_dicts(nx.convert_node_labels_to_integers(G))
        expected = reference.kl_bisection(rows, list(range(n)), dict(enumerate(side.tolist())))
        kl_refine(indptr, indices, weights, side, 10)
        assert dict(enumerate(side.tolist())) == expected, t


def test_quality_against_brute_force_optimum():
    """KL from a few random starts is within 5% of the optimum in aggregate."""
    total_kl = total_opt = 0
    for t in range(40):
        r = random.Random(100 + t)
        n = r.randint(6, 14)
        G = reference.random_weighted_graph(n, 0.35, 100 + t, "int")
        rows = reference.adjacency_dicts(G)
        opt = reference.brute_force_bisection(rows)
        best = min(nx.cut_size(G, kernighan_lin_bisection(G, seed=s)[0], weight="weight") for s in range(4))
        assert best >= opt
        total_kl += best
        total_opt += opt
    assert total_kl <= 1.05 * total_opt


def test_lifo_cuts_at_least_as_good_as_networkx_on_meshes():
    ratios = []
    for seed in range(3):
        G = nx.convert_node_labels_to_integers(nx.grid_2d_graph(30, 30))
        ours = nx.cut_size(G, kernighan_lin_bisection(G, seed=seed)[0])
        theirs = nx.cut_size(G, nx.community.kernighan_lin_bisection(G, seed=seed)[0])
        ratios.append(ours / theirs)
    assert np.exp(np.mean(np.log(ratios))) <= 1.0


# --------------------------------------------------------------------------
# properties
# --------------------------------------------------------------------------
@st.composite
def graphs_and_partitions(draw):
    n = draw(st.integers(2, 30))
    edges = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.integers(1, 6)),
            max_size=4 * n,
        )
    )
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(edges)
    first = draw(st.sets(st.integers(0, n - 1)))
    return G, (first, set(range(n)) - first)


@settings(max_examples=150, deadline=None)
@given(graphs_and_partitions(), st.integers(0, 4))
def test_properties(case, max_iter):
    G, start = case
    A, B = kernighan_lin_bisection(G, start, max_iter=max_iter)
    # a valid partition with the starting sizes (NetworkX order: partition[1]'s side first)
    assert A | B == set(G) and not A & B
    assert len(A) == len(start[1]) and len(B) == len(start[0])
    # the cut never gets worse
    assert nx.cut_size(G, A, weight="weight") <= nx.cut_size(G, start[1], weight="weight")
    # deterministic
    assert kernighan_lin_bisection(G, start, max_iter=max_iter) == (A, B)


def test_history_reports_applied_gains():
    G = nx.convert_node_labels_to_integers(nx.grid_2d_graph(12, 12))
    g = from_networkx(G)
    side = np.zeros(g.num_nodes, np.int8)
    side[np.random.default_rng(0).permutation(g.num_nodes)[: g.num_nodes // 2]] = 1
    before = nx.cut_size(G, set(np.flatnonzero(side).tolist()))
    history = kl_refine(g.indptr, g.indices, g.edge_weights, side, 10)
    after = nx.cut_size(G, set(np.flatnonzero(side).tolist()))
    assert before + history.sum() == after


def test_klpart_namespace_is_lazy():
    import subprocess
    import sys

    code = "import klpart, sys; print('numba' in sys.modules, 'networkx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
    assert "kernighan_lin_bisection" in dir(klpart)


def test_compiled_shuffle_replays_cpython_and_leaves_the_same_state():
    from klpart._rng import shuffled_order

    for n in (0, 1, 2, 3, 17, 1000, 5000):
        for seed in range(3):
            theirs, ours = random.Random(seed), random.Random(seed)
            order = list(range(n))
            theirs.shuffle(order)
            assert shuffled_order(n, ours).tolist() == order
            assert ours.getstate() == theirs.getstate()


def test_kernel_rng_is_deterministic_and_in_range():
    from klpart._kernels.rng import below, permutation
    from klpart._rng import kernel_state

    a, b = kernel_state(42), kernel_state(42)
    pa, pb = permutation(a, 1000), permutation(b, 1000)
    np.testing.assert_array_equal(pa, pb)
    assert sorted(pa.tolist()) == list(range(1000))
    draws = [below(a, 7) for _ in range(2000)]
    assert set(draws) == set(range(7))
    assert not np.array_equal(permutation(kernel_state(1), 50), permutation(kernel_state(2), 50))


def test_kl_trace_replays_the_drop_in_and_networkx():
    from klpart import kl_trace

    G = nx.random_geometric_graph(300, 0.1, seed=4)
    for seed in range(3):
        t = kl_trace(G, seed=seed)
        assert t.partition == kernighan_lin_bisection(G, seed=seed)
        for p in t.passes:
            change = p.running[p.best - 1] if p.best else 0
            assert p.cut_after - p.cut_before == change
            assert np.allclose(np.cumsum(-p.gains), p.running)
            assert len(p.pairs) == len(p.running)
        assert t.passes[-1].best == 0 or len(t.passes) == 10
        t_nx = kl_trace(G, seed=seed, tie_break="networkx")
        assert t_nx.partition == nx.community.kernighan_lin_bisection(G, seed=seed)
    with pytest.raises(ValueError, match="tie_break"):
        kl_trace(G, tie_break="fifo")
