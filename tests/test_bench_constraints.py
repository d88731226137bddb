"""bench/bench_constraints.py: its figures against slow obviously-correct
references, its pin and weight generators, and a smoke run of --quick on one
tiny generated graph (METIS side plus whatever klpart implements)."""

import importlib.util
import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

from klpart import CSRGraph
from klpart.datasets import delaunay_graph, grid_graph

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))


def _load():
    spec = importlib.util.spec_from_file_location("bench_constraints", BENCH / "bench_constraints.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bc = _load()


def _edges(g):
    """Every stored (u, v, weight), both directions."""
    for u in range(g.num_nodes):
        for j in range(g.indptr[u], g.indptr[u + 1]):
            yield u, int(g.indices[j]), int(g.edge_weights[j])


def _weighted_graph(seed=0):
    """A small Delaunay mesh with random integer edge weights (symmetric)."""
    g = delaunay_graph(300, seed=seed)
    rng = np.random.default_rng(seed)
    weights = {}
    for u, v, _ in _edges(g):
        weights.setdefault((min(u, v), max(u, v)), int(rng.integers(1, 10)))
    data = [weights[(min(u, v), max(u, v))] for u, v, _ in _edges(g)]
    return CSRGraph(g.indptr, g.indices, np.array(data, np.int64))


@pytest.mark.parametrize("k", [2, 5])
def test_edge_cut_matches_pairwise_sum(k):
    g = _weighted_graph()
    labels = np.random.default_rng(k).integers(0, k, g.num_nodes)
    slow = sum(w for u, v, w in _edges(g) if u < v and labels[u] != labels[v])
    assert bc.edge_cut(g, labels) == slow


@pytest.mark.parametrize("k", [2, 7])
def test_communication_volume_matches_neighbour_sets(k):
    g = delaunay_graph(400, seed=3)
    labels = np.random.default_rng(k).integers(0, k, g.num_nodes)
    neighbours = [set() for _ in range(g.num_nodes)]
    for u, v, _ in _edges(g):
        neighbours[u].add(v)
    slow = sum(len({int(labels[v]) for v in neighbours[u]} - {int(labels[u])}) for u in range(g.num_nodes))
    assert bc.communication_volume(g, labels) == slow
    assert bc.communication_volume(g, np.zeros(g.num_nodes, np.int64)) == 0


def test_components_per_block_matches_bfs():
    g = grid_graph(12, 12)
    rng = np.random.default_rng(1)
    k = 4
    labels = rng.integers(0, k - 1, g.num_nodes)  # block k - 1 stays empty
    adjacency = [[] for _ in range(g.num_nodes)]
    for u, v, _ in _edges(g):
        adjacency[u].append(v)
    slow = [0] * k
    seen = np.zeros(g.num_nodes, bool)
    for start in range(g.num_nodes):
        if seen[start]:
            continue
        slow[labels[start]] += 1
        seen[start] = True
        stack = [start]
        while stack:
            u = stack.pop()
            for v in adjacency[u]:
                if not seen[v] and labels[v] == labels[start]:
                    seen[v] = True
                    stack.append(v)
    counts = bc.components_per_block(g, labels, k)
    assert counts.tolist() == slow
    assert counts[k - 1] == 0 and counts[: k - 1].max() > 1
    # a grid cut into row bands: every block connected
    bands = np.repeat(np.arange(4), 36)
    assert bc.components_per_block(g, bands, 4).tolist() == [1, 1, 1, 1]


def test_constraint_balance_uses_the_protocol_bound():
    labels = np.array([0] * 52 + [1] * 48)
    imbalance, within = bc.constraint_balance(np.ones(100), labels, 2, 0.03)
    assert imbalance == pytest.approx(0.04) and not within  # 52 > 1.03 * 50
    imbalance, within = bc.constraint_balance(np.ones(100), np.array([0] * 51 + [1] * 49), 2, 0.03)
    assert imbalance == pytest.approx(0.02) and within
    # the bound is (1 + eps) * ceil(total / k): 101 nodes in 2 blocks may put 52 in one
    assert bc.constraint_balance(np.ones(101), np.array([0] * 52 + [1] * 49), 2, 0.03)[1]
    # a weighted constraint: weights, not node counts
    weights = np.array([10, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
    assert bc.constraint_balance(weights, np.array([0] + [1] * 10), 2, 0.03)[1]  # 10 vs 10
    assert not bc.constraint_balance(weights, np.array([0, 0] + [1] * 9), 2, 0.03)[1]  # 11 vs 9


@pytest.mark.parametrize("seed", range(4))
def test_moved_nodes_best_relabelling_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    k = 4
    old = rng.integers(0, k, 60)
    new = np.where(rng.random(60) < 0.7, rng.permutation(k)[old], rng.integers(0, k, 60))
    best = min(int((old != np.array(perm)[new]).sum()) for perm in itertools.permutations(range(k)))
    raw, relabelled = bc.moved_nodes(old, new, k)
    assert raw == int((old != new).sum())
    assert relabelled == best <= raw
    # renaming the blocks alone moves nothing
    assert bc.moved_nodes(old, rng.permutation(k)[old], k)[1] == 0


def test_random_pins():
    pins = bc.random_pins(1000, 8, np.random.default_rng(0))
    assert pins.dtype == np.int64 and pins.shape == (1000,)
    assert int((pins >= 0).sum()) == 20
    assert pins.min() == -1 and pins.max() < 8


@pytest.mark.parametrize("k", [2, 8])
def test_region_pins_are_disjoint_connected_balls(k):
    g = delaunay_graph(2000, seed=2)
    pins = bc.region_pins(g, k, np.random.default_rng(k))
    assert pins.dtype == np.int64
    sizes = np.bincount(pins[pins >= 0], minlength=k)
    assert sizes.tolist() == [10] * k  # 0.5% of 2000 each, one label per node so disjoint
    inside = np.where(pins >= 0, pins, k)  # free nodes form one extra "block"
    assert bc.components_per_block(g, inside, k + 1)[:k].tolist() == [1] * k


def test_forced_route_moves_pins_only():
    labels = np.array([0, 0, 1, 1, 2, 2])
    pins = np.array([-1, 2, -1, 0, -1, -1])
    forced = bc.forced_route(labels, pins)
    assert forced.tolist() == [0, 2, 1, 0, 2, 2]
    assert labels.tolist() == [0, 0, 1, 1, 2, 2]  # input untouched
    assert bc.pins_kept(pins, forced) and not bc.pins_kept(pins, labels)


def test_weight_inputs():
    g = grid_graph(5, 5)
    W = bc.two_constraints(g)
    assert W.shape == (25, 2) and W.dtype == np.int64 and W.flags.c_contiguous
    assert (W[:, 0] == 1).all() and W[:, 1].tolist() == np.diff(g.indptr).tolist()
    w = bc.perturbed_weights(1000, np.random.default_rng(0))
    assert sorted(set(w.tolist())) == [1, 5] and int((w == 5).sum()) == 100


def test_over_seeds_merges_like_a_per_key_reference():
    """Medians of numbers, all() of booleans, the worst seed for ``_max`` /
    ``_min`` keys, None when any seed lacks a value, distinct strings joined."""
    per_seed = {
        0: dict(cut=10, time=0.5, components_max=1, components_min=1, balanced=True, volume=None, error=""),
        1: dict(cut=14, time=0.1, components_max=3, components_min=1, balanced=False, volume=7, error="x"),
        2: dict(cut=11, time=0.3, components_max=2, components_min=0, balanced=True, volume=9, error="x"),
    }
    bench = bc.Bench(imbalance=0.03, preset="default", seeds=[0, 1, 2], repeats=1, graphs={}, warmup_graph=None)
    merged = bc.over_seeds(bench, lambda seed: dict(per_seed[seed]))
    assert merged == dict(cut=11, time=0.3, components_max=3, components_min=0, balanced=False, volume=None,
                          error="; x")
    # "max"/"min" inside a name (not as its ending) is an ordinary median
    merged = bc.over_seeds(bench, lambda seed: {"max_cut": [5, 1, 3][seed], "min_cut": [5, 1, 3][seed]})
    assert merged == {"max_cut": 3, "min_cut": 3}


def _rows(section, graph):
    return [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines()
            if line.startswith(f"| {graph} |")]


def _headers(section):
    """The column names of the section's table."""
    line = next(line for line in section.splitlines() if line.startswith("| graph |"))
    return [c.strip() for c in line.strip("|").split("|")]


def _number(cell):
    return float(cell.replace("%", ""))


def test_quick_run_on_a_tiny_graph(tmp_path):
    pytest.importorskip("pymetis", reason="the bench extra is not installed")
    out = tmp_path / "constraints.md"
    text = bc.main(["--quick", "--generated", "delaunay:300", "--k", "4", "--cache", str(tmp_path),
                    "--out", str(out)])
    assert out.read_text() == text
    assert "machine:" in text and "bench_constraints.py --quick" in text
    sections = text.split("\n## ")[1:]
    assert [s.split(".")[0] for s in sections] == ["1", "2", "3", "4", "5"]
    contiguous, volume, fixed, multi, repartition = sections
    graph = "delaunay-300"

    # the same columns, in the same order, as before the two sections shared one function
    assert _headers(contiguous) == ["graph", "k", "METIS cut", "klpart cut", "cut ratio", "METIS s", "klpart s",
                                    "time ratio", "METIS max comp./block", "klpart max comp./block",
                                    "METIS balanced", "klpart balanced"]
    assert _headers(volume) == ["graph", "k", "METIS volume", "klpart volume", "volume ratio", "METIS cut",
                                "klpart cut", "METIS s", "klpart s", "time ratio", "METIS balanced",
                                "klpart balanced"]
    assert contiguous.startswith("1. Contiguous blocks:") and volume.startswith("2. Communication volume:")
    for section, main_ratio in ((contiguous, "cut"), (volume, "volume")):
        lines = section.splitlines()
        assert f"- {main_ratio} ratio klpart/METIS, k = 4: " in section
        summary = lines[lines.index("Summary:") + 1:]
        assert any(f"{main_ratio} ratio geomean" in line and line.endswith("<= 0.97") for line in summary)
        assert any(line.endswith("klpart balanced (3%) in every cell") for line in summary)
    assert "- METIS `contig=1` left a block in pieces in " in contiguous
    assert "time ratio geomean" in contiguous.split("Summary:")[1]
    assert "time ratio geomean" not in volume.split("Summary:")[1]

    (row,) = _rows(contiguous, graph)
    assert _number(row[2]) > 0 and _number(row[5]) > 0  # METIS cut and time
    assert int(row[8]) >= 1  # METIS max components per block
    if "klpart: not available" not in contiguous:
        assert _number(row[3]) > 0 and int(row[9]) >= 1 and _number(row[4]) > 0

    (row,) = _rows(volume, graph)
    assert _number(row[2]) > 0 and _number(row[5]) > 0  # METIS volume and cut
    if "klpart: not available" not in volume:
        assert _number(row[3]) > 0 and _number(row[4]) > 0

    rows = _rows(fixed, graph)
    assert [r[2] for r in rows] == ["random", "regions"]
    for row in rows:
        assert int(row[3]) > 0 and _number(row[4]) > 0 and _number(row[12]) > 0  # pins, forced cuts
        if "klpart: not available" not in fixed:
            assert _number(row[5]) > 0 and row[7] in ("yes", "**NO**")

    (row,) = _rows(multi, graph)
    assert _number(row[2]) > 0 and _number(row[11]) > 0  # klpart 1-constraint and METIS cuts
    if "klpart: not available" not in multi:
        assert _number(row[3]) > 0 and _number(row[5]) >= 0

    (row,) = _rows(repartition, graph)
    assert _number(row[2]) > 0 and _number(row[3]) > 0  # old and fresh cuts
    if "klpart: not available" not in repartition:
        assert _number(row[4]) > 0 and int(row[9]) >= 0

    for section in sections:
        assert "Summary:" in section
        assert any(line.startswith(("- PASS", "- FAIL", "- n/a")) for line in section.splitlines())


def test_missing_feature_reports_not_available(tmp_path, monkeypatch):
    """A klpart keyword the library rejects: the section says so and the
    METIS columns are still measured."""
    pytest.importorskip("pymetis", reason="the bench extra is not installed")
    import klpart

    real = klpart.partition

    def without_volume(*args, **kwargs):
        if "objective" in kwargs:
            raise TypeError("partition() got an unexpected keyword argument 'objective'")
        return real(*args, **kwargs)

    monkeypatch.setattr(klpart, "partition", without_volume)
    text = bc.main(["--generated", "delaunay:300", "--experiments", "volume", "--k", "4",
                    "--cache", str(tmp_path), "--out", str(tmp_path / "v.md")])
    assert "klpart: not available" in text and "unexpected keyword argument 'objective'" in text
    (row,) = _rows(text, "delaunay-300")
    assert _number(row[2]) > 0 and row[3] == "n/a"
    assert "- n/a: volume ratio" in text
