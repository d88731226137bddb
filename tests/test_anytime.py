"""Anytime mode (klpart/multilevel/anytime.py, partition(time_limit=))."""

import math
import time

import networkx as nx
import numpy as np
import pytest

import klpart
from klpart._rng import kernel_state
from klpart.config import preset
from klpart.multilevel import anytime as at


@pytest.fixture(scope="module")
def mesh():
    return klpart.delaunay_graph(3000, seed=4)


def _anytime(history):
    return [h for h in history if h.get("phase") == "anytime"]


@pytest.mark.parametrize("k", [2, 5])
def test_never_worse_than_the_first_partition(mesh, k):
    first = klpart.partition(mesh, k, seed=3)
    res = klpart.partition(mesh, k, seed=3, time_limit=0.6)
    assert res.balanced
    assert res.cut <= first.cut
    entries = _anytime(res.history)
    assert entries[0]["cut"] == first.cut and entries[0]["step"] == "first"
    cuts = [e["cut"] for e in entries]
    assert cuts == sorted(cuts, reverse=True) and len(set(cuts)) == len(cuts)  # improvements only
    assert entries[-1]["cut"] == res.cut
    assert all(0 <= e["seconds"] for e in entries)
    # the reported cut is the labels' cut
    from klpart._kernels.kway import kway_cut

    assert res.cut == int(kway_cut(mesh.indptr, mesh.indices, mesh.edge_weights, res.labels))


def test_no_limit_is_deterministic_and_unchanged(mesh):
    a = klpart.partition(mesh, 4, seed=11)
    b = klpart.partition(mesh, 4, seed=11, time_limit=None)
    np.testing.assert_array_equal(a.labels, b.labels)
    assert not _anytime(a.history)
    # a zero budget returns the first partition itself
    c = klpart.partition(mesh, 4, seed=11, time_limit=0)
    np.testing.assert_array_equal(a.labels, c.labels)
    assert [e["step"] for e in _anytime(c.history)] == ["first"]


def test_limit_respected_with_one_step_of_slack(mesh, monkeypatch):
    steps = []
    real = at.refine_level

    def timed(*args, **kw):
        t = time.perf_counter()
        out = real(*args, **kw)
        steps.append(time.perf_counter() - t)
        return out

    monkeypatch.setattr(at, "refine_level", timed)
    limit = 0.8
    t = time.perf_counter()
    res = klpart.partition(mesh, 4, seed=0, time_limit=limit)
    elapsed = time.perf_counter() - t
    assert steps, "the budget allowed no step"
    # at most one refinement step (plus the final bookkeeping) past the limit
    assert elapsed <= limit + max(steps) + 0.25
    assert res.balanced


def test_no_refinement_starts_after_the_deadline(mesh, monkeypatch):
    # a fake clock that advances one unit per reading: deterministic deadline checks
    ticks = iter(range(10**9))
    monkeypatch.setattr(at, "_now", lambda: float(next(ticks)))
    started_at = []
    real = at.refine_level

    def spy(*args, **kw):
        started_at.append(at._now())
        return real(*args, **kw)

    monkeypatch.setattr(at, "refine_level", spy)
    g = mesh
    cfg = preset("default")
    first = klpart.partition(g, 2, seed=0).labels
    targets = np.array([1500.0, 1500.0])
    bounds = np.floor(1.03 * targets)
    deadline = 60.0
    best = at.improve(g, first, 2, targets, bounds, 0.03, cfg, kernel_state(1), deadline, 0.0)
    assert started_at and max(started_at) < deadline + 1  # the reading taken just before it
    assert best.shape == first.shape and set(np.unique(best)) <= {0, 1}


def test_combine_keeps_both_parents_cut_edges_uncontracted(mesh):
    # the grouping a*k+b: a coarse node never holds two blocks of either parent
    from klpart.multilevel.coarsening import coarsen

    cfg = preset("default")
    a = klpart.partition(mesh, 3, seed=1).labels
    b = klpart.partition(mesh, 3, seed=2).labels
    levels, coarsest, group = coarsen(mesh, cfg.coarsening, kernel_state(0), 200, group=a * 3 + b)
    ga = a.copy()
    for fine, cmap in levels:
        coarse = np.full(cmap.max() + 1, -1)
        coarse[cmap] = ga
        assert np.array_equal(coarse[cmap], ga)  # constant on every coarse node
        ga = coarse
    assert coarsest.num_nodes < mesh.num_nodes


@pytest.mark.parametrize("pool_size", [2, 3, 4])
def test_combine_parents_by_tournament(pool_size):
    # the first parent is the better (lower position) of two uniform draws:
    # P(first = i) = (2 (n - i) - 1) / n^2; the second is any other one, uniformly
    state = kernel_state(7)
    draws = 20000
    counts = np.zeros((pool_size, pool_size))
    for _ in range(draws):
        first, second = at._parents(pool_size, state)
        assert 0 <= first < pool_size and 0 <= second < pool_size and first != second
        counts[first, second] += 1
    n = pool_size
    expected_first = np.array([(2 * (n - i) - 1) / n**2 for i in range(n)])
    np.testing.assert_allclose(counts.sum(axis=1) / draws, expected_first, atol=0.015)
    for i in range(n):
        row = np.delete(counts[i], i)
        np.testing.assert_allclose(row / row.sum(), 1 / (n - 1), atol=0.03)


def test_steps_alternate_coarsening_and_end_with_flows(mesh, monkeypatch):
    # every other step coarsens with the other algorithm; k > 2 steps end
    # with the pairwise flow step (the strong preset has one)
    from klpart.multilevel import refinement

    first = klpart.partition(mesh, 4, seed=0, preset="strong").labels  # before the patches: only steps count
    seen = []
    real_coarsen, real_flows = at.coarsen, refinement.pairwise_flow_refine

    def coarsen(graph, config, *args, **kw):
        seen.append(("coarsen", config.algorithm))
        return real_coarsen(graph, config, *args, **kw)

    def flows(graph, labels, k, *args, **kw):
        seen.append(("flows", k))
        return real_flows(graph, labels, k, *args, **kw)

    monkeypatch.setattr(at, "coarsen", coarsen)
    monkeypatch.setattr(refinement, "pairwise_flow_refine", flows)  # flow_step calls it from there
    cfg = preset("strong")
    k = 4
    targets = np.full(k, mesh.num_nodes / k)
    bounds = np.floor(1.03 * np.ceil(targets))
    best = at.improve(mesh, first, k, targets, bounds, 0.03, cfg, kernel_state(0), time.perf_counter() + 3.0,
                      time.perf_counter())
    algorithms = [a for kind, a in seen if kind == "coarsen"]
    assert len(algorithms) >= 3
    assert algorithms[::2] == ["matching"] * len(algorithms[::2])
    assert algorithms[1::2] == ["clustering"] * len(algorithms[1::2])
    assert ("flows", 4) in seen
    assert np.bincount(best, minlength=k).max() <= bounds.max()


@pytest.mark.parametrize("bad, exc", [(-1, ValueError), (math.nan, ValueError), (math.inf, ValueError),
                                      ("5", TypeError), (True, TypeError), ([1], TypeError)])
def test_bad_time_limit(mesh, bad, exc):
    with pytest.raises(exc, match="time_limit"):
        klpart.partition(mesh, 2, time_limit=bad)


def test_progress_bar(mesh, capsys):
    res = klpart.partition(mesh, 2, time_limit=0.3, progress=True)
    err = capsys.readouterr().err
    assert "anytime" in err and "cut=" in err
    assert res.balanced


def test_disconnected_input_and_plot():
    import matplotlib

    matplotlib.use("Agg")
    from klpart import plot

    G = nx.disjoint_union_all([nx.grid_2d_graph(20, 20), nx.grid_2d_graph(8, 8), nx.path_graph(30)])
    first = klpart.partition(G, 2, seed=0)
    res = klpart.partition(G, 2, seed=0, time_limit=0.4)
    assert res.cut <= first.cut and res.balanced
    ax = plot.anytime(res)
    line = next(l for l in ax.lines if l.get_gid() == "best cut")
    assert list(line.get_ydata()) == [e["cut"] for e in _anytime(res.history)]
    fig = plot.levels(res)  # the non-level entries are skipped
    assert fig.axes[0].lines
    with pytest.raises(ValueError, match="anytime"):
        plot.anytime(first)
