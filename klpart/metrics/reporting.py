"""The one-pass quality report of :mod:`klpart.metrics`: :func:`report` and
the :class:`PartitionReport` it returns.

(The module is not called ``report``: importing a submodule of that name
would replace the function ``klpart.metrics.report`` in the package
namespace.)
"""

import math
from dataclasses import dataclass, fields

import numpy as np

from ._input import prepare
from ._sums import (
    NAN,
    conductance_of,
    coverage_of,
    cut_of,
    expansion_of,
    imbalance_of,
    internal_weights_of,
    kl_quality_of,
    modularity_sum,
    normalized_cut_of,
    partition_sums,
    performance_of,
    volumes_of,
)

__all__ = ["PartitionReport", "report"]


@dataclass(frozen=True)
class PartitionReport:
    """Quality of a partition; see :func:`report` for how it is computed.

    All values are Python ints, floats or lists of them (``nan`` where a
    value is undefined).  Per-block lists have ``k`` entries, block ``i``
    first.

    Attributes
    ----------
    k : int
        Number of blocks (empty ones included).
    num_nodes, num_edges : int
        Nodes and undirected edges (self-loops excluded) of the graph.
    total_edge_weight : int or float
        Summed edge weight, self-loops included once (NetworkX's
        ``G.size(weight)``).
    cut : int or float
        Summed weight of the edges between blocks.
    cut_edges : int
        Number of edges between blocks.
    block_sizes : list of int
        Nodes per block.
    block_weights : list
        Summed node weight per block (node count with unit node weights).
    imbalance : float
        ``max(block_weights) / (sum(block_weights) / k) - 1``: 0 for a
        perfectly balanced partition (exact average, no rounding up).
    block_volumes : list
        Summed degree per block, self-loops counted twice (NetworkX's
        ``volume``).
    block_cuts : list
        Weight of the edges leaving each block; ``sum(block_cuts) == 2 * cut``.
    block_internal_weights : list
        Weight of the edges inside each block, self-loops included once.
    modularity : float
        NetworkX's modularity (``nx.community.modularity``) at ``resolution``.
    resolution : float
        The resolution the modularity was computed with.
    internal_minus_external : int or float
        ``sum(block_internal_weights) - cut``: the community quality
        "weight inside blocks minus weight between blocks".
    coverage : float
        ``sum(block_internal_weights) / total_edge_weight``; with unit
        weights NetworkX's ``partition_quality`` coverage.
    performance : float
        NetworkX's ``partition_quality`` performance (edges and self-loops
        inside blocks plus non-adjacent pairs across blocks, over all node
        pairs); unweighted; ``nan`` for multigraphs (NetworkX returns -1).
        Edges are the stored entries, so a self-loop whose weight is 0 under
        ``weight`` is not seen (``weight=None`` sees every edge).
    conductance : list of float
        Per block S: ``cut(S) / min(vol(S), vol(V - S))``, NetworkX's
        ``conductance(G, S)``; nan where the minimum volume is 0.
    conductance_min, conductance_mean, conductance_max : float
        Over the blocks where it is defined.
    normalized_cut : float
        ``sum(cut(S) / vol(S))`` over blocks of positive volume; for k = 2
        this is NetworkX's ``normalized_cut_size(G, S, T)``.
    expansion : list of float
        Per block S: ``cut(S) / min(|S|, |V - S|)``, NetworkX's
        ``edge_expansion(G, S)`` (``cut(S) / |S|`` when S holds at most half
        the nodes); nan where the minimum is 0.
    boundary_nodes : int
        Nodes with a neighbour in another block.
    block_boundary_nodes : list of int
        The same per block.
    communication_volume : int
        Sum over nodes of the number of distinct other blocks among their
        neighbours.
    communication_volume_max : int
        The largest per-block communication volume.
    block_communication_volume : list of int
        Communication volume per block.
    components_per_block : list of int
        Connected components of the subgraph induced by each block (0 for an
        empty block).
    block_labels : list or None
        Block names of a dict partition with non-integer values, else None.
    """

    k: int
    num_nodes: int
    num_edges: int
    total_edge_weight: float
    cut: float
    cut_edges: int
    block_sizes: list
    block_weights: list
    imbalance: float
    block_volumes: list
    block_cuts: list
    block_internal_weights: list
    modularity: float
    resolution: float
    internal_minus_external: float
    coverage: float
    performance: float
    conductance: list
    conductance_min: float
    conductance_mean: float
    conductance_max: float
    normalized_cut: float
    expansion: list
    boundary_nodes: int
    block_boundary_nodes: list
    communication_volume: int
    communication_volume_max: int
    block_communication_volume: list
    components_per_block: list
    block_labels: list = None

    def to_dict(self):
        """The report as a dict of Python numbers and lists (JSON-ready
        except for ``nan``)."""
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    def __str__(self):
        lines = [
            f"Partition report: {self.k} blocks, {self.num_nodes} nodes, "
            f"{self.num_edges} edges (total weight {_fmt(self.total_edge_weight)})"
        ]
        summary = [
            ("cut", f"{_fmt(self.cut)} ({self.cut_edges} edges)"),
            ("imbalance", _fmt(self.imbalance)),
            (f"modularity (resolution {_fmt(self.resolution)})", _fmt(self.modularity)),
            ("internal - external", _fmt(self.internal_minus_external)),
            ("coverage", _fmt(self.coverage)),
            ("performance", _fmt(self.performance)),
            (
                "conductance min / mean / max",
                " / ".join(
                    _fmt(x)
                    for x in (self.conductance_min, self.conductance_mean, self.conductance_max)
                ),
            ),
            ("normalized cut", _fmt(self.normalized_cut)),
            ("boundary nodes", str(self.boundary_nodes)),
            (
                "communication volume total / max",
                f"{self.communication_volume} / {self.communication_volume_max}",
            ),
        ]
        width = max(len(name) for name, _ in summary)
        lines += [f"  {name:<{width}}  {value}" for name, value in summary]
        header = (
            "block",
            "size",
            "weight",
            "volume",
            "cut",
            "conductance",
            "expansion",
            "boundary",
            "comm.vol",
            "components",
        )
        shown = min(self.k, _TABLE_ROWS)
        rows = []
        for b in range(shown):
            name = self.block_labels[b] if self.block_labels is not None else b
            rows.append(
                (
                    str(name),
                    str(self.block_sizes[b]),
                    _fmt(self.block_weights[b]),
                    _fmt(self.block_volumes[b]),
                    _fmt(self.block_cuts[b]),
                    _fmt(self.conductance[b]),
                    _fmt(self.expansion[b]),
                    str(self.block_boundary_nodes[b]),
                    str(self.block_communication_volume[b]),
                    str(self.components_per_block[b]),
                )
            )
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
        lines.append("")
        lines.append("  ".join(h.rjust(w) for h, w in zip(header, widths)))
        lines += ["  ".join(c.rjust(w) for c, w in zip(r, widths)) for r in rows]
        if self.k > shown:
            lines.append(f"... {self.k - shown} more blocks")
        return "\n".join(lines)


_TABLE_ROWS = 20


def _fmt(x):
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def _plain(x):
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    return x


def report(G, partition, weight="weight", node_weight=None, resolution=1.0, *, k=None):
    """All quality metrics of a partition, from one pass over the graph.

    Parameters
    ----------
    G : graph
        NetworkX graph, scipy sparse matrix, CSRGraph... (see module notes).
    partition : list of node collections, dict or label array
        The partition (see module notes).
    weight : str, callable or None, default "weight"
        Edge weights used by every weighted metric (cut, volumes,
        modularity, coverage, conductance, normalized cut, expansion).
    node_weight : str, array_like or None
        Node weights for ``block_weights`` and ``imbalance`` (attribute name
        for NetworkX graphs, or a sequence in node order); unit by default.
    resolution : float, default 1.0
        Modularity resolution.
    k : int, optional
        Number of blocks, when trailing blocks are empty.

    Returns
    -------
    PartitionReport
        Field definitions are in :class:`PartitionReport`; each equals the
        standalone function of the same name given the same ``weight``.

    Raises
    ------
    NotAPartition
        If collections or a dict do not partition the nodes.
    ValueError
        For a label array of the wrong length or with negative labels, or a
        bad weight.
    networkx.NetworkXNotImplemented
        For a directed graph.

    Examples
    --------
    Two triangles joined by one edge, split into the triangles:

    >>> import networkx as nx
    >>> from klpart import metrics
    >>> G = nx.barbell_graph(3, 0)
    >>> r = metrics.report(G, [{0, 1, 2}, {3, 4, 5}])
    >>> r.cut, r.imbalance, r.block_sizes, r.components_per_block
    (1, 0.0, [3, 3], [1, 1])
    >>> round(r.modularity, 6), r.conductance
    (0.357143, [0.14285714285714285, 0.14285714285714285])
    >>> r.to_dict()["boundary_nodes"]
    2
    >>> print(r)  # doctest: +NORMALIZE_WHITESPACE
    Partition report: 2 blocks, 6 nodes, 7 edges (total weight 7)
      cut                               1 (1 edges)
      imbalance                         0
      modularity (resolution 1)         0.357143
      internal - external               5
      coverage                          0.857143
      performance                       0.933333
      conductance min / mean / max      0.142857 / 0.142857 / 0.142857
      normalized cut                    0.285714
      boundary nodes                    2
      communication volume total / max  2 / 1
    <BLANKLINE>
    block  size  weight  volume  cut  conductance  expansion  boundary  comm.vol  components
        0     3       3       7    1     0.142857   0.333333         1         1           1
        1     3       3       7    1     0.142857   0.333333         1         1           1
    """
    g, part, k, names, multigraph = prepare(G, partition, weight, node_weight, k)
    s = partition_sums(g, part, k, detail=True)
    n = g.num_nodes
    nnz = g.indices.shape[0]
    internal = internal_weights_of(s)
    volumes = volumes_of(s)
    block_cuts = s["external"].tolist()
    cut_total = cut_of(s)
    cond = conductance_of(s)
    defined = [x for x in cond if not math.isnan(x)]
    sizes = s["size"].tolist()
    comm = s["comm"].tolist()
    bweights = s["node_weight"].tolist()
    return PartitionReport(
        k=k,
        num_nodes=n,
        num_edges=nnz // 2,
        total_edge_weight=sum(internal) + cut_total,
        cut=cut_total,
        cut_edges=int(s["cut_entries"]) // 2,
        block_sizes=sizes,
        block_weights=bweights,
        imbalance=imbalance_of(bweights, k),
        block_volumes=volumes,
        block_cuts=block_cuts,
        block_internal_weights=internal,
        modularity=float(modularity_sum(internal, volumes, resolution, strict=False)),
        resolution=float(resolution),
        internal_minus_external=kl_quality_of(s),
        coverage=coverage_of(s),
        performance=performance_of(s, n, nnz, multigraph),
        conductance=cond,
        conductance_min=min(defined) if defined else NAN,
        conductance_mean=sum(defined) / len(defined) if defined else NAN,
        conductance_max=max(defined) if defined else NAN,
        normalized_cut=normalized_cut_of(block_cuts, volumes),
        expansion=expansion_of(s, n),
        boundary_nodes=int(s["boundary"].sum()),
        block_boundary_nodes=s["boundary"].tolist(),
        communication_volume=sum(comm),
        communication_volume_max=max(comm) if comm else 0,
        block_communication_volume=comm,
        components_per_block=s["components"].tolist(),
        block_labels=names,
    )
