"""klpart.plot: the artists reflect the data, pictures save, bad input raises."""

import csv
import statistics
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

import klpart  # noqa: E402
from klpart import plot  # noqa: E402
from klpart.datasets import delaunay_graph  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def by_gid(artists, gid):
    found = [a for a in artists if a.get_gid() == gid]
    assert len(found) == 1, (gid, [a.get_gid() for a in artists])
    return found[0]


def saved(fig, tmp_path, name="plot.png"):
    path = tmp_path / name
    fig.savefig(path, dpi=50)
    return path.stat().st_size


def nx_cut_edges(G, blocks):
    """Edges between blocks (self-loops never), counted by NetworkX."""
    block_of = {u: i for i, b in enumerate(blocks) for u in b}
    return [(u, v) for u, v in G.edges() if block_of[u] != block_of[v]]


def legend_texts(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


# --------------------------------------------------------------------------
# import and palette
# --------------------------------------------------------------------------
def test_import_klpart_does_not_import_matplotlib():
    code = (
        "import sys, klpart, klpart.plot; klpart.plot.palette(3); "
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_palette_is_okabe_ito_then_shades():
    okabe_ito = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"}
    assert set(plot.palette(7)) == okabe_ito
    colors = plot.palette(60)
    assert len(set(colors[:28])) == 28
    assert colors[28:56] == colors[:28]
    assert plot.palette(0) == []
    with pytest.raises(ValueError):
        plot.palette(-1)


# --------------------------------------------------------------------------
# draw_partition
# --------------------------------------------------------------------------
def test_draw_partition_karate_artists_match_networkx(tmp_path):
    G = nx.karate_club_graph()
    res = klpart.partition(G, 2, seed=0)
    ax = plot.draw_partition(G, res)
    blocks = res.blocks
    cut_edges = nx_cut_edges(G, blocks)
    assert len(by_gid(ax.collections, "cut edges").get_segments()) == len(cut_edges)
    assert len(by_gid(ax.collections, "internal edges").get_segments()) == G.number_of_edges() - len(cut_edges)
    # node colours: each node's face colour is its block's palette colour
    faces = by_gid(ax.collections, "nodes").get_facecolors()
    colors = plot.palette(2)
    for i, u in enumerate(G):
        b = 0 if u in blocks[0] else 1
        assert tuple(faces[i]) == to_rgba(colors[b])
    # legend: block sizes and the weighted cut (karate edges have weights)
    weighted = nx.cut_size(G, blocks[0], blocks[1], weight="weight")
    assert ax.get_legend().get_title().get_text() == f"cut {weighted} ({len(cut_edges)} edges)"
    assert legend_texts(ax) == [f"block {b}: {len(blocks[b])} nodes" for b in range(2)]
    assert saved(ax.figure, tmp_path) > 1000


def test_cut_segments_join_the_positions_of_cut_edges():
    G = nx.random_geometric_graph(120, 0.2, seed=3)
    res = klpart.partition(G, 3, seed=1)
    ax = plot.draw_partition(G, res)  # positions from the "pos" attribute
    got = {tuple(map(tuple, np.round(s, 9))) for s in by_gid(ax.collections, "cut edges").get_segments()}
    want = set()
    for u, v in nx_cut_edges(G, res.blocks):
        a, b = (tuple(np.round(G.nodes[x]["pos"], 9)) for x in (u, v))
        want.add((a, b) if (a, b) in got else (b, a))
    assert got == want
    offsets = by_gid(ax.collections, "nodes").get_offsets()
    np.testing.assert_allclose(offsets, [G.nodes[u]["pos"] for u in G])


def test_every_partition_form_gives_the_same_picture():
    G = nx.les_miserables_graph()  # string node labels
    res = klpart.partition(G, 2, seed=2)
    blocks = res.blocks
    nodes = list(G)
    forms = [
        res,
        blocks,
        tuple(blocks),  # the KL 2-tuple of sets
        {u: int(b) for u, b in zip(nodes, res.labels)},
        res.labels,
        res.labels.tolist(),
    ]
    pos = nx.circular_layout(G)
    pictures = []
    for form in forms:
        ax = plot.draw_partition(G, form, pos=pos)
        pictures.append(
            (
                by_gid(ax.collections, "nodes").get_facecolors().tolist(),
                len(by_gid(ax.collections, "cut edges").get_segments()),
                legend_texts(ax),
            )
        )
    assert all(p == pictures[0] for p in pictures)


def test_kl_result_and_trace_and_club_names():
    G = nx.karate_club_graph()
    pos = nx.circular_layout(G)
    A, B = klpart.kernighan_lin_bisection(G, seed=1)
    ax = plot.draw_partition(G, (A, B), pos=pos, weight=None)
    assert ax.get_legend().get_title().get_text().startswith(f"cut {nx.cut_size(G, A, B)} ")
    trace = klpart.kl_trace(G, seed=1)
    ax2 = plot.draw_partition(G, trace, pos=pos, weight=None)
    assert legend_texts(ax2) == legend_texts(ax)
    clubs = dict(G.nodes(data="club"))
    ax3 = plot.draw_partition(G, clubs, pos=pos)
    sizes = {c: sum(1 for v in clubs.values() if v == c) for c in set(clubs.values())}
    assert sorted(legend_texts(ax3)) == sorted(f"{c}: {s} nodes" for c, s in sizes.items())


@given(
    n=st.integers(2, 25),
    p=st.floats(0.05, 0.6),
    k=st.integers(1, 5),
    seed=st.integers(0, 10**6),
)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_cut_segment_count_property(n, p, k, seed):
    G = nx.gnp_random_graph(n, p, seed=seed)
    G.add_edge(0, 0)  # a self-loop is never drawn as a cut
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, k, n)
    ax = plot.draw_partition(G, labels, pos=rng.random((n, 2)), legend=False)
    blocks = [set(np.flatnonzero(labels == b).tolist()) for b in range(int(labels.max()) + 1)]
    assert len(by_gid(ax.collections, "cut edges").get_segments()) == len(nx_cut_edges(G, blocks))
    plt.close("all")


def test_positions_from_every_source():
    g, xy = delaunay_graph(300, seed=4, return_positions=True)
    res = klpart.partition(g, 2, seed=0)
    for pos in (xy, xy.tolist(), {i: tuple(p) for i, p in enumerate(xy)}):
        ax = plot.draw_partition(g, res, pos=pos)
        np.testing.assert_allclose(by_gid(ax.collections, "nodes").get_offsets(), xy)
    G = g.to_networkx()
    nx.set_node_attributes(G, {i: xy[i] for i in G}, "where")
    ax = plot.draw_partition(G, res, pos="where")
    np.testing.assert_allclose(by_gid(ax.collections, "nodes").get_offsets(), xy)
    # no positions, small graph: a seeded spring layout, the same twice
    a = plot.draw_partition(nx.path_graph(10), [set(range(5)), set(range(5, 10))])
    b = plot.draw_partition(nx.path_graph(10), [set(range(5)), set(range(5, 10))])
    np.testing.assert_allclose(
        by_gid(a.collections, "nodes").get_offsets(), by_gid(b.collections, "nodes").get_offsets()
    )


def test_missing_or_bad_positions_raise():
    grid = nx.grid_2d_graph(50, 50)  # 2500 nodes, no "pos" attribute
    labels = np.zeros(2500, np.int64)
    with pytest.raises(ValueError, match="no positions"):
        plot.draw_partition(grid, labels)
    with pytest.raises(ValueError, match="pass pos="):
        plot.draw_partition(nx.path_graph(11), np.zeros(11, int), max_layout_nodes=10)
    G = nx.path_graph(4)
    parts = [{0, 1}, {2, 3}]
    with pytest.raises(ValueError, match="node 3"):
        plot.draw_partition(G, parts, pos={0: (0, 0), 1: (1, 0), 2: (2, 0)})
    with pytest.raises(ValueError, match="shape"):
        plot.draw_partition(G, parts, pos=np.zeros((3, 2)))
    with pytest.raises(ValueError, match="non-finite"):
        plot.draw_partition(G, parts, pos=[(0, 0), (1, np.nan), (2, 0), (3, 0)])
    with pytest.raises(ValueError, match="'xy'"):
        plot.draw_partition(G, parts, pos="xy")
    with pytest.raises(ValueError, match="has none"):
        plot.draw_partition(klpart.as_csr_graph(G), parts, pos="pos")


def test_partition_not_matching_the_graph_raises():
    G = nx.path_graph(6)
    pos = {u: (u, 0) for u in G}
    with pytest.raises(ValueError, match="not a node"):
        plot.draw_partition(G, [{0, 1, 2}, {3, 4, 99}], pos=pos)
    with pytest.raises(ValueError, match="in no block"):
        plot.draw_partition(G, [{0, 1, 2}, {3, 4}], pos=pos)
    with pytest.raises(ValueError, match="entries"):
        plot.draw_partition(G, np.zeros(5, int), pos=pos)
    other = klpart.partition(nx.path_graph(8), 2, seed=0)
    with pytest.raises(ValueError, match="another graph"):
        plot.draw_partition(G, other, pos=pos)
    relabelled = klpart.partition(nx.relabel_nodes(G, {0: 6}), 2, seed=0)
    with pytest.raises(ValueError, match="nodes differ"):
        plot.draw_partition(G, relabelled, pos=pos)
    with pytest.raises(TypeError):
        plot.draw_partition(G, 3, pos=pos)
    with pytest.raises(TypeError):
        plot.draw_partition(G, None, pos=pos)
    with pytest.raises(ValueError, match="colors"):
        plot.draw_partition(G, [{0, 1, 2}, {3, 4, 5}], pos=pos, colors=["red"])


def test_many_blocks_legend_is_truncated():
    G = nx.grid_2d_graph(10, 10)
    labels = np.arange(100) % 15
    ax = plot.draw_partition(G, labels, pos={u: u for u in G})
    texts = legend_texts(ax)
    assert len(texts) == 13 and texts[-1] == "... 3 more blocks"
    faces = by_gid(ax.collections, "nodes").get_facecolors()
    colors = plot.palette(15)
    assert all(tuple(faces[i]) == to_rgba(colors[labels[i]]) for i in range(100))


def test_big_mesh_uses_a_constant_number_of_artists(tmp_path):
    g, xy = delaunay_graph(20000, seed=1, return_positions=True)
    res = klpart.partition(g, 4, seed=0, preset="fast")
    ax = plot.draw_partition(g, res, pos=xy)
    assert len(ax.collections) == 3 and not ax.patches and not ax.lines
    src = np.repeat(np.arange(g.num_nodes), np.diff(g.indptr))
    n_cut = int((res.labels[src] != res.labels[g.indices]).sum()) // 2
    assert len(by_gid(ax.collections, "cut edges").get_segments()) == n_cut == res.cut
    assert saved(ax.figure, tmp_path) > 1000


def test_draws_into_given_axes():
    fig, (a, b) = plt.subplots(1, 2)
    G = nx.cycle_graph(6)
    assert plot.draw_partition(G, [{0, 1, 2}, {3, 4, 5}], ax=b) is b
    assert not a.collections


# --------------------------------------------------------------------------
# spy
# --------------------------------------------------------------------------
def block_order(labels):
    return np.argsort(labels, kind="stable")


def test_spy_markers_are_the_reordered_nonzeros(tmp_path):
    G = nx.random_geometric_graph(200, 0.12, seed=2)
    res = klpart.partition(G, 3, seed=0)
    ax = plot.spy(G, res, method="markers")
    order = block_order(res.labels)
    A = nx.to_scipy_sparse_array(G, nodelist=list(G))[order][:, order].tocoo()
    want = sorted(zip(A.col.tolist(), A.row.tolist()))
    dots = by_gid(ax.collections, "nonzeros")
    got = sorted(map(tuple, dots.get_offsets().astype(int).tolist()))
    assert got == want
    # black exactly where the entry is cut, else the row's block colour
    sorted_labels = res.labels[order]
    colors = plot.palette(3)
    faces = dots.get_facecolors()
    for (x, y), face in zip(dots.get_offsets().astype(int), faces):
        want_color = "#000000" if sorted_labels[x] != sorted_labels[y] else colors[sorted_labels[y]]
        assert tuple(face) == to_rgba(want_color)
    sizes = np.bincount(res.labels, minlength=3)
    bounds = by_gid(ax.collections, "block boundaries").get_segments()
    vertical = sorted(s[0][0] for s in bounds if s[0][0] == s[1][0])
    horizontal = sorted(s[0][1] for s in bounds if s[0][1] == s[1][1])
    assert vertical == horizontal == (np.cumsum(sizes)[:-1] - 0.5).tolist()
    assert saved(ax.figure, tmp_path) > 1000


def test_spy_image_pixels_are_the_nonzeros(tmp_path):
    G = nx.karate_club_graph()
    res = klpart.partition(G, 2, seed=0)
    ax = plot.spy(G, res)  # small and dense: an image
    img = by_gid(ax.images, "nonzeros").get_array()
    order = block_order(res.labels)
    A = nx.to_numpy_array(G, nodelist=list(G), weight=None)[order][:, order]
    assert img.shape[:2] == A.shape
    np.testing.assert_array_equal(img[..., 3] > 0, A > 0)
    lab = res.labels[order]
    colors = plot.palette(2)
    for i, j in zip(*np.nonzero(A)):
        want = "#000000" if lab[i] != lab[j] else colors[lab[i]]
        assert tuple(img[i, j]) == to_rgba(want)
    assert saved(ax.figure, tmp_path) > 1000


def test_spy_image_of_a_big_graph_is_binned():
    g = delaunay_graph(5000, seed=0)
    res = klpart.partition(g, 5, seed=0, preset="fast")
    ax = plot.spy(g, res, method="image", max_pixels=500)
    img = by_gid(ax.images, "nonzeros").get_array()
    assert img.shape[:2] == (500, 500)
    assert ax.get_xlim() == (-0.5, 4999.5)
    # a big sparse graph picks the image automatically beyond 100,000 nonzeros
    big = delaunay_graph(20000, seed=0)
    ax2 = plot.spy(big, np.arange(20000) % 2)
    assert len(ax2.images) == 1 and len(ax2.collections) == 1  # the boundaries


def test_spy_ticks_name_the_blocks():
    G = nx.karate_club_graph()
    ax = plot.spy(G, dict(G.nodes(data="club")), method="markers")
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Mr. Hi", "Officer"]
    bounds = by_gid(ax.collections, "block boundaries").get_segments()
    assert sorted({s[0][0] for s in bounds if s[0][0] == s[1][0]}) == [16.5]  # 17 in "Mr. Hi"


def test_spy_bad_input():
    G = nx.path_graph(4)
    with pytest.raises(ValueError, match="method"):
        plot.spy(G, [{0, 1}, {2, 3}], method="dots")
    with pytest.raises(ValueError):
        plot.spy(G, [{0, 1}, {2}])


# --------------------------------------------------------------------------
# gain_curve
# --------------------------------------------------------------------------
def test_gain_curve_marks_the_best_prefix(tmp_path):
    G = nx.karate_club_graph()
    trace = klpart.kl_trace(G, seed=0)
    for index in range(len(trace.passes)):
        ax = plot.gain_curve(trace, pass_index=index)
        p = trace.passes[index]
        gain = np.concatenate([[0], -p.running])
        line = by_gid(ax.lines, "gain")
        np.testing.assert_array_equal(line.get_ydata(), gain)
        best = by_gid(ax.lines, "best prefix")
        assert best.get_xdata().tolist() == [p.best]
        assert best.get_ydata().tolist() == [gain[p.best]]
        # the kept prefix is the pass's cut change
        assert p.cut_before - gain[p.best] == p.cut_after
    assert saved(ax.figure, tmp_path) > 1000


def test_gain_curve_takes_a_pass_and_negative_index():
    trace = klpart.kl_trace(nx.barbell_graph(6, 2), seed=5)
    last = trace.passes[-1]
    ax = plot.gain_curve(last)
    assert by_gid(ax.lines, "best prefix").get_xdata().tolist() == [last.best]
    ax2 = plot.gain_curve(trace, pass_index=-1)
    np.testing.assert_array_equal(by_gid(ax2.lines, "gain").get_ydata(), by_gid(ax.lines, "gain").get_ydata())
    if last.best == 0:
        assert "changes nothing" in by_gid(ax.lines, "best prefix").get_label()


def test_gain_curve_bad_input():
    trace = klpart.kl_trace(nx.path_graph(6), seed=0)
    with pytest.raises(ValueError, match="out of range"):
        plot.gain_curve(trace, pass_index=len(trace.passes))
    with pytest.raises(TypeError):
        plot.gain_curve([1, 2, 3])


# --------------------------------------------------------------------------
# levels
# --------------------------------------------------------------------------
def test_levels_plot_the_history(tmp_path):
    res = klpart.partition(delaunay_graph(3000, seed=2), 4, seed=0, preset="strong")
    fig = plot.levels(res)
    size_ax, cut_ax = fig.axes[:2]
    first = [h for h in res.history if h["cycle"] == 0]
    line = next(l for l in size_ax.lines if l.get_label() == "nodes, cycle 0")
    assert line.get_xdata().tolist() == [h["level"] for h in first]
    assert line.get_ydata().tolist() == [h["nodes"] for h in first]
    line = next(l for l in size_ax.lines if l.get_label() == "edges, cycle 0")
    assert line.get_ydata().tolist() == [h["edges"] for h in first]
    line = next(l for l in cut_ax.lines if l.get_label() == "cut, cycle 0")
    assert line.get_ydata().tolist() == [h["cut"] for h in first]
    assert len(size_ax.lines) == 2 and len(cut_ax.lines) == 1
    assert saved(fig, tmp_path) > 1000

    cycles = sorted({h["cycle"] for h in res.history})
    assert len(cycles) > 1
    fig = plot.levels(res.history, cycles="all")
    labels = [l.get_label() for l in fig.axes[1].lines]
    assert labels == [f"cut, cycle {c}" for c in cycles]
    colors = {l.get_color() for l in fig.axes[1].lines}
    assert len(colors) == len(cycles)  # every cycle has its own colour
    fig = plot.levels(res, cycles=[cycles[-1]])
    assert [l.get_label() for l in fig.axes[1].lines] == [f"cut, cycle {cycles[-1]}"]


def test_levels_into_given_axes_and_bad_input():
    res = klpart.partition(nx.grid_2d_graph(20, 20), 2, seed=0)
    fig, axes = plt.subplots(1, 2)
    assert plot.levels(res, axes=axes) is fig
    with pytest.raises(ValueError, match="cycle 99"):
        plot.levels(res, cycles=99)
    with pytest.raises(ValueError, match="empty"):
        plot.levels(klpart.partition(nx.path_graph(5), 1))
    with pytest.raises(TypeError):
        plot.levels("history")
    with pytest.raises(ValueError):
        plot.levels(res, cycles="first")


@pytest.mark.parametrize("draw", [plot.levels, plot.anytime], ids=["levels", "anytime"])
def test_history_plots_take_a_result_or_its_history_only(draw):
    for bad in ("history", [{"cut": 1}, 3], 7, None):
        with pytest.raises(TypeError, match="PartitionResult or a list of dicts"):
            draw(bad)
    if draw is plot.levels:
        history = [{"cycle": 0, "level": 1, "nodes": 4, "edges": 3, "cut": 2},
                   {"cycle": 0, "level": 0, "nodes": 8, "edges": 9, "cut": 1}]
        fig = draw(tuple(history))  # a tuple of dicts is a history too
        assert [list(l.get_ydata()) for l in fig.axes[1].lines] == [[2, 1]]
    else:
        history = [{"phase": "anytime", "seconds": 0.1, "cut": 5}, {"phase": "vcycle"},
                   {"phase": "anytime", "seconds": 0.3, "cut": 4}]
        ax = draw(history)
        line = next(l for l in ax.lines if l.get_gid() == "best cut")
        assert list(line.get_xdata()) == [0.1, 0.3] and list(line.get_ydata()) == [5, 4]


# --------------------------------------------------------------------------
# benchmark
# --------------------------------------------------------------------------
def synthetic_rows():
    """Two graphs x three tools x two seeds, plus one unbalanced run."""
    data = {
        # (graph, tool): [(cut, time) per seed]
        ("a", "metis"): [(100, 0.010), (110, 0.012)],
        ("a", "klpart"): [(90, 0.020), (96, 0.024)],
        ("a", "networkx"): [(300, 1.0), (320, 1.2)],
        ("b", "metis"): [(50, 0.004), (50, 0.004)],
        ("b", "klpart"): [(60, 0.012), (64, 0.012)],
        ("b", "networkx"): [(49, 0.5), (51, 0.7)],
    }
    rows = []
    for (graph, tool), runs in data.items():
        for seed, (cut, t) in enumerate(runs):
            rows.append(dict(graph=graph, n=100, m=300, tool=tool, k=2, seed=seed, cut=cut,
                             imbalance=0.01, balanced=True, time=t))
    rows.append(dict(graph="a", n=100, m=300, tool="klpart", k=2, seed=2, cut=1, imbalance=0.5,
                     balanced=False, time=0.001))
    return rows, data


def step_value(line, tau):
    x, y = line.get_xdata(), line.get_ydata()
    return y[np.flatnonzero(np.asarray(x) <= tau)[-1]]


def test_benchmark_ratios_and_profile_by_hand(tmp_path):
    rows, data = synthetic_rows()
    fig = plot.benchmark(rows)
    ratio_ax, prof_ax = fig.axes[:2]
    med = {key: (statistics.median(c for c, _ in runs), statistics.median(t for _, t in runs))
           for key, runs in data.items()}
    for tool in ("klpart", "networkx"):
        pts = by_gid(ratio_ax.collections, f"ratio {tool}").get_offsets()
        want = [(med[(g, tool)][1] / med[(g, "metis")][1], med[(g, tool)][0] / med[(g, "metis")][0])
                for g in ("a", "b")]
        np.testing.assert_allclose(pts, want)
    assert by_gid(ratio_ax.collections, "ratio metis").get_offsets().tolist() == [[1.0, 1.0]]
    # best cuts: a -> klpart 93, b -> metis 50 (networkx 50 too)
    profile = {t: by_gid(prof_ax.lines, f"profile {t}") for t in ("metis", "klpart", "networkx")}
    assert step_value(profile["klpart"], 1.0) == 0.5
    assert step_value(profile["metis"], 1.0) == 0.5
    assert step_value(profile["networkx"], 1.0) == 0.5
    assert step_value(profile["metis"], 105 / 93) == 1.0
    assert step_value(profile["metis"], 105 / 93 - 1e-9) == 0.5
    assert step_value(profile["klpart"], 62 / 50) == 1.0
    assert step_value(profile["networkx"], 3.3) == 0.5  # 310 / 93 > 3.3
    assert saved(fig, tmp_path) > 1000


def test_benchmark_reads_results_csv_and_columns(tmp_path):
    rows, _ = synthetic_rows()
    path = tmp_path / "results.csv"
    fields = ["graph", "n", "m", "tool", "k", "seed", "cut", "imbalance", "balanced", "time"]
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    columns = {c: [r[c] for r in rows] for c in fields}
    expected = by_gid(plot.benchmark(rows).axes[0].collections, "ratio klpart").get_offsets()
    for source in (path, str(path), columns):
        fig = plot.benchmark(source)
        np.testing.assert_allclose(by_gid(fig.axes[0].collections, "ratio klpart").get_offsets(), expected)


def test_benchmark_reference_filters_and_unbalanced_runs():
    rows, data = synthetic_rows()
    fig = plot.benchmark(rows, reference="klpart")
    pts = by_gid(fig.axes[0].collections, "ratio metis").get_offsets()
    assert pts[0][1] == pytest.approx(105 / 93)
    # without metis, the first tool is the reference
    fig = plot.benchmark([r for r in rows if r["tool"] != "metis"])
    assert "klpart" in fig.axes[0].get_xlabel()
    # with require_balanced=False the unbalanced run (cut 1) enters the medians
    fig = plot.benchmark(rows, require_balanced=False)
    pts = by_gid(fig.axes[0].collections, "ratio klpart").get_offsets()
    assert pts[0][1] == pytest.approx(90 / 105)
    # a tool with no balanced run fails the instance in the profile
    only_bad = [r for r in rows if not (r["tool"] == "klpart" and r["graph"] == "a" and r["balanced"])]
    fig = plot.benchmark(only_bad)
    assert step_value(by_gid(fig.axes[1].lines, "profile klpart"), 100.0) == 0.5
    more = rows + [dict(r, k=4) for r in rows]
    fig = plot.benchmark(more, k=4)
    assert "2 instances" in fig.axes[1].get_title()
    fig = plot.benchmark(more)
    assert "4 instances" in fig.axes[1].get_title()


def test_benchmark_bad_input(tmp_path):
    rows, _ = synthetic_rows()
    with pytest.raises(ValueError, match="no benchmark rows"):
        plot.benchmark([])
    empty = tmp_path / "empty.csv"
    empty.write_text("graph,tool,k,cut,time\n")
    with pytest.raises(ValueError, match="no benchmark rows"):
        plot.benchmark(empty)
    with pytest.raises(ValueError, match="time"):
        plot.benchmark([{"graph": "a", "tool": "x", "k": 2, "cut": 1}])
    with pytest.raises(ValueError, match="kahip"):
        plot.benchmark(rows, reference="kahip")
    with pytest.raises(ValueError, match="k in"):
        plot.benchmark(rows, k=8)
    with pytest.raises(ValueError, match="malformed"):
        plot.benchmark([dict(rows[0], cut="lots")])
    with pytest.raises(TypeError):
        plot.benchmark(42)
    with pytest.raises(ValueError, match="lengths"):
        plot.benchmark({"graph": ["a"], "tool": ["x", "y"], "k": [2], "cut": [1], "time": [1]})
