"""Helpers that other packages (and bench/) use, made public for issue #18.

Each is checked against a slow reference written here or against the
behaviour of the function that uses it, never against its own output.
"""

import os

import numpy as np
import pytest

from klpart.convert import integral_or_float, labels_are_positions
from klpart.io import detect_format, read_graph


# --------------------------------------------------------------------------
# klpart.io.detect_format
# --------------------------------------------------------------------------
_EXPECTED_BY_EXTENSION = {
    ".graph": "metis", ".metis": "metis", ".mtx": "mtx", ".edgelist": "edgelist",
    ".edges": "edgelist", ".txt": "edgelist", ".el": "edgelist",
}


@pytest.mark.parametrize("ext", sorted(_EXPECTED_BY_EXTENSION))
def test_detect_format_names_the_reader_read_graph_uses(tmp_path, ext):
    # a triangle written in each format; the file is read back by read_graph
    # and by the reader detect_format names: both must see the same graph
    import networkx as nx

    from klpart.io import read_edgelist, read_matrix_market, read_metis
    from klpart.io import write_edgelist, write_matrix_market, write_metis

    key = detect_format("g" + ext)
    assert key == _EXPECTED_BY_EXTENSION[ext]
    assert detect_format("DIR.d/G" + ext.upper()) == key  # case-insensitive, dirs ignored
    writer = {"metis": write_metis, "mtx": write_matrix_market, "edgelist": write_edgelist}[key]
    reader = {"metis": read_metis, "mtx": read_matrix_market, "edgelist": read_edgelist}[key]
    path = os.path.join(tmp_path, "g" + ext)
    writer(nx.cycle_graph(3), path)
    a, b = read_graph(path), reader(path)
    assert a.num_nodes == b.num_nodes == 3 and a.num_edges == b.num_edges == 3


def test_detect_format_given_format_and_errors():
    import io

    assert detect_format("x.graph", format="EDGES") == "edgelist"  # format wins
    assert detect_format(io.StringIO(""), format="mm") == "mtx"
    named = io.StringIO("")
    named.name = "data/x.metis"
    assert detect_format(named) == "metis"
    with pytest.raises(ValueError, match="unknown graph format 'png'"):
        detect_format("x.graph", format="png")
    for path in ("x.bin", "noext", io.StringIO("")):
        with pytest.raises(ValueError, match="cannot tell the format") as err:
            detect_format(path)
        # read_graph fails the same way for the same reason
        with pytest.raises(ValueError) as err_read:
            read_graph(path)
        assert str(err_read.value) == str(err.value)


# --------------------------------------------------------------------------
# klpart.convert.labels_are_positions / integral_or_float
# --------------------------------------------------------------------------
def _positions_reference(nodes):
    return len(nodes) > 0 and all(type(x) is int and x == i for i, x in enumerate(nodes))


@pytest.mark.parametrize(
    "nodes",
    [[], [0], [1], [0, 1, 2], [0, 2, 1], [1, 2, 3], [0, 1, 2.0], [0.0, 1], [True, 1],
     [0, True], [np.int64(0), 1], [0, "1"], list(range(50)), list(range(49)) + [48]],
)
def test_labels_are_positions_matches_reference(nodes):
    assert labels_are_positions(nodes) is _positions_reference(nodes)


def _integral_reference(w):
    # exact integers below 2**53 whose exact sum is within klpart's weight limit
    from klpart._check import WEIGHT_LIMIT

    if all(float(x).is_integer() and x < 2.0**53 for x in w) and sum(int(x) for x in w) <= WEIGHT_LIMIT:
        return "i"
    return "f"


@pytest.mark.parametrize(
    "values",
    [[], [0.0], [1.0, 2.0, 3.0], [0.5], [1.0, 2.5], [2.0**53], [2.0**53 - 1], [2.0**52] * 1000, [2.0**52] * 1100,
     [3.0] * 7],
)
def test_integral_or_float_matches_reference(values):
    w = np.array(values, np.float64)
    out = integral_or_float(w)
    expected = "i" if not values else _integral_reference(values)
    assert out.dtype.kind == expected
    assert out.shape == w.shape and np.array_equal(out.astype(np.float64), w)
    if expected == "f":
        assert out is w  # returned unchanged, not copied


# --------------------------------------------------------------------------
# klpart.nx_api.initial_side / two_sets
# --------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, 1, 2, 7, 40])
@pytest.mark.parametrize("seed", [0, 1, 12345])
def test_initial_side_is_networkx_random_start(n, seed):
    import random

    from klpart.nx_api import initial_side

    nodes = [f"v{i}" for i in range(n)]
    # NetworkX's kernighan_lin_bisection without a partition
    shuffled = list(nodes)
    random.Random(seed).shuffle(shuffled)
    first = set(shuffled[: n // 2])
    side = initial_side(nodes, None, random.Random(seed))
    assert side.dtype == np.int8
    assert side.tolist() == [int(x in first) for x in nodes]


def test_initial_side_given_partition_and_errors():
    import networkx as nx

    from klpart.nx_api import initial_side

    nodes = ["a", "b", "c", "d"]
    assert initial_side(nodes, (["d", "a"], {"b", "c"}), None).tolist() == [1, 0, 0, 1]
    assert initial_side(nodes, ([], nodes), None).tolist() == [0, 0, 0, 0]
    for bad in (["a"], ({"a"},), ({"a"}, {"b"}, {"c", "d"}), 5):
        with pytest.raises(nx.NetworkXError, match="partition must be two sets"):
            initial_side(nodes, bad, None)
    for bad in (({"a", "b"}, {"c"}), ({"a", "b"}, {"b", "c", "d"}), ({"a", "b"}, {"c", "x"}),
                ({"a", "b"}, [["c"], "d"])):
        with pytest.raises(nx.NetworkXError, match="partition invalid"):
            initial_side(nodes, bad, None)


def test_two_sets_splits_by_side():
    from klpart.nx_api import two_sets

    rng = np.random.default_rng(0)
    nodes = [(i, "x") for i in range(30)]
    side = rng.integers(0, 2, 30).astype(np.int8)
    A, B = two_sets(nodes, side)
    assert A == {v for v, s in zip(nodes, side.tolist()) if s == 0}
    assert B == {v for v, s in zip(nodes, side.tolist()) if s == 1}
    assert two_sets([], np.zeros(0, np.int8)) == (set(), set())


# --------------------------------------------------------------------------
# klpart.ordering.nd_order, and the compat layer over public API
# --------------------------------------------------------------------------
def test_nd_order_is_a_permutation_with_dense_rows_last():
    import networkx as nx

    from klpart import as_csr_graph
    from klpart._rng import kernel_state
    from klpart.ordering import nd_order

    G = nx.grid_2d_graph(12, 12)
    G = nx.convert_node_labels_to_integers(G)
    for hub in (200, 201):  # two dense rows joined to every grid node
        G.add_edges_from((hub, v) for v in range(144))
    g = as_csr_graph(G, weight=None)
    deg = np.diff(g.indptr)
    for pfactor in (0, 50):
        order = nd_order(g, 0.2, kernel_state(0), 16, True, 1, pfactor=pfactor)
        assert np.array_equal(np.sort(order), np.arange(g.num_nodes))
        if pfactor:
            dense = set(np.flatnonzero(deg > 0.1 * pfactor * deg.mean()).tolist())
            assert len(dense) == 2 and set(order[-2:].tolist()) == dense


@pytest.mark.parametrize("trial", range(6))
def test_nxmetis_vertex_separator_is_the_engine_separator(trial):
    import networkx as nx

    from klpart._rng import kernel_state
    from klpart.compat.nxmetis import MetisOptions, metis
    from klpart.compat.pymetis import csr_graph
    from klpart.ordering import _separate

    rng = np.random.default_rng(trial)
    n = int(rng.integers(2, 300))
    G = nx.gnm_random_graph(n, int(n * rng.uniform(0.5, 4)), seed=trial)
    xadj, adjncy = [0], []
    for u in range(n):
        adjncy += sorted(G[u])
        xadj.append(len(adjncy))
    vwgt = rng.integers(1, 5, n).tolist() if trial % 2 else None
    ufactor, nseps, seed = (200, 30, 500)[trial % 3], 1 + trial % 2, trial
    opts = MetisOptions(ufactor=ufactor, nseps=nseps, seed=seed)
    sepsize, where = metis.compute_vertex_separator(xadj, adjncy, vwgt, opts)
    g = csr_graph(np.array(xadj), np.array(adjncy), vwgt)
    expected = _separate(g, ufactor / 1000.0, kernel_state(seed), nseps)
    assert where == expected.tolist()
    assert sepsize == int(g.node_weights[expected == 2].sum())


# --------------------------------------------------------------------------
# bench/ uses public API only: its own reference METIS parser
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["0", "1", "10", "11", "100", "101", "110", "111"])
def test_bench_io_reference_parser_reads_what_read_metis_reads(fmt):
    import io
    import pathlib
    import sys

    import networkx as nx

    from klpart.io import read_metis, write_metis

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "bench"))
    try:
        from bench_io import agrees, parse_metis_python
    finally:
        sys.path.pop(0)
    G = nx.gnm_random_graph(40, 90, seed=int(fmt, 2))
    G.add_node(40)  # an isolated node: an empty line
    for u, v in G.edges:
        G[u][v]["weight"] = (u * v) % 7 + 1
    sizes, weights, edge_weights = (c == "1" for c in fmt.zfill(3))
    buf = io.StringIO()
    write_metis(G, buf, fmt=fmt, weight="weight" if edge_weights else None,
                node_weight=[u % 3 + 1 for u in G] if weights else None,
                node_sizes=[u % 4 + 1 for u in G] if sizes else None)
    text = "% a comment\n" + buf.getvalue()
    g = read_metis(io.StringIO(text))
    parsed = parse_metis_python(text.encode())
    assert agrees(g, parsed)
    # and independently of read_metis: the neighbour sets of NetworkX
    indptr, indices = parsed[0], parsed[1]
    for u in G:
        assert set(indices[indptr[u]:indptr[u + 1]].tolist()) == set(G[u])
    for bad in (text.replace("% a comment\n", "", 1).split("\n", 1)[0] + "\n",  # header only
                text + "1\n"):  # data after the last node
        with pytest.raises(ValueError):
            parse_metis_python(bad.encode())


# --------------------------------------------------------------------------
# klpart.metrics building blocks (used by klpart.nx_metrics)
# --------------------------------------------------------------------------
def _labelled_graph(seed, loops=True):
    import networkx as nx

    rng = np.random.default_rng(seed)
    G = nx.gnm_random_graph(30, 70, seed=seed)
    G = nx.relabel_nodes(G, {u: f"n{u}" for u in G})
    for u, v in G.edges:
        G[u][v]["weight"] = int(rng.integers(1, 6))
    if loops:
        for u in list(G)[:3]:
            G.add_edge(u, u, weight=int(rng.integers(1, 6)))
    return G, rng


@pytest.mark.parametrize("seed", range(4))
def test_rows_from_blocks_lookup_node_index_match_reference(seed):
    from klpart import as_csr_graph, metrics

    G, rng = _labelled_graph(seed)
    g = as_csr_graph(G)
    nodes = list(G)
    assert metrics.node_index(g) == {u: i for i, u in enumerate(nodes)}
    assert metrics.node_index(g) is metrics.node_index(g)  # built once
    k = 4
    labels = rng.integers(0, k, len(nodes))
    blocks = [[u for u, b in zip(nodes, labels) if b == i] for i in range(k)] + [set()]
    part = metrics.rows_from_blocks(blocks, g.num_nodes, g.labels(), *metrics.lookup(g))
    assert part.dtype == np.int64 and part.tolist() == labels.tolist()
    # errors name the node, as NotAPartition
    with pytest.raises(metrics.NotAPartition, match="is not a node"):
        metrics.rows_from_blocks(blocks + [{"zz"}], g.num_nodes, g.labels(), *metrics.lookup(g))
    with pytest.raises(metrics.NotAPartition, match=repr(nodes[0])):
        metrics.rows_from_blocks(blocks + [{nodes[0]}], g.num_nodes, g.labels(), *metrics.lookup(g))
    missing = [[u for u in b if u != nodes[5]] for b in blocks]
    with pytest.raises(metrics.NotAPartition, match="in no block"):
        metrics.rows_from_blocks(missing, g.num_nodes, g.labels(), *metrics.lookup(g))
    with pytest.raises(TypeError, match="not a collection"):
        metrics.rows_from_blocks([3], g.num_nodes, g.labels(), *metrics.lookup(g))


def test_lookup_and_node_index_without_labels():
    from klpart import grid_graph, metrics

    g = grid_graph(3, 3)
    if g.nodes is None:
        assert metrics.node_index(g) is None and metrics.lookup(g) == (None, True)
    part = metrics.rows_from_blocks([range(5), [5, 6, 7, 8]], 9, list(range(9)), *metrics.lookup(g))
    assert part.tolist() == [0] * 5 + [1] * 4


@pytest.mark.parametrize("seed", range(4))
def test_partition_sums_and_formulas_match_networkx(seed):
    import networkx as nx

    from klpart import as_csr_graph, metrics

    G, rng = _labelled_graph(seed)
    g = as_csr_graph(G)
    nodes = list(G)
    k = 3
    labels = rng.integers(0, k, len(nodes))
    block_of = dict(zip(nodes, labels.tolist()))
    s = metrics.partition_sums(g, labels.astype(np.int64), k, detail=False)
    # slow references from the edge list
    internal = [0] * k
    external = [0] * k
    loop = [0] * k
    cut_edges = 0
    for u, v, w in G.edges(data="weight"):
        if u == v:
            loop[block_of[u]] += w
        elif block_of[u] == block_of[v]:
            internal[block_of[u]] += 2 * w
        else:
            external[block_of[u]] += w
            external[block_of[v]] += w
            cut_edges += 1
    assert s["size"].tolist() == np.bincount(labels, minlength=k).tolist()
    assert s["internal"].tolist() == internal and s["external"].tolist() == external
    assert s["loop"].tolist() == loop and int(s["cut_entries"]) == 2 * cut_edges
    blocks = [{u for u in nodes if block_of[u] == i} for i in range(k)]
    assert metrics.internal_weights_of(s) == [G.subgraph(b).size(weight="weight") for b in blocks]
    assert metrics.volumes_of(s) == [nx.volume(G, b, weight="weight") for b in blocks]
    value = metrics.modularity_sum(metrics.internal_weights_of(s), metrics.volumes_of(s), 0.7, strict=True)
    assert value == nx.community.modularity(G, blocks, resolution=0.7)  # bit-identical


def test_modularity_sum_without_edges():
    import math

    from klpart import metrics

    assert math.isnan(metrics.modularity_sum([0, 0], [0, 0], 1, strict=False))
    with pytest.raises(ZeroDivisionError):
        metrics.modularity_sum([0, 0], [0, 0], 1, strict=True)


# --------------------------------------------------------------------------
# The boundary itself: no module of klpart/ or bench/ uses another's
# underscored names (issue #18)
# --------------------------------------------------------------------------
_ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]

# Known crossings; each needs a public name in the module that defines it.
_KNOWN = set()


def _module_of(path):
    rel = path.relative_to(_ROOT)
    parts = list(rel.with_suffix("").parts)
    if parts[0] == "bench":  # bench scripts import each other by bare name
        parts = parts[1:]
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_module(name):
    parts = name.split(".")
    base = _ROOT / "bench" if parts[0] != "klpart" else _ROOT
    target = base.joinpath(*parts)
    return target.with_suffix(".py").is_file() or (target / "__init__.py").is_file()


def _private_owner(module):
    """The package a module is private to (None for a public module)."""
    parts = module.split(".")
    for i, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:i])
    return None


def _crossings(path):
    import ast

    module = _module_of(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    tree = ast.parse(path.read_text())
    modules = {}  # local name -> module it is bound to
    found = []

    def check_module(target):
        owner = _private_owner(target)
        if owner is not None and not (module == owner or module.startswith(owner + ".")
                                      or (owner == "" and "." not in module)):
            found.append(target)

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".") if package else []
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module
            if not (source.startswith("klpart") or _is_module(source)):
                continue  # third-party
            check_module(source)
            for alias in node.names:
                full = f"{source}.{alias.name}" if source else alias.name
                if _is_module(full):
                    check_module(full)
                    modules[alias.asname or alias.name] = full
                elif alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(full)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("klpart") or _is_module(alias.name):
                    check_module(alias.name)
                    if alias.asname:
                        modules[alias.asname] = alias.name
                    else:  # "import a.b" binds a
                        top = alias.name.split(".")[0]
                        modules[top] = top

    def dotted(expr):
        # "klpart.partitioning" for the expression klpart.partitioning, when
        # its root name is bound to a module; None otherwise
        if isinstance(expr, ast.Name):
            return modules.get(expr.id)
        if isinstance(expr, ast.Attribute):
            base = dotted(expr.value)
            return None if base is None else f"{base}.{expr.attr}"
        return None

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = dotted(node.value)
            if base is not None and _is_module(base):
                target = f"{base}.{node.attr}"
                if _is_module(target):
                    check_module(target)
                elif base != module:
                    found.append(target)
    return found


def test_no_module_uses_another_modules_private_names():
    paths = sorted(_ROOT.glob("klpart/**/*.py")) + sorted(
        p for p in _ROOT.glob("bench/**/*.py") if "results" not in p.parts
    )
    seen = set()
    for path in paths:
        for target in _crossings(path):
            seen.add((str(path.relative_to(_ROOT)), target))
    assert seen - _KNOWN == set()
