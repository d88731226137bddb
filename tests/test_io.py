"""klpart.io: METIS, partition, edge-list and Matrix Market files.

NetworkX (and small hand-written file writers below) are the oracles; the
malformed METIS corpus pins the exact error line of every error kind.
"""

import glob
import io
import os
import pathlib
import pickle
import random

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import klpart
from klpart import CSRGraph, as_csr_graph
from klpart.io import (
    GraphFormatError,
    MetisGraph,
    read_edgelist,
    read_graph,
    read_matrix_market,
    read_metis,
    read_partition,
    write_edgelist,
    write_matrix_market,
    write_metis,
    write_partition,
)
from klpart.io.metis import _parse_metis_fast, _parse_metis_slow

WALSHAW = pathlib.Path(__file__).resolve().parents[2] / "shared" / "graphs" / "walshaw"
if not WALSHAW.is_dir():
    WALSHAW = pathlib.Path("/work/shared/graphs/walshaw")

ALL_FMTS = ["", "1", "10", "11", "100", "101", "110", "111", "011", "001", "010"]


# --------------------------------------------------------------------------
# helpers (independent of klpart.io)
# --------------------------------------------------------------------------
def random_graph(n, p, seed, isolated=0):
    """A gnp graph with random integer weights, sizes and a few isolated
    nodes, relabelled 0..n-1 in a shuffled order (so rows are not sorted)."""
    rng = random.Random(seed)
    G = nx.gnp_random_graph(n, p, seed=seed)
    G.add_nodes_from(range(n, n + isolated))
    for u, v in G.edges:
        G.edges[u, v]["weight"] = rng.randint(0, 9)
    for u in G:
        G.nodes[u]["weight"] = rng.randint(0, 9)
        G.nodes[u]["size"] = rng.randint(0, 9)
    # rebuild with shuffled adjacency order so file neighbour order matters
    H = nx.Graph()
    H.add_nodes_from(G.nodes(data=True))
    edges = list(G.edges(data=True))
    rng.shuffle(edges)
    H.add_edges_from(edges)
    return H


def metis_text(G, fmt):
    """A METIS file of ``G`` (nodes 0..n-1) written by hand for ``fmt``."""
    code = int(fmt or "0")
    s, w, e = code // 100, code // 10 % 10, code % 10
    lines = [f"{G.number_of_nodes()} {G.number_of_edges()}" + (f" {fmt}" if fmt else "")]
    for u in range(G.number_of_nodes()):
        words = []
        if s:
            words.append(G.nodes[u]["size"])
        if w:
            words.append(G.nodes[u]["weight"])
        for v, d in G.adj[u].items():
            words.append(v + 1)
            if e:
                words.append(d["weight"])
        lines.append(" ".join(map(str, words)))
    return "\n".join(lines) + "\n"


def edge_weights_of(G, weight="weight", default=1):
    """{frozenset({u, v}): w} of an undirected graph (self-loops too)."""
    return {frozenset((u, v)): d.get(weight, default) for u, v, d in G.edges(data=True)}


def arrays_equal(g, h):
    assert g.num_nodes == h.num_nodes
    np.testing.assert_array_equal(g.indptr, h.indptr)
    np.testing.assert_array_equal(g.indices, h.indices)
    np.testing.assert_array_equal(g.edge_weights, h.edge_weights)
    np.testing.assert_array_equal(g.node_weights, h.node_weights)
    assert g.edge_weights.dtype == h.edge_weights.dtype
    for a, b in ((g.loop_weights, h.loop_weights),):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_array_equal(a, b)


def assert_valid(g):
    """The arrays satisfy every CSRGraph invariant (full validation)."""
    CSRGraph(
        g.indptr, g.indices, g.edge_weights, g.node_weights, loop_weights=g.loop_weights,
        nodes=g.nodes,
    )
    assert g.indptr.dtype == np.int64 and g.indices.dtype == np.int32


# --------------------------------------------------------------------------
# METIS: reading against NetworkX
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ALL_FMTS)
def test_read_metis_matches_networkx_for_every_fmt(tmp_path, fmt):
    code = int(fmt or "0")
    s, w, e = code // 100, code // 10 % 10, code % 10
    for seed in range(3):
        G = random_graph(30, 0.15, seed, isolated=2)
        path = tmp_path / f"g{seed}.graph"
        path.write_text(metis_text(G, fmt))
        g = read_metis(path)
        assert isinstance(g, MetisGraph) and isinstance(g, CSRGraph)
        assert g.nodes is None and g.num_nodes == 32 and g.num_edges == G.number_of_edges()
        assert g.edge_weights.dtype == np.int64 and g.node_weights.dtype == np.int64
        expected = {k: (v if e else 1) for k, v in edge_weights_of(G).items()}
        assert edge_weights_of(g.to_networkx()) == expected
        nw = [G.nodes[u]["weight"] if w else 1 for u in range(32)]
        sz = [G.nodes[u]["size"] if s else 1 for u in range(32)]
        assert g.node_weights.tolist() == nw
        assert g.node_sizes.tolist() == sz
        # each row keeps the file's neighbour order
        for u in (0, 5, 17):
            row = g.indices[g.indptr[u]:g.indptr[u + 1]].tolist()
            assert row == list(G.adj[u])
        assert_valid(g)


@pytest.mark.parametrize("fmt", ALL_FMTS)
def test_metis_round_trip_identical_arrays(tmp_path, fmt):
    code = int(fmt or "0")
    s, w, e = code // 100, code // 10 % 10, code % 10
    G = random_graph(40, 0.1, 7, isolated=3)
    first = tmp_path / "a.graph"
    first.write_text(metis_text(G, fmt))
    g = read_metis(first)
    for out_fmt in (fmt, None):
        second = tmp_path / "b.graph"
        write_metis(g, second, fmt=out_fmt)
        h = read_metis(second)
        arrays_equal(g, h)
        np.testing.assert_array_equal(g.node_sizes, h.node_sizes)
        header = second.read_text().splitlines()[0].split()
        if out_fmt is None:  # the smallest code: flags only for non-unit data
            need = tuple((a != 1).any() for a in (g.node_sizes, g.node_weights, g.edge_weights))
            assert need == (bool(s), bool(w), bool(e))  # random data is never all ones
            assert header[2:] == ([fmt.lstrip("0")] if code else [])
        else:
            assert header[2:] == ([fmt] if fmt else [])


def test_write_metis_from_networkx_and_scipy(tmp_path):
    G = nx.Graph()
    G.add_edge("a", "b", weight=4)
    G.add_edge("b", "c", weight=1)
    G.add_node("z")
    path = tmp_path / "g.graph"
    write_metis(G, path)
    assert path.read_text() == "4 2 1\n2 4\n1 4 3 1\n2 1\n\n"
    g = read_metis(path)
    assert edge_weights_of(g.to_networkx()) == {frozenset({0, 1}): 4, frozenset({1, 2}): 1}
    write_metis(G, path, weight=None)
    assert path.read_text().splitlines()[0] == "4 2"
    G.nodes["a"]["w"] = 7
    write_metis(G, path, node_weight="w")
    assert path.read_text().splitlines()[:2] == ["4 2 11", "7 2 4"]
    write_metis(g.to_scipy(), path)
    arrays_equal(read_metis(path), g)


def test_write_metis_node_sizes_and_integral_floats(tmp_path):
    g = CSRGraph([0, 1, 2], [1, 0], np.array([2.0, 2.0]), np.array([3.0, 1.0]))
    path = tmp_path / "g.graph"
    write_metis(g, path, node_sizes=[5, 1])
    assert path.read_text() == "2 1 111\n5 3 2 2\n1 1 1 2\n"
    h = read_metis(path)
    assert h.node_sizes.tolist() == [5, 1] and h.edge_weights.tolist() == [2, 2]


def test_write_metis_does_not_mutate_input(tmp_path):
    g = as_csr_graph(random_graph(20, 0.2, 3))
    before = [a.copy() for a in (g.indptr, g.indices, g.edge_weights, g.node_weights)]
    write_metis(g, tmp_path / "g.graph", fmt="111")
    for a, b in zip(before, (g.indptr, g.indices, g.edge_weights, g.node_weights)):
        np.testing.assert_array_equal(a, b)


def test_read_metis_layout_details(tmp_path):
    # comments anywhere, blank lines before the header, CRLF, tabs, a BOM,
    # trailing blanks, no final newline, isolated nodes (blank node lines)
    text = (
        "\ufeff% leading comment\r\n\r\n  % indented comment\n"
        "5 3 \t\n"
        "2\t4\r\n"
        "% between nodes\n"
        "1 4\n"
        "\n"
        "1 2   \n"
        "\n"
        "%trailing comment\n\n\n"
    )
    path = tmp_path / "g.graph"
    path.write_bytes(text.encode())
    g = read_metis(path)
    assert g.num_nodes == 5 and g.num_edges == 3
    assert g.indptr.tolist() == [0, 2, 4, 4, 6, 6]
    assert g.indices.tolist() == [1, 3, 0, 3, 0, 1]
    path.write_bytes(b"2 1\n2\n1")
    assert read_metis(path).num_edges == 1
    path.write_bytes(b"0 0\n")
    assert read_metis(path).num_nodes == 0
    path.write_bytes(b"3 0\n\n\n\n")
    assert read_metis(path).num_nodes == 3
    # header fmt as METIS reads it: an integer ("0011" is 11), ncon 0 or 1
    path.write_bytes(b"2 1 0011 1\n7 2 5\n1 1 5\n")
    h = read_metis(path)
    assert h.node_weights.tolist() == [7, 1] and h.edge_weights.tolist() == [5, 5]
    # zero weights are accepted (CSRGraph allows them)
    path.write_bytes(b"2 1 11\n0 2 0\n0 1 0\n")
    assert read_metis(path).edge_weights.tolist() == [0, 0]


def test_read_metis_streams_and_paths(tmp_path):
    text = "3 2\n2\n1 3\n2\n"
    p = tmp_path / "p.graph"
    p.write_text(text)
    for source in (str(p), p, io.StringIO(text), io.BytesIO(text.encode())):
        assert read_metis(source).num_edges == 2
    with open(p) as f:
        assert read_metis(f).num_edges == 2
    bad = tmp_path / "bad.graph"
    bad.write_text("3 2\n2\n1 4\n2\n")
    with open(bad) as f, pytest.raises(GraphFormatError, match=r"bad\.graph:3: "):
        read_metis(f)
    with pytest.raises(GraphFormatError, match=r"^<stream>:3: "):
        read_metis(io.StringIO("3 2\n2\n1 4\n2\n"))
    with pytest.raises(TypeError):
        read_metis(3.5)


def test_metis_graph_behaves_like_csr_graph(tmp_path):
    G = nx.karate_club_graph()
    path = tmp_path / "karate.graph"
    write_metis(G, path, weight=None)
    g = read_metis(path)
    assert as_csr_graph(g) is g
    assert nx.utils.graphs_equal(g.to_networkx(weight=None), nx.Graph(list(G.edges)))
    h = pickle.loads(pickle.dumps(g))
    arrays_equal(g, h)
    np.testing.assert_array_equal(h.node_sizes, g.node_sizes)
    A, B = klpart.kernighan_lin_bisection(g, seed=1)
    assert len(A) + len(B) == 34 and not A & B
    with pytest.raises(ValueError, match="node_sizes"):
        MetisGraph([0, 0], np.zeros(0, np.int32), node_sizes=[-1])


# --------------------------------------------------------------------------
# METIS: the malformed corpus, one file per error kind, exact line numbers
# --------------------------------------------------------------------------
MALFORMED = [
    # (file name, contents, line, fragment of the message); most files are
    # edits of '4 4 / 2 3 / 1 3 / 1 2 4 / 3', a triangle 1-2-3 and a pendant node 4
    ('header_not_integer.graph', '4 x\n2 3\n1 3\n1 2 4\n3\n',
     1, "'x' is not a non-negative integer"),
    ('header_float.graph', '% c\n4.0 4\n2 3\n1 3\n1 2 4\n3\n',
     2, "'4.0' is not a non-negative"),
    ('header_too_few.graph', '4\n2 3\n1 3\n1 2 4\n3\n',
     1, 'header has 1 field;'),
    ('header_too_many.graph', '4 4 0 1 9\n2 3\n1 3\n1 2 4\n3\n',
     1, 'header has 5 fields'),
    ('header_negative.graph', '-4 4\n2 3\n1 3\n1 2 4\n3\n',
     1, "'-4' is negative"),
    ('header_after_comments.graph', '% a\n\n% b\n4 4 x\n',
     4, "fmt 'x' is not a non-negative"),
    ('bad_fmt.graph', '4 4 12\n2 3\n1 3\n1 2 4\n3\n',
     1, "fmt '12' is not a METIS format code"),
    ('bad_fmt_long.graph', '4 4 1000\n2 3\n1 3\n1 2 4\n3\n',
     1, "fmt '1000' is not a METIS"),
    ('ncon.graph', '4 4 10 2\n1 2 3\n1 1 3\n1 1 2 4\n1 3\n',
     1, 'ncon = 2: multi-constraint'),
    ('edge_count.graph', '4 5\n2 3\n1 3\n1 2 4\n3\n',
     1, 'm = 5 edges, but the node lines list 4'),
    ('too_many_nodes.graph', '3000000000 0\n',
     1, '3000000000 nodes is too many'),
    ('odd_pairs.graph', '4 4 1\n2 1 3\n1 1 3 1\n1 1 2 1 4 1\n3 1\n',
     2, 'node 1 has 3 numbers, an odd count'),
    ('odd_after_weight.graph', '2 1 11\n1 2\n1 1 1\n',
     2, 'node 1 has 1 number after its weight, an odd'),
    ('missing_weight.graph', '2 1 10\n1 2\n\n',
     3, 'node 2 has 0 numbers, but fmt 10 needs a node weight'),
    ('missing_size.graph', '2 1 110\n\n5 1 1\n',
     2, 'node 1 has 0 numbers, but fmt 110 needs a node size, then a node weight'),
    ('id_zero.graph', '% c\n4 4\n2 3\n1 0\n1 2 4\n3\n',
     4, 'node 2: neighbour id 0 is out of range 1..4'),
    ('id_too_big.graph', '4 4\n2 3\n1 3\n1 2 5\n3\n',
     4, 'node 3: neighbour id 5 is out of range 1..4'),
    ('missing_reverse.graph', '4 4\n2 3\n1 3\n1 2 4\n\n',
     4, 'node 3 lists neighbour 4, but node 4 (line 5) does not list 3'),
    ('missing_reverse_comments.graph', '4 3\n2 3\n% x\n1\n1 2\n\n',
     5, 'node 3 lists neighbour 2, but node 2 (line 4) does not list 3'),
    ('weight_mismatch.graph', '3 2 1\n2 5\n1 5 3 1\n2 2\n',
     3, 'edge 2-3 has weight 1 here but weight 2 on line 4 (node 3)'),
    ('self_loop.graph', '3 2\n2\n1 2 3\n2\n',
     3, 'node 2 lists itself'),
    ('duplicate.graph', '3 2\n2 2\n1 1 3\n2\n',
     2, 'node 1 lists neighbour 2 twice'),
    ('token_float.graph', '3 2\n2\n1 3.0\n2\n',
     3, "node 2: neighbour id '3.0' is not a non-negative integer"),
    ('token_glued.graph', '3 2\n2\n1 3x\n2\n',
     3, "'3x' is not"),
    ('token_bytes.graph', b'3 2\n2\n1 \xff3\n2\n',
     3, 'is not a non-negative integer'),
    ('inline_comment.graph', '3 2\n2 % x\n1 3\n2\n',
     2, "'%' is not"),
    ('negative_edge_weight.graph', '3 2 1\n2 -5\n1 -5 3 1\n2 1\n',
     2, "weight of edge to 2 '-5' is negative"),
    ('negative_node_weight.graph', '2 1 10\n-1 2\n1 1\n',
     2, "node 1: weight '-1' is negative"),
    ('negative_size.graph', '2 1 100\n-1 2\n1 1\n',
     2, "node 1: size '-1' is negative"),
    ('huge_weight.graph', '2 1 1\n2 99999999999999999999\n1 99999999999999999999\n',
     2, 'is too large'),
    ('fewer_lines.graph', '4 4\n2 3\n1 3\n1 2 4\n',
     5, 'the file ends after 3 of the 4 node lines declared on line 1'),
    ('fewer_lines_huge_n.graph', '% c\n1000000000 4\n2\n1\n',
     5, 'ends after 2 of the 1000000000 node lines declared on line 2'),
    ('extra_lines.graph', '4 4\n2 3\n1 3\n1 2 4\n3\n\n1\n',
     7, 'unexpected data after the 4 node lines declared on line 1'),
    ('empty.graph', '',
     1, "no header line 'n m [fmt [ncon]]': the file is empty"),
    ('only_comments.graph', '% a\n\n%b\n',
     4, 'the file has only comments and blank lines'),
]


@pytest.mark.parametrize("name, text, line, fragment", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_malformed_metis_names_file_and_exact_line(tmp_path, name, text, line, fragment):
    path = tmp_path / name
    data = text if isinstance(text, bytes) else text.encode()
    path.write_bytes(data)
    with pytest.raises(GraphFormatError) as info:
        read_metis(path)
    exc = info.value
    assert isinstance(exc, ValueError)
    message = str(exc)
    assert message.startswith(f"{path}:{line}: "), message
    assert name in message and exc.line == line and exc.filename == str(path)
    assert fragment in message, message
    assert _parse_metis_fast(data) is None
    # the exception survives pickling (multiprocessing, pytest-xdist)
    again = pickle.loads(pickle.dumps(exc))
    assert str(again) == message and again.line == line


def test_read_metis_slow_path_reads_what_fast_path_declines(tmp_path):
    # 19-digit weights fit an int64 but the kernel leaves them to Python
    big = 10**18 + 7
    path = tmp_path / "big.graph"
    path.write_text(f"2 1 1\n2 {big}\n1 {big}\n")
    assert _parse_metis_fast(path.read_bytes()) is None
    assert read_metis(path).edge_weights.tolist() == [big, big]


# --------------------------------------------------------------------------
# METIS: fuzzing (only GraphFormatError, fast path agrees with slow path)
# --------------------------------------------------------------------------
def check_parse(data):
    """read_metis either raises GraphFormatError or returns a valid graph;
    the fast path never accepts what the reference parser rejects and never
    disagrees with it."""
    try:
        reference = _parse_metis_slow(data, "fuzz.graph")
    except GraphFormatError as exc:
        assert str(exc).startswith("fuzz.graph:")
        reference = None
    fast = _parse_metis_fast(data)
    if reference is None:
        assert fast is None
        with pytest.raises(GraphFormatError):
            read_metis(io.BytesIO(data))
        return
    assert_valid(reference)
    if fast is not None:
        arrays_equal(fast, reference)
        np.testing.assert_array_equal(fast.node_sizes, reference.node_sizes)
    arrays_equal(read_metis(io.BytesIO(data)), reference)


FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=200))
def test_fuzz_random_bytes(data):
    check_parse(data)


@FUZZ
@given(st.text(alphabet="0123 \n%-\t\rx", max_size=120))
def test_fuzz_near_metis_text(text):
    check_parse(text.encode())


@st.composite
def edited_metis_files(draw):
    n = draw(st.integers(0, 8))
    seed = draw(st.integers(0, 10**6))
    fmt = draw(st.sampled_from(ALL_FMTS))
    G = random_graph(n, 0.4, seed) if n else nx.Graph()
    lines = metis_text(G, fmt).split("\n")
    if draw(st.booleans()):
        lines.insert(draw(st.integers(0, len(lines))), "% comment")
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "token", "insert", "truncate"]))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "token":
            words = lines[i].split()
            new = draw(st.sampled_from(["0", "1", "2", "9", "-1", "x", "1.5", "", "9" * 20]))
            if words:
                words[draw(st.integers(0, len(words) - 1))] = new
            else:
                words = [new]
            lines[i] = " ".join(words)
        elif kind == "insert":
            lines.insert(i, draw(st.sampled_from(["", "1", "2 3", "%", "1 1 1"])))
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines).encode()


@FUZZ
@given(edited_metis_files())
def test_fuzz_line_edits_of_valid_files(data):
    check_parse(data)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(0, 10**6), st.sampled_from(ALL_FMTS))
def test_valid_files_take_the_fast_path(n, seed, fmt):
    data = metis_text(random_graph(n, 0.3, seed), fmt).encode()
    fast = _parse_metis_fast(data)
    assert fast is not None
    arrays_equal(fast, _parse_metis_slow(data, "x"))


# --------------------------------------------------------------------------
# the Walshaw benchmark graphs
# --------------------------------------------------------------------------
WALSHAW_FILES = sorted(glob.glob(str(WALSHAW / "*.graph")))


@pytest.mark.skipif(not WALSHAW_FILES, reason=f"no Walshaw graphs in {WALSHAW}")
@pytest.mark.parametrize("path", WALSHAW_FILES, ids=[os.path.basename(p) for p in WALSHAW_FILES])
def test_walshaw_graphs_read_with_header_sizes(path):
    with open(path, "rb") as f:
        header = next(line for line in f if line.strip() and not line.lstrip().startswith(b"%"))
    n, m = map(int, header.split()[:2])
    g = read_metis(path)
    assert (g.num_nodes, g.num_edges) == (n, m)
    assert g.indices.shape[0] == 2 * m and g.indptr[-1] == 2 * m


# --------------------------------------------------------------------------
# METIS writer: bad arguments
# --------------------------------------------------------------------------
def test_write_metis_rejects_float_weights(tmp_path):
    G = nx.Graph([(0, 1, {"weight": 0.5}), (1, 2, {"weight": 2})])
    message = r"edge \(0, 1\) has weight 0\.5: METIS files store integer"
    with pytest.raises(ValueError, match=message):
        write_metis(G, tmp_path / "g.graph")
    G = nx.Graph([(0, 1)])
    G.nodes[1]["w"] = 1.5
    with pytest.raises(ValueError, match=r"node 1 has weight 1\.5"):
        write_metis(G, tmp_path / "g.graph", node_weight="w")
    assert not (tmp_path / "g.graph").exists()


def test_write_metis_rejects_self_loops(tmp_path):
    G = nx.Graph([("a", "b"), ("b", "b")])
    with pytest.raises(ValueError, match=r"node 'b' has a self-loop"):
        write_metis(G, tmp_path / "g.graph")


def test_write_metis_fmt_checks(tmp_path):
    G = nx.Graph([(0, 1, {"weight": 3})])
    with pytest.raises(ValueError, match="no flag for edge weights"):
        write_metis(G, tmp_path / "g.graph", fmt="10")
    for bad in ("2", "1111", "abc", 12, True, 1.0):
        with pytest.raises(ValueError, match="not a METIS format code"):
            write_metis(G, tmp_path / "g.graph", fmt=bad)
    write_metis(G, tmp_path / "g.graph", fmt=111)
    assert (tmp_path / "g.graph").read_text() == "2 1 111\n1 1 2 3\n1 1 1 3\n"
    with pytest.raises(ValueError, match="no flag for node sizes"):
        write_metis(G, tmp_path / "g.graph", fmt="11", node_sizes=[2, 1])


def test_write_metis_to_streams():
    g = as_csr_graph(nx.path_graph(3))
    text, binary = io.StringIO(), io.BytesIO()
    write_metis(g, text)
    write_metis(g, binary)
    assert text.getvalue() == binary.getvalue().decode() == "3 2\n2\n1 3\n2\n"


# --------------------------------------------------------------------------
# partition files
# --------------------------------------------------------------------------
def test_partition_round_trip_and_gpmetis_name(tmp_path):
    labels = np.array([0, 2, 1, 1, 0, 2], np.int32)
    graph_path = tmp_path / "mesh.graph"
    out = write_partition(labels, graph_path=graph_path, k=3)
    assert out == f"{graph_path}.part.3"
    assert pathlib.Path(out).read_text() == "0\n2\n1\n1\n0\n2\n"
    got = read_partition(out, n=6)
    assert got.dtype == np.int64 and got.tolist() == labels.tolist()
    assert write_partition([0, 1, 4], graph_path=str(graph_path)).endswith("mesh.graph.part.5")
    p = tmp_path / "explicit.part"
    assert write_partition([1, 0], p) == p
    assert read_partition(p).tolist() == [1, 0]
    assert write_partition(np.array([1.0, 0.0]), p) == p
    assert read_partition(io.StringIO("% gpmetis\n# kahip\n3\n  4\r\n")).tolist() == [3, 4]
    assert read_partition(io.StringIO("")).tolist() == []
    # block ids size arrays downstream: ids past max(n, 2**20) are refused (issue 19, C5)
    assert read_partition(io.StringIO("1048575\n")).tolist() == [2**20 - 1]
    with pytest.raises(GraphFormatError, match=r"<stream>:1: .*too large"):
        read_partition(io.StringIO(f"{10**18 + 1}\n"))


@pytest.mark.parametrize(
    "text, n, line, fragment",
    [
        ("0\n1\n\n1\n", None, 3, "found a blank line"),
        ("0\n1 1\n", None, 2, "found 2 tokens"),
        ("0\n-1\n", None, 2, "block id of node 1 '-1' is negative"),
        ("0\nx\n", None, 2, "'x' is not a non-negative integer"),
        ("0\n1.0\n", None, 2, "'1.0' is not"),
        ("0\n1\n", 3, 3, "expected 3 block ids (one per node), the file ends after 2"),
        ("% c\n0\n1\n1\n", 2, 4, "more block ids than the 2 nodes expected"),
        ("0\n99999999999999999999\n", None, 2, "too large"),
    ],
)
def test_read_partition_errors(tmp_path, text, n, line, fragment):
    path = tmp_path / "g.graph.part.2"
    path.write_text(text)
    with pytest.raises(GraphFormatError) as info:
        read_partition(path, n=n)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert fragment in str(info.value)


def test_partition_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="negative"):
        write_partition([0, -1], tmp_path / "p")
    with pytest.raises(ValueError, match="not below k = 2"):
        write_partition([0, 2], tmp_path / "p", k=2)
    with pytest.raises(ValueError, match="not an integer"):
        write_partition([0, 0.5], tmp_path / "p")
    with pytest.raises(TypeError, match="path or a graph_path"):
        write_partition([0, 1])
    with pytest.raises(ValueError, match="not both"):
        write_partition([0, 1], tmp_path / "p", graph_path=tmp_path / "g.graph")
    with pytest.raises(ValueError, match="one-dimensional"):
        write_partition([[0, 1]], tmp_path / "p")
    with pytest.raises(ValueError, match="non-negative integer"):
        read_partition(io.StringIO("0\n"), n=-1)
    with pytest.raises(FileNotFoundError):
        read_partition(tmp_path / "missing.part")


# --------------------------------------------------------------------------
# edge lists
# --------------------------------------------------------------------------
def test_edgelist_weighted_matches_networkx(tmp_path):
    text = "# comment\na b 2\nb c 0.5  # trailing comment\n\nc a 3\nd d 4\n"
    path = tmp_path / "g.edgelist"
    path.write_text(text)
    g = read_edgelist(path)
    G = nx.read_edgelist(path, data=(("weight", float),))
    assert g.nodes == ["a", "b", "c", "d"] == list(G)
    assert edge_weights_of(g.to_networkx()) == edge_weights_of(G)
    assert g.loop_weights.tolist() == [0, 0, 0, 4]
    assert g.edge_weights.dtype == np.float64
    assert_valid(g)


def test_edgelist_unweighted_nodetype_and_order(tmp_path):
    path = tmp_path / "g.edges"
    path.write_text("3 1\n1 2\n2 3\n5 7\n")
    g = read_edgelist(path, nodetype=int)
    G = nx.read_edgelist(path, nodetype=int)
    assert g.nodes == [3, 1, 2, 5, 7] == list(G)
    assert edge_weights_of(g.to_networkx()) == edge_weights_of(G)
    assert g.edge_weights.dtype == np.int64
    # each row lists neighbours in edge order, as NetworkX does
    for u in G:
        row = g.indices[g.indptr[g.index_of(u)]:g.indptr[g.index_of(u) + 1]]
        assert [g.nodes[v] for v in row] == list(G.adj[u])
    # explicit weighted=False ignores a weight column
    path.write_text("a b 9\nb c 8\n")
    assert read_edgelist(path, weighted=False).edge_weights.tolist() == [1, 1, 1, 1]


def test_edgelist_duplicates(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("a b 2\nb c 1\nb a 5\na a 1\na a 2\n")
    summed = read_edgelist(path)
    M = nx.MultiGraph()
    M.add_weighted_edges_from(
        [("a", "b", 2), ("b", "c", 1), ("b", "a", 5), ("a", "a", 1), ("a", "a", 2)]
    )
    np.testing.assert_array_equal(summed.to_scipy().toarray(), as_csr_graph(M).to_scipy().toarray())
    last = read_edgelist(path, duplicates="last")
    G = nx.read_edgelist(path, data=(("weight", int),))
    assert edge_weights_of(last.to_networkx()) == edge_weights_of(G)
    message = r"g\.txt:3: duplicate edge 'a' - 'b', first listed on line 1"
    with pytest.raises(GraphFormatError, match=message):
        read_edgelist(path, duplicates="error")
    with pytest.raises(ValueError, match="duplicates"):
        read_edgelist(path, duplicates="max")


def test_edgelist_delimiter_and_no_comments(tmp_path):
    path = tmp_path / "g.csv"
    path.write_text("a, b, 1\nb,#c,2\n")
    g = read_edgelist(path, delimiter=",", comments=None)
    assert g.nodes == ["a", "b", "#c"] and g.num_edges == 2


@pytest.mark.parametrize(
    "text, kwargs, line, fragment",
    [
        ("a b\nc\n", {}, 2, "found 1 field"),
        ("a b\nc d e f\n", {}, 2, "found 4 fields"),
        ("a b 1\nc d\n", {}, 2, "2 fields here but 3 on line 1"),
        ("# x\na b\nc d 1\n", {}, 3, "3 fields here but 2 on line 2"),
        ("a b 1\nc d\n", {"weighted": True}, 2, "missing weight"),
        ("a b x\n", {}, 1, "weight 'x' is not a number"),
        ("a b -1\n", {}, 1, "weight '-1' is negative"),
        ("a b nan\n", {}, 1, "weight 'nan' is not finite"),
        ("a b inf\n", {}, 1, "weight 'inf' is not finite"),
        ("1 2\n2 x\n", {"nodetype": int}, 2, "cannot convert node label 'x' with int"),
        ("a,,1\n", {"delimiter": ","}, 1, "empty node label"),
    ],
)
def test_edgelist_errors(tmp_path, text, kwargs, line, fragment):
    path = tmp_path / "bad.edgelist"
    path.write_text(text)
    with pytest.raises(GraphFormatError) as info:
        read_edgelist(path, **kwargs)
    assert str(info.value).startswith(f"{path}:{line}: ")
    assert fragment in str(info.value)


def test_edgelist_not_utf8(tmp_path):
    path = tmp_path / "bad.edgelist"
    path.write_bytes(b"a b\nc \xff\n")
    with pytest.raises(GraphFormatError, match=r"bad\.edgelist:2: not UTF-8"):
        read_edgelist(path)


@pytest.mark.parametrize("weighted", [True, False])
def test_edgelist_round_trip(tmp_path, weighted):
    G = random_graph(25, 0.2, 11)
    G.add_edge(3, 3, weight=6)
    if not weighted:
        nx.set_edge_attributes(G, 1, "weight")
    path = tmp_path / "g.edgelist"
    write_edgelist(G, path, weight=weighted)
    g = read_edgelist(path, nodetype=int)
    connected = [u for u in G if G.degree(u)]
    assert sorted(g.nodes) == sorted(connected)  # isolated nodes are not in an edge list
    assert edge_weights_of(g.to_networkx()) == edge_weights_of(G)
    write_edgelist(g, tmp_path / "h.edgelist", weight=weighted)
    h = read_edgelist(tmp_path / "h.edgelist", nodetype=int)
    assert edge_weights_of(h.to_networkx()) == edge_weights_of(G)
    # float weights round trip exactly
    F = nx.Graph([("x", "y", {"weight": 0.1}), ("y", "z", {"weight": 1 / 3})])
    write_edgelist(F, path)
    assert edge_weights_of(read_edgelist(path).to_networkx()) == edge_weights_of(F)


def test_write_edgelist_rejects_unreadable_labels(tmp_path):
    for label in ("a b", "", "x#y"):
        with pytest.raises(ValueError, match="cannot be written to an edge list"):
            write_edgelist(nx.Graph([(label, "ok")]), tmp_path / "g.edgelist")


# --------------------------------------------------------------------------
# Matrix Market
# --------------------------------------------------------------------------
def test_matrix_market_round_trip(tmp_path):
    G = random_graph(20, 0.2, 5, isolated=2)
    G.add_edge(4, 4, weight=3)
    path = tmp_path / "g.mtx"
    write_matrix_market(G, path)
    assert path.read_text().startswith("%%MatrixMarket matrix coordinate integer symmetric")
    g = read_matrix_market(path)
    assert g.num_nodes == 22
    # explicit zeros vanish in a sparse matrix: compare the non-zero edges
    expected = {k: v for k, v in edge_weights_of(G).items() if v}
    assert edge_weights_of(g.to_networkx()) == expected
    write_matrix_market(g, tmp_path / "h.mtx")
    arrays_equal(read_matrix_market(tmp_path / "h.mtx"), g)
    F = nx.Graph([(0, 1, {"weight": 0.25}), (1, 2, {"weight": 2.0})])
    write_matrix_market(F, tmp_path / "f.mtx")
    f = read_matrix_market(tmp_path / "f.mtx")
    assert f.has_float_weights and edge_weights_of(f.to_networkx()) == edge_weights_of(F)


def test_matrix_market_general_pattern_and_dense(tmp_path):
    path = tmp_path / "g.mtx"
    path.write_text("%%MatrixMarket matrix coordinate pattern general\n3 3 4\n1 2\n2 1\n2 3\n3 2\n")
    g = read_matrix_market(path)
    assert g.edge_weights.dtype == np.int64 and g.num_edges == 2
    path.write_text("%%MatrixMarket matrix array real symmetric\n2 2\n0\n1.5\n0\n")
    assert read_matrix_market(path).edge_weights.tolist() == [1.5, 1.5]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("%%MatrixMarket matrix coordinate real general\n2 3 1\n1 2 1\n", "shape (2, 3)"),
        ("%%MatrixMarket matrix coordinate real general\n2 2 1\n1 2 1\n", "not symmetric"),
        ("%%MatrixMarket matrix coordinate real symmetric\n2 2 1\n2 1 -4\n",
         "pass weighted=False to read the structure only"),
        ("%%MatrixMarket matrix coordinate complex symmetric\n2 2 1\n2 1 1 1\n", "real ones"),
        ("not a matrix market file\n", "bad.mtx:1: not a Matrix Market file"),
        # screened before SciPy, whose reader crashed on these (issue 19, C2)
        ("%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n4 2\n",
         "bad.mtx:4: row index '4' is not in 1..3"),
        ("%%MatrixMarket matrix coordinate integer symmetric\n3 3 1\n2 1 6\0\n",
         "bad.mtx:3: NUL byte"),
        ("%%MatrixMarket matrix coordinate real symmetric\n3 3 2\n2 1 6\n",
         "announces 2 entries, the file has 1"),
    ],
)
def test_matrix_market_errors(tmp_path, text, fragment):
    path = tmp_path / "bad.mtx"
    path.write_text(text)
    with pytest.raises(GraphFormatError) as info:
        read_matrix_market(path)
    assert str(info.value).startswith(f"{path}:") and fragment in str(info.value)


def test_matrix_market_structure_only(tmp_path):
    path = tmp_path / "stiff.mtx"
    path.write_text(
        "%%MatrixMarket matrix coordinate real symmetric\n3 3 4\n1 1 4\n2 1 -1\n3 2 -2\n3 1 0\n"
    )
    g = read_matrix_market(path, weighted=False)
    assert g.edge_weights.tolist() == [1, 1, 1, 1] and g.num_edges == 2


# --------------------------------------------------------------------------
# read_graph and bad arguments
# --------------------------------------------------------------------------
def test_read_graph_detects_format(tmp_path):
    G = nx.petersen_graph()
    write_metis(G, tmp_path / "p.graph")
    write_metis(G, tmp_path / "p.METIS")
    write_matrix_market(G, tmp_path / "p.mtx")
    for ext in (".edgelist", ".edges", ".txt", ".el"):
        write_edgelist(G, tmp_path / f"p{ext}")
    expected = nx.to_numpy_array(G, nodelist=range(10))
    for path in sorted(tmp_path.iterdir()):
        g = read_graph(path)
        assert g.num_nodes == 10 and g.num_edges == 15
        if path.suffix in (".graph", ".METIS", ".mtx"):
            np.testing.assert_array_equal(g.to_scipy().toarray(), expected)
    g = read_graph(tmp_path / "p.txt", nodetype=int)
    assert sorted(g.nodes) == list(range(10))
    # format= overrides the extension
    (tmp_path / "p.dat").write_text((tmp_path / "p.graph").read_text())
    assert read_graph(tmp_path / "p.dat", format="metis").num_edges == 15
    assert read_graph(str(tmp_path / "p.graph"), format="GRAPH").num_edges == 15
    assert read_graph(io.StringIO("2 1\n2\n1\n"), format="metis").num_edges == 1


def test_read_graph_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="unknown graph format 'gml'.*'metis'.*'mtx'.*'edgelist'"):
        read_graph(tmp_path / "g.graph", format="gml")
    with pytest.raises(ValueError, match=r"cannot tell the format .* '\.gml'.*'metis'"):
        read_graph(tmp_path / "g.gml")
    with pytest.raises(ValueError, match="cannot tell the format"):
        read_graph(io.StringIO("2 1\n2\n1\n"))
    for reader, name in ((read_graph, "g.graph"), (read_metis, "g.graph"),
                         (read_edgelist, "g.txt"), (read_matrix_market, "g.mtx")):
        with pytest.raises(FileNotFoundError):
            reader(tmp_path / name)


def test_public_names():
    import klpart.io

    for name in klpart.io.__all__:
        assert getattr(klpart.io, name).__doc__
    assert klpart.read_metis is read_metis and klpart.GraphFormatError is GraphFormatError
    assert issubclass(GraphFormatError, ValueError)
