"""The ``klpart`` command line, run as a user runs it: in a subprocess.

Every check recomputes the numbers independently: graph files are parsed
here (a few lines of Python for METIS, NetworkX for edge lists) and cuts,
degrees and components come from NetworkX.  Each subprocess costs about a
second (interpreter, NumPy, Numba cache), so the runs are shared through
module-scoped fixtures; the argparse usage errors exit before any heavy
import and are cheap.
"""

import io
import json
import math
import re
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from klpart import cli, metrics
from klpart.cli._commands import blocks_from_name, read_coords
from klpart.cli._progress import Progress
from klpart.datasets import delaunay_graph
from klpart.io import GraphFormatError, write_metis

ROOT = Path(__file__).resolve().parents[1]
N = 400  # nodes of the test mesh
K = 3


def run(*args, cwd):
    """``klpart ARGS`` in a fresh interpreter; the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "klpart", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def parse_metis(path):
    """A METIS file as an nx.Graph with "weight" (edges) and "w" (nodes),
    written independently of klpart.io: header 'n m [fmt]', % comments."""
    lines = [ln.split() for ln in Path(path).read_text().splitlines() if not ln.startswith("%")]
    n, m, *rest = map(int, lines[0])
    fmt = f"{rest[0] if rest else 0:03d}"
    has_size, has_w, has_e = (c == "1" for c in fmt)
    G = nx.Graph()
    G.add_nodes_from(range(n))  # node order 0..n-1, whatever the edges list first
    for u, tokens in enumerate(lines[1 : n + 1]):
        values = list(map(int, tokens))
        head = has_size + has_w
        G.add_node(u, w=values[has_size] if has_w else 1)
        step = 2 if has_e else 1
        for j in range(head, len(values), step):
            v = values[j] - 1
            G.add_edge(u, v, weight=values[j + 1] if has_e else 1)
    assert G.number_of_edges() == m
    return G


def nx_cut(G, labels):
    return sum(d["weight"] for u, v, d in G.edges(data=True) if labels[u] != labels[v])


def read_labels(text):
    return [int(line) for line in text.splitlines()]


def field(text, name):
    """Value of a ``  name  value`` row of a summary table."""
    match = re.search(rf"^\s+{re.escape(name)}\s{{2,}}(.+)$", text, re.M)
    assert match, f"no {name!r} row in:\n{text}"
    return match.group(1)


def assert_one_line_error(proc, *fragments):
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("klpart: error: ")
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


# --------------------------------------------------------------------------
# files and shared runs
# --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    g, points = delaunay_graph(N, seed=2, return_positions=True)
    rng = np.random.default_rng(7)
    G = g.to_networkx()
    for u, v in G.edges:
        G.edges[u, v]["weight"] = int(rng.integers(1, 6))
    for u in G:
        G.nodes[u]["w"] = int(rng.integers(1, 4))
    write_metis(G, tmp / "mesh.graph", node_weight="w")
    (tmp / "mesh.xy").write_text("".join(f"{x} {y}\n" for x, y in points))
    # two components, a self-loop, string labels, weights
    (tmp / "small.edges").write_text("# comment\na b 2\nb c 3\nc c 4\nc a 1\nd e 5\ne f 1\n")
    (tmp / "bad.graph").write_text("3 2\n2\n1 3\n2 5\n")
    return tmp


@pytest.fixture(scope="module")
def partition_text(files):
    proc = run("partition", "mesh.graph", "-k", K, "--seed", 1, cwd=files)
    assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture(scope="module")
def partition_json(files):
    proc = run("partition", "mesh.graph", "-k", K, "--seed", 1, "--json", "-o", "out.part",
               cwd=files)
    assert proc.returncode == 0, proc.stderr
    return proc


# --------------------------------------------------------------------------
# klpart partition
# --------------------------------------------------------------------------
def test_partition_writes_gpmetis_file_whose_cut_is_printed(files, partition_text):
    G = parse_metis(files / "mesh.graph")
    out = partition_text.stdout
    path = files / f"mesh.graph.part.{K}"
    labels = read_labels(path.read_text())
    assert len(labels) == N and set(labels) == set(range(K))
    assert int(field(out, "cut")) == nx_cut(G, labels)
    assert int(field(out, "nodes")) == G.number_of_nodes()
    assert int(field(out, "edges")) == G.number_of_edges()
    assert int(field(out, "k")) == K
    assert field(out, "format") == "metis"
    assert field(out, "partition") == f"mesh.graph.part.{K}"
    assert "balanced" in field(out, "block weights")
    weights = [sum(G.nodes[u]["w"] for u in G if labels[u] == b) for b in range(K)]
    printed = float(field(out, "imbalance").split()[0])
    assert printed == pytest.approx(max(weights) / (sum(weights) / K) - 1, abs=1e-4)
    assert re.search(r"\d+\.\d\d s partitioning", field(out, "time"))
    # stderr is not a terminal: no progress line, no warning
    assert partition_text.stderr == ""


def test_partition_json_matches_the_file_and_the_text_run(files, partition_text, partition_json):
    G = parse_metis(files / "mesh.graph")
    data = json.loads(partition_json.stdout)
    labels = read_labels((files / "out.part").read_text())
    assert data["partition_file"] == "out.part"
    assert not (files / "mesh.graph.part.json").exists()
    assert data["cut"] == nx_cut(G, labels)
    assert (data["nodes"], data["edges"], data["k"]) == (N, G.number_of_edges(), K)
    assert data["block_weights"] == [
        sum(G.nodes[u]["w"] for u in G if labels[u] == b) for b in range(K)
    ]
    assert data["balanced"] is True
    assert max(data["block_weights"]) <= min(data["max_block_weights"])
    assert data["preset"] == "default" and data["seed"] == 1 and data["imbalance_bound"] == 0.03
    assert set(data["time"]) == {"read", "partition", "write", "total"}
    # same seed, same partition, in another process
    assert labels == read_labels((files / f"mesh.graph.part.{K}").read_text())
    assert data["cut"] == int(field(partition_text.stdout, "cut"))


def test_partition_to_stdout(files):
    proc = run("partition", "mesh.graph", "-k", 2, "--preset", "fast", "-o", "-", cwd=files)
    assert proc.returncode == 0, proc.stderr
    labels = read_labels(proc.stdout)  # only the partition on stdout
    assert len(labels) == N
    # the summary went to stderr
    assert int(field(proc.stderr, "cut")) == nx_cut(parse_metis(files / "mesh.graph"), labels)
    assert field(proc.stderr, "partition") == "standard output"


# --------------------------------------------------------------------------
# klpart info
# --------------------------------------------------------------------------
def test_info_json_matches_networkx(files):
    proc = run("info", "small.edges", "--json", cwd=files)
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    G = nx.read_edgelist(files / "small.edges", data=[("weight", int)])
    degrees = [d for _, d in G.degree()]
    components = list(nx.connected_components(G))
    assert info["format"] == "edgelist" and info["format_from"] == "from the extension .edges"
    assert info["nodes"] == G.number_of_nodes()
    assert info["edges"] == G.number_of_edges()
    assert info["self_loops"] == nx.number_of_selfloops(G)
    assert info["degree"] == {
        "min": min(degrees),
        "max": max(degrees),
        "mean": pytest.approx(sum(degrees) / len(degrees)),
        "median": float(np.median(degrees)),
    }
    assert info["isolated_nodes"] == nx.number_of_isolates(G)
    assert info["components"] == len(components)
    assert info["largest_component"] == max(map(len, components))
    loops = {(u, v) for u, v in nx.selfloop_edges(G)}
    plain = [d["weight"] for u, v, d in G.edges(data=True) if (u, v) not in loops]
    assert info["edge_weights"] == {
        "dtype": "int", "min": min(plain), "max": max(plain), "total": sum(plain)
    }
    assert info["self_loop_weights"]["total"] == 4
    assert info["node_weights"] is None


def test_info_text_on_a_metis_file(files):
    proc = run("info", "mesh.graph", cwd=files)
    assert proc.returncode == 0, proc.stderr
    G = parse_metis(files / "mesh.graph")
    out = proc.stdout
    assert field(out, "format") == "metis (from the extension .graph)"
    assert int(field(out, "nodes")) == N
    assert int(field(out, "edges")) == G.number_of_edges()
    assert field(out, "self-loops") == "0"
    degrees = [d for _, d in G.degree()]
    assert field(out, "degree").startswith(f"min {min(degrees)}, max {max(degrees)},")
    weights = [d["weight"] for *_, d in G.edges(data=True)]
    expected = f"int, {min(weights)} .. {max(weights)}, total {sum(weights)}"
    assert field(out, "edge weights") == expected
    total = sum(w for _, w in G.nodes(data="w"))
    assert field(out, "node weights").endswith(f"total {total}")
    assert field(out, "components") == f"1 (largest: {N} nodes)"


# --------------------------------------------------------------------------
# klpart eval
# --------------------------------------------------------------------------
def _plain(value):
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def test_eval_json_matches_metrics_report(files, partition_text):
    part = f"mesh.graph.part.{K}"
    proc = run("eval", "mesh.graph", part, "--json", cwd=files)
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    G = parse_metis(files / "mesh.graph")
    labels = read_labels((files / part).read_text())
    expected = {
        key: _plain(value)
        for key, value in metrics.report(G, labels, node_weight="w").to_dict().items()
    }
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == (pytest.approx(value) if value is not None else None), key
    assert got["cut"] == int(field(partition_text.stdout, "cut"))


def test_eval_text_is_the_report_table(files, partition_text):
    part = f"mesh.graph.part.{K}"
    proc = run("eval", "mesh.graph", part, cwd=files)
    assert proc.returncode == 0, proc.stderr
    G = parse_metis(files / "mesh.graph")
    labels = read_labels((files / part).read_text())
    assert proc.stdout == str(metrics.report(G, labels, node_weight="w")) + "\n"


# --------------------------------------------------------------------------
# klpart draw
# --------------------------------------------------------------------------
def test_draw_writes_a_png(files, partition_text):
    proc = run("draw", "mesh.graph", f"mesh.graph.part.{K}", "-o", "mesh.png",
               "--coords", "mesh.xy", "--dpi", 50, cwd=files)
    assert proc.returncode == 0, proc.stderr
    data = (files / "mesh.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert "mesh.png" in proc.stdout
    import matplotlib.image

    pixels = matplotlib.image.imread(files / "mesh.png")
    # --size 8 (the default) at --dpi 50: 400 x 300 pixels
    assert pixels.shape[:2] == (300, 400)
    # the blocks are drawn in K different colours (plus black cut edges and
    # the white background): a blank or one-colour picture fails
    from matplotlib.colors import rgb_to_hsv

    hsv = rgb_to_hsv(pixels[..., :3].reshape(-1, 3))
    hues = hsv[(hsv[:, 1] > 0.5) & (hsv[:, 2] > 0.3), 0]
    counts, _ = np.histogram(hues, bins=36, range=(0, 1))
    assert (counts >= 30).sum() >= K
    assert not list(files.glob(".mesh.png*"))  # the temporary file was renamed


def test_draw_without_coordinates_of_a_big_graph_is_a_clear_error(files, partition_text):
    proc = run("draw", "mesh.graph", f"mesh.graph.part.{K}", "--max-layout-nodes", 100,
               cwd=files)
    assert_one_line_error(proc, f"{N} nodes and no coordinates", "--coords")
    assert not (files / f"mesh.graph.part.{K}.png").exists()


# --------------------------------------------------------------------------
# errors
# --------------------------------------------------------------------------
def test_malformed_file_is_one_line_with_file_and_line(files):
    assert_one_line_error(run("partition", "bad.graph", "-k", 2, cwd=files), "bad.graph:4:")


def test_missing_file(files):
    proc = run("info", "missing.graph", cwd=files)
    assert_one_line_error(proc, "missing.graph", "No such file")


def test_partition_file_of_another_graph(files):
    (files / "short.part").write_text("0\n1\n")
    assert_one_line_error(run("eval", "mesh.graph", "short.part", cwd=files), "short.part:3:")


def test_too_many_blocks_is_an_input_error(files):
    assert_one_line_error(run("partition", "small.edges", "-k", 7, cwd=files), "k = 7")


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["partition", "mesh.graph"],  # no -k
        ["partition", "mesh.graph", "-k", "0"],
        ["partition", "mesh.graph", "-k", "2", "--imbalance", "-1"],
        ["partition", "mesh.graph", "-k", "2", "--preset", "slow"],
        ["info", "mesh.graph", "--format", "gml"],
        ["info", "mesh.dat"],  # no format from the extension
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(files, args):
    # "python -m klpart" alone runs the demo: use the entry point for []
    cmd = [sys.executable, "-c", "import sys, klpart.cli; sys.exit(klpart.cli.main())", *args]
    proc = subprocess.run(cmd, cwd=files, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    assert "usage: klpart" in proc.stderr and "Traceback" not in proc.stderr


def test_help_documents_the_commands(files):
    top = run("--help", cwd=files)
    assert top.returncode == 0
    for command in ("partition", "info", "eval", "draw", "demo", "exit status"):
        assert command in top.stdout
    sub = run("partition", "--help", cwd=files)
    assert sub.returncode == 0
    for option in ("-k K", "--imbalance", "--preset", "--seed", "--output", "--json", "--format",
                   "GRAPH.part.K"):
        assert option in sub.stdout


def test_console_script_is_declared():
    # (a regular expression, not tomllib: Python 3.10 is supported)
    text = (ROOT / "pyproject.toml").read_text()
    scripts = re.search(r"^\[project\.scripts\]\n((?:[^\[].*\n?)*)", text, re.M)
    assert scripts, "no [project.scripts] table"
    assert re.search(r'^klpart\s*=\s*"klpart\.cli:main"\s*$', scripts.group(1), re.M)
    assert callable(cli.main)


# --------------------------------------------------------------------------
# in-process: progress line, coordinates, helpers
# --------------------------------------------------------------------------
def test_json_to_stdout_holds_the_labels(files, capsys):
    assert cli.main(["partition", str(files / "mesh.graph"), "-k", "2", "--json", "-o", "-"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["partition_file"] is None and len(data["labels"]) == N
    assert data["cut"] == nx_cut(parse_metis(files / "mesh.graph"), data["labels"])


def test_unreachable_balance_is_a_one_line_warning(tmp_path, capsys):
    # node weights 3 3 3 1 cannot be split 5 + 5
    (tmp_path / "heavy.graph").write_text("4 3 10\n3 2\n3 1 3\n3 2 4\n1 3\n")
    status = cli.main(["partition", str(tmp_path / "heavy.graph"), "-k", "2", "--imbalance", "0"])
    out, err = capsys.readouterr()
    assert status == 0 and (tmp_path / "heavy.graph.part.2").exists()
    assert "NOT balanced" in field(out, "block weights")
    assert err.startswith("klpart: warning: could not meet the balance bound")
    assert len(err.splitlines()) == 1


def test_format_option_overrides_the_extension(tmp_path, capsys):
    import scipy.io

    G = nx.path_graph(5)
    G.add_edge(2, 2)
    scipy.io.mmwrite(tmp_path / "path.mtx", nx.to_scipy_sparse_array(G))
    (tmp_path / "path.mtx").rename(tmp_path / "path.dat")
    assert cli.main(["info", str(tmp_path / "path.dat"), "--format", "mtx", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["format"] == "mtx" and info["format_from"] == "given by --format"
    assert (info["nodes"], info["edges"], info["self_loops"]) == (5, 5, 1)
    assert info["degree"]["max"] == dict(G.degree())[2] == 4


def test_block_ids_must_be_below_k(files, capsys):
    (files / "three.part").write_text("% a comment\n" + "".join(f"{i % 3}\n" for i in range(N)))
    assert cli.main(["eval", str(files / "mesh.graph"), str(files / "three.part"), "-k", "2"]) == 1
    err = capsys.readouterr().err
    assert "three.part:4: block id 2 of node 2 is not below k = 2" in err


class FakeStream(io.StringIO):
    def __init__(self, tty):
        super().__init__()
        self.tty = tty

    def isatty(self):
        return self.tty


def test_progress_only_on_a_terminal_and_only_after_the_delay():
    quiet = FakeStream(tty=False)
    with Progress(quiet, delay=0.0, interval=0.01) as progress:
        progress.phase = "working"
        time.sleep(0.1)
    assert quiet.getvalue() == ""

    fast = FakeStream(tty=True)
    with Progress(fast, delay=5.0, interval=0.01):
        pass
    assert fast.getvalue() == ""  # a short run draws nothing

    tty = FakeStream(tty=True)
    with Progress(tty, delay=0.0, interval=0.01) as progress:
        progress.phase = "partitioning"
        deadline = time.monotonic() + 5
        while "partitioning" not in tty.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
    text = tty.getvalue()
    assert "\rklpart: partitioning" in text
    assert re.search(r"partitioning \d\d:\d\d", text)  # tqdm's elapsed time
    # the line is erased at the end (leave=False: blanks, then back to column 0)
    assert re.search(r"\r +\r$", text)


def test_read_coords(tmp_path):
    path = tmp_path / "c.xy"
    path.write_text("% x y\n0 1\n2.5 3 9\n")
    assert read_coords(str(path), 2).tolist() == [[0.0, 1.0], [2.5, 3.0]]
    for text, n, where in [
        ("0 1\n\n2 3\n", 2, ":2:"),
        ("0 1\nx 3\n", 2, ":2:"),
        ("0 1\n", 2, ":2:"),
        ("0 1\n2 3\n", 1, ":2:"),
        ("0 nan\n", 1, ":1:"),
    ]:
        path.write_text(text)
        with pytest.raises(GraphFormatError, match=re.escape(where)):
            read_coords(str(path), n)


def test_blocks_from_gpmetis_name():
    assert blocks_from_name("dir/mesh.graph.part.16") == 16
    assert blocks_from_name("mesh.part") is None
    assert blocks_from_name("mesh.graph.part.x") is None


def test_demo_compares_networkx_and_klpart(tmp_path):
    out = run("demo", "--nodes", 600, "--seed", 2, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = {}
    for line in out.stdout.splitlines():
        m = re.match(r"^(networkx|klpart) (.+?)\s+(\d+)\s+([01]\.\d+)\s+([\d.]+)ms$", line)
        if m:
            rows[m.group(1) + " " + m.group(2).strip()] = (int(m.group(3)), float(m.group(4)))
    assert len(rows) == 3, out.stdout
    for cut, larger in rows.values():
        assert cut > 0 and 0.5 <= larger <= 0.52
    assert "seeds [2, 3, 4]" in out.stdout


def test_partition_time_limit_is_anytime_and_never_worse(files, tmp_path):
    G = parse_metis(files / "mesh.graph")
    plain = run("partition", files / "mesh.graph", K, "-o", tmp_path / "plain.part", cwd=files)
    timed = run("partition", files / "mesh.graph", K, "--time-limit", "1.5", "-o", tmp_path / "timed.part",
                cwd=files)
    assert plain.returncode == 0 and timed.returncode == 0, timed.stderr
    cut_plain = nx_cut(G, read_labels((tmp_path / "plain.part").read_text()))
    cut_timed = nx_cut(G, read_labels((tmp_path / "timed.part").read_text()))
    assert cut_timed <= cut_plain and int(field(timed.stdout, "cut")) == cut_timed
    bad = run("partition", files / "mesh.graph", K, "--time-limit", "-1", cwd=files)
    assert bad.returncode == 2 and "time-limit" in bad.stderr and "Traceback" not in bad.stderr
