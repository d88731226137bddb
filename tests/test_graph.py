"""CSRGraph and conversion: NetworkX and SciPy as oracles, bad input."""

import copy
import pickle

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from klpart import CSRGraph, as_csr_graph, from_arrays, from_networkx, from_scipy

from .reference import adjacency_dicts, random_weighted_graph


def dense_of(g):
    """Dense adjacency (self-loops on the diagonal) of a CSRGraph."""
    return g.to_scipy().toarray()


def nx_dense(G, weight="weight"):
    """NetworkX's own adjacency matrix: the oracle for conversions."""
    return nx.to_scipy_sparse_array(G, nodelist=list(G), weight=weight).toarray()


@pytest.mark.parametrize("weights", [None, "int", "float"])
@pytest.mark.parametrize("multigraph", [False, True])
@pytest.mark.parametrize("self_loops", [False, True])
def test_from_networkx_matches_networkx_adjacency(weights, multigraph, self_loops):
    for seed in range(5):
        G = random_weighted_graph(25, 0.2, seed, weights, multigraph, self_loops)
        g = from_networkx(G)
        assert g.nodes == list(G)
        expected = nx_dense(G)
        got = dense_of(g)
        # NetworkX puts a self-loop's weight once on the diagonal, as we do
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
        assert g.edge_weights.dtype == (np.float64 if weights == "float" else np.int64)
        assert (np.diag(got) == 0).all() or self_loops


def test_unit_weights_and_node_weights():
    G = nx.Graph()
    G.add_node("a", size=3)
    G.add_node("b")
    G.add_edge("a", "b", weight=7)
    g = from_networkx(G, weight=None, node_weight="size")
    assert g.edge_weights.tolist() == [1, 1]
    assert g.node_weights.tolist() == [3, 1]
    assert g.total_node_weight == 4


def test_multigraph_parallel_edges_summed_and_unit_counts_multiplicity():
    M = nx.MultiGraph()
    M.add_edge(0, 1, weight=2)
    M.add_edge(0, 1, weight=5)
    M.add_edge(1, 2)
    g = from_networkx(M)
    assert dense_of(g)[0, 1] == 7 and dense_of(g)[1, 2] == 1
    g1 = from_networkx(M, weight=None)
    assert dense_of(g1)[0, 1] == 2  # two parallel edges of unit weight


def test_callable_weight_and_hidden_edges():
    G = nx.path_graph(4)
    g = from_networkx(G, weight=lambda u, v, d: None if {u, v} == {1, 2} else u + v)
    A = dense_of(g)
    assert A[0, 1] == 1 and A[2, 3] == 5 and A[1, 2] == 0 and A[2, 1] == 0


def test_callable_weight_asymmetric_is_an_error():
    G = nx.path_graph(3)
    with pytest.raises(ValueError, match=r"not symmetric at edge"):
        from_networkx(G, weight=lambda u, v, d: u)


def test_arbitrary_hashable_labels_keep_order():
    G = nx.Graph([(("x", 1), frozenset({2})), (frozenset({2}), 3.5)])
    g = from_networkx(G)
    assert g.nodes == list(G)
    assert g.index_of(3.5) == 2
    H = g.to_networkx()
    assert nx.utils.graphs_equal(H, nx.Graph(G)) or set(H.edges) == set(G.edges)


def test_integer_labels_out_of_order():
    G = nx.Graph()
    G.add_edges_from([(2, 0), (0, 1)])  # list(G) == [2, 0, 1]
    g = from_networkx(G)
    assert g.nodes == [2, 0, 1]
    np.testing.assert_array_equal(dense_of(g), nx_dense(G))


@pytest.mark.parametrize(
    "fmt", ["csr", "csc", "coo", "lil", "dok", "bsr", "dia"]
)
@pytest.mark.parametrize("kind", ["array", "matrix"])
def test_from_scipy_all_formats(fmt, kind):
    G = random_weighted_graph(30, 0.2, 3, "int", self_loops=True)
    A = nx.to_scipy_sparse_array(G, nodelist=sorted(G))
    M = (sp.csr_array if kind == "array" else sp.csr_matrix)(A).asformat(fmt)
    before = M.copy()
    g = as_csr_graph(M)
    np.testing.assert_array_equal(dense_of(g), A.toarray())
    # input untouched
    assert (abs(M - before)).sum() == 0 and M.format == fmt


def test_scipy_duplicates_summed_explicit_zeros_dropped():
    rows = [0, 1, 0, 1, 1, 2]
    cols = [1, 0, 1, 0, 2, 1]
    vals = [1, 1, 2, 2, 0, 0]
    g = from_scipy(sp.coo_array((vals, (rows, cols)), shape=(3, 3)))
    assert dense_of(g)[0, 1] == 3
    assert g.num_edges == 1


def test_from_arrays_and_dense_numpy():
    g = from_arrays([0, 2, 3, 4], [2, 1, 0, 0], [1.5, 2, 2, 1.5])
    A = dense_of(g)
    assert A[0, 2] == 1.5 and A[0, 1] == 2
    g2 = as_csr_graph(A)
    np.testing.assert_array_equal(dense_of(g2), A)


def test_float_weights_that_are_integral_become_int():
    G = nx.Graph([(0, 1, {"weight": 2.0}), (1, 2, {"weight": 3.0})])
    assert from_networkx(G).edge_weights.dtype == np.int64
    G[0][1]["weight"] = 2.5
    assert from_networkx(G).edge_weights.dtype == np.float64


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), -0.5])
def test_bad_edge_weight_names_the_edge(bad):
    G = nx.Graph([("a", "b"), ("b", "c", {"weight": bad})])
    with pytest.raises(ValueError, match=r"edge \('(b|c)', '(c|b)'\) has weight"):
        from_networkx(G)


def test_non_numeric_weight_is_type_error():
    G = nx.Graph([("a", "b", {"weight": "heavy"})])
    with pytest.raises(TypeError, match=r"edge \('a', 'b'\) has weight 'heavy'"):
        from_networkx(G)
    G["a"]["b"]["weight"] = None
    with pytest.raises(TypeError, match="real numbers"):
        from_networkx(G)


@pytest.mark.parametrize("bad", [-2.0, np.nan, np.inf])
def test_bad_matrix_entry_names_the_entry(bad):
    A = sp.csr_array(np.array([[0, 1, 0], [1, 0, bad], [0, bad, 0]]))
    with pytest.raises(ValueError, match=r"entry \((1, 2|2, 1)\)"):
        from_scipy(A)


def test_non_square_and_asymmetric_matrices():
    with pytest.raises(ValueError, match="square"):
        from_scipy(sp.csr_array(np.ones((2, 3))))
    with pytest.raises(ValueError, match=r"entry \(0, 1\) has no entry \(1, 0\)"):
        from_scipy(sp.csr_array(np.array([[0, 1], [0, 0]])))
    with pytest.raises(ValueError, match=r"\(0, 1\) = 1 but \(1, 0\) = 2"):
        from_scipy(sp.csr_array(np.array([[0, 1], [2, 0]])))
    with pytest.raises(TypeError, match="real"):
        from_scipy(sp.csr_array(np.array([[0, 1j], [1j, 0]])))


def test_directed_graph_not_implemented():
    with pytest.raises(nx.NetworkXNotImplemented):
        from_networkx(nx.DiGraph([(0, 1)]))
    with pytest.raises(nx.NetworkXNotImplemented):
        as_csr_graph(nx.MultiDiGraph([(0, 1)]))


def test_unsupported_input_type():
    with pytest.raises(TypeError, match="expected a NetworkX graph"):
        as_csr_graph([[0, 1], [1, 0]])
    with pytest.raises(TypeError, match="names a node attribute"):
        as_csr_graph(sp.eye_array(3).tocsr(), node_weight="size")


def test_bad_raw_arrays():
    with pytest.raises(ValueError, match="outside"):
        from_arrays([0, 1, 2], [1, 5])
    with pytest.raises(ValueError, match="start at 0"):
        from_arrays([1, 2, 2], [1, 0])
    with pytest.raises(ValueError, match="decreases"):
        CSRGraph([0, 2, 1, 2], [1, 2])


def test_csrgraph_validation():
    with pytest.raises(ValueError, match="not symmetric"):
        CSRGraph([0, 1, 1], [1])
    with pytest.raises(ValueError, match="diagonal"):
        CSRGraph([0, 1], [0])
    with pytest.raises(ValueError, match="duplicate"):
        CSRGraph([0, 2, 4], [1, 1, 0, 0])
    with pytest.raises(ValueError, match=r"node_weights\[1\]"):
        CSRGraph([0, 1, 2], [1, 0], node_weights=[1, -1])
    # unsorted rows are valid
    g = CSRGraph([0, 2, 3, 4], [2, 1, 0, 0])
    assert g.num_edges == 2


def test_bad_node_weights():
    G = nx.path_graph(3)
    G.nodes[1]["size"] = -4
    with pytest.raises(ValueError, match="node 1 has weight"):
        from_networkx(G, node_weight="size")
    G.nodes[1]["size"] = "big"
    with pytest.raises(TypeError, match="node 1 has weight 'big'"):
        from_networkx(G, node_weight="size")


def _exact_state(G):
    """Everything a conversion could change, with value types: ``1 == 1.0``
    and ``True == 1`` would let a conversion that rewrites attributes pass
    an equality check, and ``edges_equal`` ignores neighbour order."""
    return repr(
        (
            G.graph,
            list(G.nodes(data=True)),
            [(u, list(nbrs.items())) for u, nbrs in G.adj.items()],
        )
    )


def test_input_graph_not_mutated():
    G = random_weighted_graph(20, 0.3, 1, "float", multigraph=True, self_loops=True)
    for u in list(G)[:5]:
        G.nodes[u]["size"] = 2  # an int among float node weights: its type must survive
    before = _exact_state(G)
    from_networkx(G, node_weight="size")
    from_networkx(G, weight=lambda u, v, d: sum(x.get("weight", 1) for x in d.values()))
    assert _exact_state(G) == before
    # the check itself sees a mutation that equality would miss
    u = next(iter(G))
    G.nodes[u]["size"] = float(G.nodes[u]["size"])
    assert _exact_state(G) != before


def test_round_trip_to_networkx_and_pickle():
    G = random_weighted_graph(15, 0.3, 7, "int")
    g = from_networkx(G)
    H = g.to_networkx()
    assert adjacency_dicts(H) == adjacency_dicts(G)
    g2 = pickle.loads(pickle.dumps(g))
    np.testing.assert_array_equal(g2.indices, g.indices)


def test_empty_and_single_node_graphs():
    for G in (nx.Graph(), nx.empty_graph(1)):
        g = from_networkx(G)
        assert g.num_nodes == len(G) and g.num_edges == 0
    g = from_scipy(sp.csr_array((0, 0)))
    assert g.num_nodes == 0


def test_graph_views_convert_like_graphs():
    G = random_weighted_graph(30, 0.2, 2, "int")
    H = G.subgraph(range(0, 30, 2))
    np.testing.assert_array_equal(dense_of(from_networkx(H)), nx_dense(H))


def test_weight_none_ignores_stored_values_even_negative_ones():
    A = sp.csr_array(np.array([[0, -3.0, 0], [-3.0, 0, 2.0], [0, 2.0, 0]]))
    g = from_scipy(A, weight=None)
    assert g.edge_weights.tolist() == [1, 1, 1, 1]
    with pytest.raises(ValueError, match="non-negative"):
        from_scipy(A)


def test_linear_symmetry_check_agrees_with_the_binary_search_one():
    from klpart._kernels.csr import first_asymmetric_entry, is_symmetric

    rng = np.random.default_rng(0)
    for t in range(200):
        n = int(rng.integers(1, 12))
        M = rng.integers(0, 3, (n, n)) * (rng.random((n, n)) < 0.4)
        np.fill_diagonal(M, 0)
        if t % 2:
            M = M + M.T  # symmetric half of the time
        A = sp.csr_array(M)
        A.sort_indices()
        args = (A.indptr.astype(np.int64), A.indices.astype(np.int32), A.data.astype(np.int64))
        assert is_symmetric(*args) == (first_asymmetric_entry(*args) < 0) == (M == M.T).all()
