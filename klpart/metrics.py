"""Partition quality and agreement metrics, computed over CSR arrays.

Quality of one partition of a graph:

* :func:`report` computes everything below in one pass of a Numba kernel and
  returns a :class:`PartitionReport` (``print`` it for a table);
* each metric also has its own function: :func:`cut`, :func:`block_weights`,
  :func:`imbalance`, :func:`modularity`, :func:`kl_quality`,
  :func:`coverage`, :func:`performance`, :func:`conductance`,
  :func:`normalized_cut`, :func:`expansion`, :func:`boundary_nodes`,
  :func:`communication_volume`, :func:`components_per_block`.

Agreement of two labelings of the same items (from their contingency table):
:func:`entropy`, :func:`mutual_information`, :func:`nmi`,
:func:`variation_of_information`, :func:`adjusted_rand_index`.

Inputs
------
``G`` is anything :func:`klpart.as_csr_graph` accepts (NetworkX graph or
multigraph, scipy sparse matrix or array, dense array, CSR tuple, or a
:class:`~klpart.CSRGraph`, which is used without reconversion).  Directed
NetworkX graphs raise ``nx.NetworkXNotImplemented``.

``weight`` follows :func:`klpart.as_csr_graph`: an edge attribute name
(missing -> 1) or callable for NetworkX graphs; for matrices and CSRGraphs any
non-None value means "the stored values".  ``weight=None`` means unit weights
for every input type.  Each function takes the default of the NetworkX
function it corresponds to: ``"weight"`` for :func:`modularity` (as
``nx.community.modularity``), None for the cut-based metrics (as
``nx.cut_size``, ``nx.conductance``...).  :func:`report` uses ``"weight"``.

``partition`` is one of

* a list (or other iterable) of node collections, one per block, as NetworkX
  takes them; block ``i`` is the ``i``-th collection, empty blocks allowed;
* a dict ``node -> block``: non-negative integer values are block indices,
  any other hashable values are block names, numbered in sorted order (or
  order of first appearance when they cannot be sorted) and kept in
  :attr:`PartitionReport.block_labels`;
* an array or list of non-negative integer labels in node order (the order of
  ``list(G)`` or of the matrix rows).

A collection or dict that is not a partition of the nodes raises
:class:`NotAPartition` (a ``networkx.NetworkXError``); a malformed label array
raises ``ValueError``.  The number of blocks ``k`` is the number of
collections, or the largest label + 1; pass ``k=`` to count trailing empty
blocks.

Conventions
-----------
Self-loops are treated as NetworkX treats them: they never count in a cut;
they count once as internal weight (modularity, coverage, kl_quality) and
twice in a node's degree, hence in a block's volume (modularity, conductance,
normalized cut).  Multigraph parallel edges are summed (with ``weight=None``
each parallel edge counts 1).  Results are Python ``int`` (integral weights)
or ``float``, never NumPy scalars.  Where a metric is undefined (no edges,
zero volume, fewer than two nodes) it is ``nan``, where NetworkX raises
``ZeroDivisionError``; the NetworkX-signature functions of
:mod:`klpart.nx_metrics` raise as NetworkX does.
"""

import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, fields

import networkx as nx
import numpy as np
from networkx.algorithms.community.quality import NotAPartition as _NxNotAPartition

from .convert import _labels_are_positions, as_csr_graph, is_networkx_graph

__all__ = [
    "NotAPartition",
    "PartitionReport",
    "report",
    "partition_labels",
    "cut",
    "block_weights",
    "imbalance",
    "modularity",
    "kl_quality",
    "coverage",
    "performance",
    "conductance",
    "normalized_cut",
    "expansion",
    "boundary_nodes",
    "communication_volume",
    "components_per_block",
    "entropy",
    "mutual_information",
    "nmi",
    "variation_of_information",
    "adjusted_rand_index",
]

_NAN = float("nan")


class NotAPartition(_NxNotAPartition):
    """Raised when node collections are not a partition of a graph's nodes.

    A subclass of NetworkX's ``nx.community.quality.NotAPartition`` (itself a
    ``networkx.NetworkXError``), so code catching either keeps working; the
    message names the offending node and blocks.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> try:
    ...     metrics.cut(nx.path_graph(3), [{0}, {1}])
    ... except nx.NetworkXError as err:
    ...     print(err)
    node 2 is in no block
    """

    def __init__(self, message):
        # NetworkX's constructor formats a generic message from (G, collection);
        # ours carries a precise one
        nx.NetworkXError.__init__(self, message)


# --------------------------------------------------------------------------
# Partition input
# --------------------------------------------------------------------------
def _node_index(g):
    """dict label -> row of a labelled CSRGraph (None for 0..n-1 labels).

    The dict is CSRGraph's own lazily built index, so repeated calls on the
    same graph build it once.
    """
    if g.nodes is None:
        return None
    if g._index is None:
        g._index = dict(zip(g.nodes, range(len(g.nodes))))
    return g._index


def _lookup(g):
    """``(index, positions)`` for :func:`_lookup_rows`: the label index (or
    a function building it) and whether row i's label is the integer i."""
    if g.nodes is None:
        return None, True
    return (lambda: _node_index(g)), _labels_are_positions(g.nodes)


def _lookup_rows(items, n, index, positions):
    """``(rows, bad)``: int64 rows of the list ``items``, or ``(None, p)``
    when ``items[p]`` is not a node.

    ``index`` maps labels to rows (a dict, a function returning one, or None
    when the nodes are exactly the integers 0..n-1); ``positions`` says that
    label i is row i, which allows an array route without hashing (the dict
    remains the fallback, for elements such as 1.0 that equal a node).
    """
    m = len(items)
    if positions:
        try:
            arr = np.asarray(items) if m else np.zeros(0, np.int64)
        except (ValueError, TypeError):  # ragged: not all integers
            arr = None
        if (
            arr is not None
            and arr.ndim == 1
            and arr.dtype.kind in "biu"
            and (m == 0 or (arr.min() >= 0 and arr.max() < n))
        ):
            return arr.astype(np.int64, copy=False), -1
        if index is None:
            for p, x in enumerate(items):
                if not (isinstance(x, (numbers.Integral, np.integer)) and 0 <= x < n):
                    return None, p
            return np.fromiter(map(int, items), np.int64, m), -1
    if callable(index):
        index = index()
    try:
        found = list(map(index.get, items))
    except TypeError:  # an unhashable element can't be a node
        for p, x in enumerate(items):
            try:
                hash(x)
            except TypeError:
                return None, p
        raise
    try:
        return np.fromiter(found, np.int64, m), -1
    except TypeError:  # None: not in the index
        return None, found.index(None)


def _label_of(g, row):
    return g.nodes[row] if g.nodes is not None else row


def _is_label_sequence(partition):
    if isinstance(partition, np.ndarray):
        return True
    return len(partition) > 0 and isinstance(partition[0], (numbers.Integral, np.integer))


def _partition_array(g, partition, k=None):
    """``(part, k, block_labels)``: int64 block of each row, block count and
    the block names of a dict partition (None otherwise)."""
    if isinstance(partition, Mapping):
        part, k_found, names = _from_mapping(g, partition)
    else:
        if not isinstance(partition, (list, tuple, np.ndarray)):
            partition = list(partition)
        if _is_label_sequence(partition):
            part, k_found = _from_label_array(g, partition)
            names = None
        else:
            part = _rows_from_blocks(partition, g.num_nodes, g.labels(), *_lookup(g))
            k_found = len(partition)
            names = None
    if k is None:
        return part, k_found, names
    k = _check_k(k)
    if k < k_found:
        raise ValueError(f"the partition has {k_found} blocks but k={k}")
    if names is not None:
        names = names + [None] * (k - len(names))
    return part, k, names


def _check_k(k):
    if not isinstance(k, (numbers.Integral, np.integer)) or isinstance(k, bool) or k < 0:
        raise ValueError(f"k must be a non-negative integer, got {k!r}")
    return int(k)


def _rows_from_blocks(blocks, n, labels, index, positions=False):
    """Block of each row from a sequence of node collections.

    ``index`` and ``positions`` are as in :func:`_lookup_rows`; ``labels``
    gives a row's label for messages.  Raises NotAPartition for a foreign,
    repeated or missing node, TypeError for a block that is not a collection.
    """
    sizes = np.empty(len(blocks), np.int64)
    flat = []
    for i, block in enumerate(blocks):
        if not isinstance(block, (set, frozenset, list, tuple, dict)):
            try:
                block = list(block)
            except TypeError:
                raise TypeError(f"block {i} is {block!r}, not a collection of nodes") from None
        sizes[i] = len(block)
        flat.extend(block)
    ends = np.cumsum(sizes)

    def block_of(position):
        return int(np.searchsorted(ends, position, side="right"))

    m = len(flat)
    rows, bad = _lookup_rows(flat, n, index, positions)
    if rows is None:
        raise NotAPartition(f"{flat[bad]!r} is not a node of the graph (block {block_of(bad)})")
    counts = np.bincount(rows, minlength=n)
    if m > n or (counts > 1).any():
        r = int(np.flatnonzero(counts > 1)[0])
        first, second = (block_of(p) for p in np.flatnonzero(rows == r)[:2])
        where = f"twice in block {first}" if first == second else f"in blocks {first} and {second}"
        raise NotAPartition(f"node {labels[r]!r} is {where}")
    if m < n:
        r = int(np.flatnonzero(counts == 0)[0])
        raise NotAPartition(f"node {labels[r]!r} is in no block")
    part = np.empty(n, np.int64)
    part[rows] = np.repeat(np.arange(len(blocks), dtype=np.int64), sizes)
    return part


def _from_mapping(g, mapping):
    n = g.num_nodes
    keys = list(mapping)
    rows, bad = _lookup_rows(keys, n, *_lookup(g))
    if rows is None:
        raise NotAPartition(f"{keys[bad]!r} is not a node of the graph")
    if len(keys) < n:
        covered = np.zeros(n, bool)
        covered[rows] = True
        r = int(np.flatnonzero(~covered)[0])
        raise NotAPartition(f"node {_label_of(g, r)!r} is in no block")
    values = list(mapping.values())
    codes, names = _encode_block_values(values)
    part = np.empty(n, np.int64)
    part[rows] = codes
    k = len(names) if names is not None else (int(codes.max()) + 1 if n else 0)
    return part, k, names


def _encode_block_values(values):
    """Block indices from dict values: non-negative ints are used as they
    are; anything else is a block name (returns the names too)."""
    if values and all(
        isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, bool) and v >= 0
        for v in values
    ):
        return np.fromiter(values, np.int64, len(values)), None
    codes, names = _encode_hashables(values)
    return codes, names


def _encode_hashables(values):
    """Codes 0..k-1 of arbitrary hashable values: sorted order when the
    values can be sorted, otherwise order of first appearance."""
    distinct = list(dict.fromkeys(values))
    try:
        distinct = sorted(distinct)  # not list.sort: a failed sort leaves it shuffled
    except TypeError:
        pass
    code_of = {v: i for i, v in enumerate(distinct)}
    return np.fromiter(map(code_of.__getitem__, values), np.int64, len(values)), distinct


def _from_label_array(g, labels):
    n = g.num_nodes
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(f"a label array must be one-dimensional, got shape {arr.shape}")
    if arr.shape[0] != n:
        raise ValueError(f"the label array has {arr.shape[0]} entries for a graph of {n} nodes")
    kind = arr.dtype.kind
    if kind == "b":
        arr = arr.astype(np.int64)
    elif kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.floor(arr))
        if bad.any():
            r = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"label of node {_label_of(g, r)!r} is {arr[r].item()!r}: labels must be integers"
            )
    elif kind not in "iu":
        raise TypeError(f"labels must be integers, got an array of dtype {arr.dtype}")
    if n and arr.min() < 0:
        r = int(np.flatnonzero(arr < 0)[0])
        raise ValueError(
            f"label of node {_label_of(g, r)!r} is {arr[r].item()!r}: "
            "block labels must be non-negative"
        )
    part = arr.astype(np.int64, copy=False)
    return part, (int(part.max()) + 1 if n else 0)


def _prepare(G, partition, weight, node_weight=None, k=None):
    """Convert once; return (graph, part, k, block names, is_multigraph)."""
    multigraph = is_networkx_graph(G) and G.is_multigraph()
    g = as_csr_graph(G, weight=weight, node_weight=node_weight)
    part, k, names = _partition_array(g, partition, k)
    return g, part, k, names, multigraph


def _summary(g, part, k, detail):
    from ._kernels.metrics import partition_summary

    loops = g.loop_weights
    if loops is None:
        loops = np.zeros(0, g.edge_weights.dtype)
    out = partition_summary(
        g.indptr, g.indices, g.edge_weights, loops, g.node_weights, part, k, detail
    )
    names = (
        "size",
        "node_weight",
        "internal",
        "external",
        "loop",
        "loop_nodes",
        "cut_entries",
        "boundary",
        "comm",
        "components",
    )
    return dict(zip(names, out))


# --------------------------------------------------------------------------
# Formulas on block sums (shared with klpart.nx_metrics)
# --------------------------------------------------------------------------
def _halve(x):
    """Half of a sum of directed entries (exact for integers)."""
    return x // 2 if isinstance(x, int) else x / 2


def _internal_weights(s):
    """Per-block internal weight, self-loops counted once (list)."""
    internal = s["internal"]
    half = internal // 2 if internal.dtype.kind in "iu" else internal / 2
    return (half + s["loop"]).tolist()


def _volumes(s):
    """Per-block volume as NetworkX's ``volume``: degrees with self-loops
    counted twice (list)."""
    return (s["internal"] + s["external"] + 2 * s["loop"]).tolist()


def _modularity_sum(internal, volumes, resolution, strict):
    """NetworkX's modularity formula, term by term in the same order.

    With integral weights the block sums are the same Python integers
    NetworkX computes, so the result is bit-identical.  ``strict``: raise
    ZeroDivisionError (as NetworkX) instead of returning nan for a graph
    without edge weight.
    """
    deg_sum = sum(volumes)
    if deg_sum == 0 and not strict:
        return _NAN
    m = deg_sum / 2
    norm = 1 / deg_sum**2
    return sum(L_c / m - resolution * d * d * norm for L_c, d in zip(internal, volumes))


def _performance(s, n, num_entries, multigraph):
    """NetworkX's performance: (intra-block edges + inter-block non-edges) /
    node pairs, self-loops counting as intra-block edges."""
    if multigraph or n < 2:
        return _NAN
    cut_edges = int(s["cut_entries"]) // 2
    intra = (num_entries // 2 - cut_edges) + int(s["loop_nodes"])
    sizes = s["size"].tolist()
    possible_inter = (n * n - sum(x * x for x in sizes)) // 2
    return (intra + possible_inter - cut_edges) / (n * (n - 1) // 2)


def _ratio(num, den):
    return num / den if den else _NAN


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------
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
    g, part, k, names, multigraph = _prepare(G, partition, weight, node_weight, k)
    s = _summary(g, part, k, detail=True)
    n = g.num_nodes
    nnz = g.indices.shape[0]
    internal = _internal_weights(s)
    volumes = _volumes(s)
    block_cuts = s["external"].tolist()
    cut_total = _halve(sum(block_cuts))
    total_weight = sum(internal) + cut_total
    vol_total = sum(volumes)
    cond = [_ratio(c, min(v, vol_total - v)) for c, v in zip(block_cuts, volumes)]
    defined = [x for x in cond if not math.isnan(x)]
    sizes = s["size"].tolist()
    comm = s["comm"].tolist()
    bweights = s["node_weight"].tolist()
    return PartitionReport(
        k=k,
        num_nodes=n,
        num_edges=nnz // 2,
        total_edge_weight=total_weight,
        cut=cut_total,
        cut_edges=int(s["cut_entries"]) // 2,
        block_sizes=sizes,
        block_weights=bweights,
        imbalance=_imbalance(bweights, k),
        block_volumes=volumes,
        block_cuts=block_cuts,
        block_internal_weights=internal,
        modularity=float(_modularity_sum(internal, volumes, resolution, strict=False)),
        resolution=float(resolution),
        internal_minus_external=sum(internal) - cut_total,
        coverage=_ratio(sum(internal), total_weight),
        performance=_performance(s, n, nnz, multigraph),
        conductance=cond,
        conductance_min=min(defined) if defined else _NAN,
        conductance_mean=sum(defined) / len(defined) if defined else _NAN,
        conductance_max=max(defined) if defined else _NAN,
        normalized_cut=_normalized_cut(block_cuts, volumes),
        expansion=[_ratio(c, min(x, n - x)) for c, x in zip(block_cuts, sizes)],
        boundary_nodes=int(s["boundary"].sum()),
        block_boundary_nodes=s["boundary"].tolist(),
        communication_volume=sum(comm),
        communication_volume_max=max(comm) if comm else 0,
        block_communication_volume=comm,
        components_per_block=s["components"].tolist(),
        block_labels=names,
    )


def _imbalance(bweights, k):
    total = sum(bweights)
    if k == 0 or total == 0:
        return _NAN
    return max(bweights) / (total / k) - 1


def _normalized_cut(block_cuts, volumes):
    # a block of zero volume has no cut either; it contributes nothing
    return float(sum(c / v for c, v in zip(block_cuts, volumes) if v))


# --------------------------------------------------------------------------
# Standalone metrics
# --------------------------------------------------------------------------
def partition_labels(G, partition, *, k=None):
    """The block of every node, in node order, as an int64 array.

    Useful to compare partitions given as node sets with :func:`nmi` and
    friends.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    k : int, optional

    Returns
    -------
    numpy.ndarray
        int64 labels, ``labels[i]`` the block of the ``i``-th node.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.partition_labels(nx.path_graph(4), [{2, 3}, {0, 1}]).tolist()
    [1, 1, 0, 0]
    """
    g = as_csr_graph(G, weight=None)
    part, _, _ = _partition_array(g, partition, k)
    if isinstance(partition, np.ndarray) and part is partition:
        part = part.copy()  # never hand the caller's array back as ours
    return part


def cut(G, partition, weight=None, *, k=None):
    """Total weight of the edges whose ends are in different blocks.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    weight : str, callable or None, default None
        None counts edges (NetworkX's ``cut_size`` default).
    k : int, optional

    Returns
    -------
    int or float
        For two blocks S, T: ``nx.cut_size(G, S, T, weight)``.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> G = nx.cycle_graph(6)
    >>> metrics.cut(G, [0, 0, 1, 1, 2, 2])
    3
    """
    g, part, k, _, _ = _prepare(G, partition, weight, k=k)
    s = _summary(g, part, k, detail=False)
    return _halve(s["external"].sum().item())


def block_weights(G, partition, node_weight=None, *, k=None):
    """Summed node weight of every block.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    node_weight : str, array_like or None
        Node attribute (NetworkX), or weights in node order; None counts nodes.
    k : int, optional

    Returns
    -------
    list

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.block_weights(nx.path_graph(5), [0, 0, 0, 1, 1], node_weight=[1, 2, 3, 4, 5])
    [6, 9]
    """
    g, part, k, _, _ = _prepare(G, partition, None, node_weight, k)
    return _block_node_weights(g, part, k)


def _block_node_weights(g, part, k):
    w = g.node_weights
    sums = np.bincount(part, weights=w, minlength=k)
    if w.dtype.kind in "iu":
        if w.sum() < 2**53:  # the float sums are exact
            return sums.astype(np.int64).tolist()
        out = np.zeros(k, np.int64)
        np.add.at(out, part, w)
        return out.tolist()
    return sums.tolist()


def imbalance(G, partition, node_weight=None, *, k=None):
    """``max block weight / (total node weight / k) - 1``.

    The average is exact (not rounded up), so a perfectly balanced partition
    has imbalance 0 and splitting 5 unit nodes 3 + 2 gives 0.2.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    node_weight : str, array_like or None
    k : int, optional
        Number of blocks; empty trailing blocks raise the imbalance.

    Returns
    -------
    float
        nan without blocks or node weight.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> round(metrics.imbalance(nx.path_graph(5), [0, 0, 0, 1, 1]), 12)
    0.2
    >>> metrics.imbalance(nx.path_graph(4), [0, 0, 1, 1], k=4)
    1.0
    """
    g, part, k, _, _ = _prepare(G, partition, None, node_weight, k)
    return float(_imbalance(_block_node_weights(g, part, k), k))


def modularity(G, partition, weight="weight", resolution=1.0, *, k=None):
    """Modularity of a partition, as ``nx.community.modularity``.

    ``Q = sum_c [ L_c / m - resolution * (d_c / 2m)^2 ]`` with ``L_c`` the
    internal weight of block c (self-loops once), ``d_c`` its summed degree
    (self-loops twice) and ``m`` the total edge weight.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    weight : str, callable or None, default "weight"
    resolution : float, default 1.0
        Above 1 favours smaller blocks, below 1 larger ones.
    k : int, optional

    Returns
    -------
    float
        nan for a graph without edge weight (NetworkX raises
        ZeroDivisionError).

    References
    ----------
    .. [1] M. E. J. Newman, "Networks: An Introduction", Oxford University
       Press, 2010, section 7.7.
    .. [2] J. Reichardt and S. Bornholdt, "Statistical mechanics of community
       detection", Phys. Rev. E 74, 016110 (2006).

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> G = nx.barbell_graph(3, 0)
    >>> round(metrics.modularity(G, [{0, 1, 2}, {3, 4, 5}]), 12)
    0.357142857143
    >>> round(metrics.modularity(G, [{0, 1, 2}, {3, 4, 5}], resolution=0.5), 12)
    0.607142857143
    """
    g, part, k, _, _ = _prepare(G, partition, weight, k=k)
    s = _summary(g, part, k, detail=False)
    return float(_modularity_sum(_internal_weights(s), _volumes(s), resolution, strict=False))


def kl_quality(G, partition, weight="weight", *, k=None):
    """Weight inside blocks minus weight between blocks.

    The community quality Kernighan-Lin style local search maximises
    (equivalently ``total weight - 2 * cut``).  Self-loops count as inside
    weight.  Also :attr:`PartitionReport.internal_minus_external`.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    weight : str, callable or None, default "weight"
    k : int, optional

    Returns
    -------
    int or float

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.kl_quality(nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}])
    5
    """
    g, part, k, _, _ = _prepare(G, partition, weight, k=k)
    s = _summary(g, part, k, detail=False)
    return sum(_internal_weights(s)) - _halve(s["external"].sum().item())


def coverage(G, partition, weight=None, *, k=None):
    """Fraction of the edge weight inside blocks.

    With ``weight=None`` (the default) this is the coverage of
    ``nx.community.partition_quality``: intra-block edges (self-loops and
    parallel edges included) over all edges.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    weight : str, callable or None, default None
    k : int, optional

    Returns
    -------
    float
        nan without edges.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.coverage(nx.cycle_graph(4), [0, 0, 1, 1])
    0.5
    """
    g, part, k, _, _ = _prepare(G, partition, weight, k=k)
    s = _summary(g, part, k, detail=False)
    internal = sum(_internal_weights(s))
    return float(_ratio(internal, internal + _halve(s["external"].sum().item())))


def performance(G, partition, *, k=None):
    """NetworkX's partition performance.

    (intra-block edges + inter-block non-adjacent node pairs) / (n (n-1) / 2),
    counting a self-loop as an intra-block edge exactly as
    ``nx.community.partition_quality`` does (so it can exceed 1).  Edge
    weights play no part.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    k : int, optional

    Returns
    -------
    float
        nan for a multigraph (NetworkX returns -1: it does not define
        performance there) and for fewer than two nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.performance(nx.cycle_graph(4), [0, 0, 1, 1])
    0.6666666666666666
    """
    g, part, k, _, multigraph = _prepare(G, partition, None, k=k)
    s = _summary(g, part, k, detail=False)
    return float(_performance(s, g.num_nodes, g.indices.shape[0], multigraph))


def conductance(G, partition, weight=None, *, k=None):
    """Conductance of every block S: ``cut(S) / min(vol(S), vol(V - S))``.

    Block by block this is ``nx.conductance(G, S, weight=weight)``; volumes
    count self-loops twice as NetworkX's ``volume`` does.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    weight : str, callable or None, default None
    k : int, optional

    Returns
    -------
    list of float
        nan for a block where the smaller volume is 0.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.conductance(nx.path_graph(4), [0, 0, 1, 1])
    [0.3333333333333333, 0.3333333333333333]
    """
    g, part, k, _, _ = _prepare(G, partition, weight, k=k)
    s = _summary(g, part, k, detail=False)
    volumes = _volumes(s)
    total = sum(volumes)
    return [
        float(_ratio(c, min(v, total - v))) for c, v in zip(s["external"].tolist(), volumes)
    ]


def normalized_cut(G, partition, weight=None, *, k=None):
    """k-way normalized cut: ``sum over blocks S of cut(S) / vol(S)``.

    For two blocks S, T this is ``cut * (1/vol(S) + 1/vol(T))``, NetworkX's
    ``normalized_cut_size(G, S, T)``.  Blocks of zero volume (isolated nodes
    only, or empty) contribute 0, where NetworkX would divide by zero.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    weight : str, callable or None, default None
    k : int, optional

    Returns
    -------
    float

    References
    ----------
    .. [1] J. Shi and J. Malik, "Normalized cuts and image segmentation",
       IEEE Trans. PAMI 22(8) (2000) 888-905.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.normalized_cut(nx.path_graph(4), [0, 0, 1, 1])
    0.6666666666666666
    """
    g, part, k, _, _ = _prepare(G, partition, weight, k=k)
    s = _summary(g, part, k, detail=False)
    return _normalized_cut(s["external"].tolist(), _volumes(s))


def expansion(G, partition, weight=None, *, k=None):
    """Edge expansion of every block S: ``cut(S) / min(|S|, |V - S|)``.

    Block by block this is ``nx.edge_expansion(G, S, weight=weight)``; for a
    block holding at most half the nodes it is ``cut(S) / |S|``.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    weight : str, callable or None, default None
    k : int, optional

    Returns
    -------
    list of float
        nan for an empty block or a block holding every node.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.expansion(nx.path_graph(5), [0, 0, 0, 1, 1])
    [0.5, 0.5]
    """
    g, part, k, _, _ = _prepare(G, partition, weight, k=k)
    s = _summary(g, part, k, detail=False)
    n = g.num_nodes
    return [
        float(_ratio(c, min(x, n - x))) for c, x in zip(s["external"].tolist(), s["size"].tolist())
    ]


def boundary_nodes(G, partition, *, k=None):
    """Number of nodes with at least one neighbour in another block.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    k : int, optional

    Returns
    -------
    int

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.boundary_nodes(nx.star_graph(3), [0, 0, 1, 2])
    3
    """
    g, part, k, _, _ = _prepare(G, partition, None, k=k)
    return int(_summary(g, part, k, detail=True)["boundary"].sum())


def communication_volume(G, partition, *, k=None):
    """Total communication volume: for every node, the number of distinct
    other blocks among its neighbours, summed.

    It is the data a node-distributed computation sends when each node's
    value goes once to every other block that needs it.  Per-block values
    and their maximum are in :func:`report`.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    k : int, optional

    Returns
    -------
    int

    Examples
    --------
    The centre of a star sees blocks 1 and 2; each leaf sees block 0:

    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.communication_volume(nx.star_graph(3), [0, 0, 1, 2])
    4
    """
    g, part, k, _, _ = _prepare(G, partition, None, k=k)
    return int(_summary(g, part, k, detail=True)["comm"].sum())


def components_per_block(G, partition, *, k=None):
    """Number of connected components of the subgraph induced by each block.

    Parameters
    ----------
    G : graph
    partition : list of node collections, dict or label array
    k : int, optional

    Returns
    -------
    list of int
        0 for an empty block.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.components_per_block(nx.path_graph(5), [0, 1, 0, 1, 0])
    [3, 2]
    """
    g, part, k, _, _ = _prepare(G, partition, None, k=k)
    return _summary(g, part, k, detail=True)["components"].tolist()


# --------------------------------------------------------------------------
# Agreement between two labelings
# --------------------------------------------------------------------------
def _encode_labels(labels, name):
    """``(codes, k)``: int64 codes in [0, k) of any sequence of hashables.

    Non-negative integer labels are used as they are when not too sparse
    (zero rows of the contingency table cost nothing); anything else goes
    through ``np.unique`` or, for values NumPy cannot order, a dict.
    """
    if isinstance(labels, np.ndarray):
        arr = labels
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional, got shape {arr.shape}")
    else:
        labels = list(labels)
        try:
            arr = np.asarray(labels)
        except (ValueError, TypeError):  # ragged nested sequences
            arr = None
        # only trust NumPy's conversion for numbers: it would turn
        # [1, "1"] into two equal strings and tuples into a 2-d array
        if arr is None or arr.ndim != 1 or arr.dtype.kind not in "biuf":
            codes, distinct = _encode_hashables(labels)
            return codes, len(distinct)
    if arr.shape[0] == 0:
        raise ValueError(f"{name} is empty")
    kind = arr.dtype.kind
    if kind in "biu":
        arr = arr.astype(np.int64, copy=False) if kind != "u" or arr.max() < 2**63 else arr
        if arr.dtype == np.int64:
            lo, hi = int(arr.min()), int(arr.max())
            if lo >= 0 and hi < 2 * arr.shape[0] + 1024:
                return arr, hi + 1
    if kind == "O":
        codes, distinct = _encode_hashables(arr.tolist())
        return codes, len(distinct)
    uniques, codes = np.unique(arr, return_inverse=True)
    return codes.astype(np.int64, copy=False).reshape(-1), uniques.shape[0]


def _table(labels_a, labels_b):
    """Contingency sums of two labelings (see ``agreement_sums``)."""
    from ._kernels.metrics import agreement_sums, contingency

    a, ka = _encode_labels(labels_a, "labels_a")
    b, kb = _encode_labels(labels_b, "labels_b")
    if a.shape[0] != b.shape[0]:
        raise ValueError(
            f"the labelings have different lengths: {a.shape[0]} and {b.shape[0]}"
        )
    N = a.shape[0]
    # a dense table is faster than sorting while it stays about as small as
    # the input
    dense = ka * kb <= 4 * N + 4096
    rows, cols, counts, row_sums, col_sums = contingency(a, b, ka, kb, dense)
    h_a, h_b, mi, pairs, pairs_a, pairs_b = agreement_sums(
        rows, cols, counts, row_sums, col_sums, N
    )
    n_a = int(np.count_nonzero(row_sums))
    n_b = int(np.count_nonzero(col_sums))
    return N, h_a, h_b, max(mi, 0.0), pairs, pairs_a, pairs_b, n_a, n_b


def _log_base(base):
    if base is None:
        return 1.0
    if not (isinstance(base, numbers.Real) and base > 0 and base != 1 and math.isfinite(base)):
        raise ValueError(f"base must be a positive number other than 1, got {base!r}")
    return math.log(base)


def entropy(labels, base=None):
    """Shannon entropy of a labeling: ``-sum p_i log p_i`` over its classes.

    Parameters
    ----------
    labels : array_like
        Integer labels or any hashable values.
    base : float, optional
        Logarithm base (default e: nats; 2 gives bits).

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For an empty labeling or a bad base.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.entropy(["x", "y", "x", "y"], base=2)
    1.0
    """
    scale = _log_base(base)
    _, h, _, _, _, _, _, _, _ = _table(labels, labels)
    return float(max(h, 0.0) / scale)


def mutual_information(labels_a, labels_b, base=None):
    """Mutual information of two labelings of the same items.

    ``I(A; B) = sum_ij p_ij log(p_ij / (p_i q_j))`` over the contingency
    table: the Kullback-Leibler divergence of the joint label distribution
    from the product of its marginals.

    Parameters
    ----------
    labels_a, labels_b : array_like
        Labelings of equal, non-zero length: integers or any hashables.
    base : float, optional
        Logarithm base (default e).

    Returns
    -------
    float
        Non-negative (rounding below 0 is clipped).

    Raises
    ------
    ValueError
        For empty labelings, different lengths or a bad base.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.mutual_information([0, 0, 1, 1], [1, 1, 0, 0], base=2)
    1.0
    >>> metrics.mutual_information([0, 0, 1, 1], [0, 1, 0, 1])
    0.0
    """
    scale = _log_base(base)
    _, _, _, mi, *_ = _table(labels_a, labels_b)
    return float(mi / scale)


_AVERAGES = ("arithmetic", "geometric", "min", "max")


def nmi(labels_a, labels_b, average="arithmetic"):
    """Normalised mutual information of two labelings, in [0, 1].

    ``I(A; B) / mean(H(A), H(B))`` with the mean chosen by ``average``.  As
    in scikit-learn, two constant labelings have NMI 1, and NMI is 0 whenever
    the mutual information is 0.

    Parameters
    ----------
    labels_a, labels_b : array_like
        Labelings of equal, non-zero length: integers or any hashables.
    average : {"arithmetic", "geometric", "min", "max"}
        Normaliser: ``(H_a + H_b) / 2``, ``sqrt(H_a H_b)``, ``min`` or ``max``.

    Returns
    -------
    float
        Rounding outside [0, 1] is clipped.

    Raises
    ------
    ValueError
        For empty labelings, different lengths or an unknown ``average``.

    References
    ----------
    .. [1] N. X. Vinh, J. Epps and J. Bailey, "Information theoretic measures
       for clusterings comparison", JMLR 11 (2010) 2837-2854.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.nmi([0, 0, 1, 1], ["b", "b", "a", "a"])
    1.0
    >>> round(metrics.nmi([0, 0, 1, 1], [0, 0, 0, 1]), 6)
    0.343711
    """
    if average not in _AVERAGES:
        choices = ", ".join(map(repr, _AVERAGES))
        raise ValueError(f"average must be one of {choices}, got {average!r}")
    _, h_a, h_b, mi, _, _, _, n_a, n_b = _table(labels_a, labels_b)
    if n_a == n_b == 1:
        return 1.0
    if mi <= np.finfo(np.float64).eps:
        return 0.0
    if average == "arithmetic":
        norm = (h_a + h_b) / 2
    elif average == "geometric":
        norm = math.sqrt(h_a * h_b)
    elif average == "min":
        norm = min(h_a, h_b)
    else:
        norm = max(h_a, h_b)
    return float(min(max(mi / norm, 0.0), 1.0))


def variation_of_information(labels_a, labels_b, base=None):
    """Variation of information ``H(A) + H(B) - 2 I(A; B)``, a metric on
    partitions (0 exactly for equal partitions up to relabelling).

    Parameters
    ----------
    labels_a, labels_b : array_like
        Labelings of equal, non-zero length: integers or any hashables.
    base : float, optional
        Logarithm base (default e).

    Returns
    -------
    float
        Non-negative (rounding below 0 is clipped).

    References
    ----------
    .. [1] M. Meila, "Comparing clusterings - an information based
       distance", J. Multivariate Analysis 98 (2007) 873-895.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.variation_of_information([0, 0, 1, 1], [5, 5, 3, 3])
    0.0
    >>> metrics.variation_of_information([0, 0, 1, 1], [0, 1, 0, 1], base=2)
    2.0
    """
    scale = _log_base(base)
    _, h_a, h_b, mi, *_ = _table(labels_a, labels_b)
    return float(max(h_a + h_b - 2 * mi, 0.0) / scale)


def adjusted_rand_index(labels_a, labels_b):
    """Adjusted Rand index of two labelings (Hubert and Arabie).

    The Rand index (fraction of item pairs on which the labelings agree)
    corrected for chance: 1 for equal partitions, about 0 for independent
    ones, possibly negative.  Computed in exact integer arithmetic from the
    pair counts of the contingency table.

    Parameters
    ----------
    labels_a, labels_b : array_like
        Labelings of equal, non-zero length: integers or any hashables.

    Returns
    -------
    float
        1.0 when the index is 0/0 (both labelings constant, or both all
        singletons: they agree on every pair).

    References
    ----------
    .. [1] L. Hubert and P. Arabie, "Comparing partitions", J. Classification
       2 (1985) 193-218.

    Examples
    --------
    >>> from klpart import metrics
    >>> metrics.adjusted_rand_index([0, 0, 1, 1], [1, 1, 0, 0])
    1.0
    >>> metrics.adjusted_rand_index([0, 0, 1, 1], [0, 1, 0, 1])
    -0.5
    """
    N, _, _, _, pairs, pairs_a, pairs_b, _, _ = _table(labels_a, labels_b)
    total = N * (N - 1) // 2
    # ARI = (pairs - E) / (mean(pairs_a, pairs_b) - E), E = pairs_a pairs_b / total,
    # multiplied through by 2 * total to stay in integers until the end
    num = 2 * (total * pairs - pairs_a * pairs_b)
    den = total * (pairs_a + pairs_b) - 2 * pairs_a * pairs_b
    if den == 0:
        return 1.0
    return num / den
