"""Debug mode (``PartitionConfig(debug=True)`` or ``KLPART_DEBUG=1``): the
driver recomputes what the kernels report after every phase, and says so when
they disagree."""

from dataclasses import replace

import networkx as nx
import numpy as np
import pytest

import klpart
from klpart.config import preset
from klpart.multilevel import cycle, refinement

GRAPHS = {
    "grid": lambda: nx.grid_2d_graph(24, 24),
    "delaunay": lambda: klpart.delaunay_graph(1500, seed=2),
    "weighted": lambda: nx.random_geometric_graph(800, 0.07, seed=3),
}


@pytest.mark.parametrize("name", sorted(GRAPHS))
@pytest.mark.parametrize("k", [2, 5, 16])
@pytest.mark.parametrize("preset_name", ["default", "strong"])
def test_debug_mode_runs_clean_and_changes_nothing(name, k, preset_name):
    G = GRAPHS[name]()
    if name == "weighted":
        for u, v, d in G.edges(data=True):
            d["weight"] = 1 + (u * 7 + v) % 5
    cfg = preset(preset_name)
    plain = klpart.partition(G, k, config=cfg, seed=1)
    checked = klpart.partition(G, k, config=replace(cfg, debug=True), seed=1)
    assert np.array_equal(plain.labels, checked.labels) and checked.balanced


def test_environment_variable_turns_debug_on(monkeypatch):
    assert not cycle.debug_enabled(preset("default"))
    monkeypatch.setenv("KLPART_DEBUG", "1")
    assert cycle.debug_enabled(preset("default"))


@pytest.mark.parametrize("k", [2, 4])
def test_debug_mode_catches_a_refiner_that_misreports_its_cut(monkeypatch, k):
    real = refinement.refine_level

    def off_by_one(*args, **kwargs):
        return real(*args, **kwargs) + 1  # a gain update skipped somewhere

    monkeypatch.setattr(cycle, "refine_level", off_by_one)
    G = nx.grid_2d_graph(20, 20)
    klpart.partition(G, k, seed=0)  # without debug mode nothing notices
    with pytest.raises(AssertionError, match="reported cut"):
        klpart.partition(G, k, config=replace(preset("default"), debug=True), seed=0)


def test_debug_mode_catches_a_broken_contraction(monkeypatch):
    from klpart.multilevel import coarsening

    real = coarsening.coarsen

    def lossy(*args, **kwargs):
        levels, coarsest, group = real(*args, **kwargs)
        coarsest.node_weights[0] += 1  # weight appears from nowhere
        return levels, coarsest, group

    monkeypatch.setattr(cycle, "coarsen", lossy)
    with pytest.raises(AssertionError, match="total node weight"):
        klpart.partition(nx.grid_2d_graph(30, 30), 2, config=replace(preset("default"), debug=True), seed=0)


@pytest.mark.parametrize("k", [2, 4])
def test_debug_mode_catches_a_refiner_that_breaks_balance(monkeypatch, k):
    from klpart._kernels.kway import kway_cut

    real = refinement.refine_level

    def overloading(graph, labels, k, *args, **kwargs):
        real(graph, labels, k, *args, **kwargs)
        # a balance check skipped: move a third of the nodes into block 0,
        # and report the true cut of the result (only the weights are wrong)
        labels[: graph.num_nodes // 3] = 0
        return kway_cut(graph.indptr, graph.indices, graph.edge_weights, labels)

    monkeypatch.setattr(cycle, "refine_level", overloading)
    G = nx.grid_2d_graph(20, 20)
    with pytest.raises(AssertionError, match="exceed the bounds"):
        klpart.partition(G, k, config=replace(preset("default"), debug=True), seed=0)
