"""The quality metrics of :mod:`klpart.metrics` one by one: each computes
only the block sums it needs (see :func:`klpart.metrics.report` for all of
them at once)."""

import numpy as np

from ..convert import as_csr_graph
from ._doc import doc_fragments, parameters
from ._input import partition_array, prepare
from ._sums import (
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

__all__ = [
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
]

# the parameters most functions here share, documented once
_GRAPH_AND_PARTITION = """\
G : graph
    NetworkX graph, scipy sparse matrix, CSRGraph... (see :mod:`klpart.metrics`).
partition : list of node collections, dict or label array
    One node collection per block, a dict ``node -> block``, or block labels
    in node order (see :mod:`klpart.metrics`)."""
_BLOCK_COUNT = """\
k : int, optional
    Number of blocks, to count empty trailing blocks."""
_CUT_WEIGHT = """\
weight : str, callable or None, default None
    Edge weights (see :mod:`klpart.metrics`); None counts edges."""

_doc = doc_fragments(
    graph_and_partition=_GRAPH_AND_PARTITION,
    block_count=_BLOCK_COUNT,
    parameters=parameters(_GRAPH_AND_PARTITION, _BLOCK_COUNT),
    parameters_with_weight=parameters(_GRAPH_AND_PARTITION, _CUT_WEIGHT, _BLOCK_COUNT),
)


def _block_sums(G, partition, weight, k, detail=False):
    """The CSR graph and the block sums of the summary kernel."""
    g, part, k, _, _ = prepare(G, partition, weight, k=k)
    return g, partition_sums(g, part, k, detail)


@_doc
def partition_labels(G, partition, *, k=None):
    """The block of every node, in node order, as an int64 array.

    Useful to compare partitions given as node sets with :func:`nmi` and
    friends.

    {parameters}

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
    part, _, _ = partition_array(g, partition, k)
    if isinstance(partition, np.ndarray) and part is partition:
        part = part.copy()  # never hand the caller's array back as ours
    return part


@_doc
def cut(G, partition, weight=None, *, k=None):
    """Total weight of the edges whose ends are in different blocks.

    {parameters_with_weight}

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
    _, s = _block_sums(G, partition, weight, k)
    return cut_of(s)


@_doc
def block_weights(G, partition, node_weight=None, *, k=None):
    """Summed node weight of every block.

    Parameters
    ----------
    {graph_and_partition}
    node_weight : str, array_like or None
        Node attribute (NetworkX), or weights in node order; None counts nodes.
    {block_count}

    Returns
    -------
    list
        Python ints for integral node weights, else floats.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.block_weights(nx.path_graph(5), [0, 0, 0, 1, 1], node_weight=[1, 2, 3, 4, 5])
    [6, 9]
    """
    g, part, k, _, _ = prepare(G, partition, None, node_weight, k)
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


@_doc
def imbalance(G, partition, node_weight=None, *, k=None):
    """``max block weight / (total node weight / k) - 1``.

    The average is exact (not rounded up), so a perfectly balanced partition
    has imbalance 0 and splitting 5 unit nodes 3 + 2 gives 0.2.

    Parameters
    ----------
    {graph_and_partition}
    node_weight : str, array_like or None
        As for :func:`block_weights`.
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
    g, part, k, _, _ = prepare(G, partition, None, node_weight, k)
    return float(imbalance_of(_block_node_weights(g, part, k), k))


@_doc
def modularity(G, partition, weight="weight", resolution=1.0, *, k=None):
    """Modularity of a partition, as ``nx.community.modularity``.

    ``Q = sum_c [ L_c / m - resolution * (d_c / 2m)^2 ]`` with ``L_c`` the
    internal weight of block c (self-loops once), ``d_c`` its summed degree
    (self-loops twice) and ``m`` the total edge weight.

    Parameters
    ----------
    {graph_and_partition}
    weight : str, callable or None, default "weight"
        Edge weights, NetworkX's default (see :mod:`klpart.metrics`).
    resolution : float, default 1.0
        Above 1 favours smaller blocks, below 1 larger ones.
    {block_count}

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
    _, s = _block_sums(G, partition, weight, k)
    return float(modularity_sum(internal_weights_of(s), volumes_of(s), resolution, strict=False))


@_doc
def kl_quality(G, partition, weight="weight", *, k=None):
    """Weight inside blocks minus weight between blocks.

    The community quality Kernighan-Lin style local search maximises
    (equivalently ``total weight - 2 * cut``).  Self-loops count as inside
    weight.  Also :attr:`PartitionReport.internal_minus_external`.

    Parameters
    ----------
    {graph_and_partition}
    weight : str, callable or None, default "weight"
        As for :func:`modularity`.
    {block_count}

    Returns
    -------
    int or float
        An int when the edge weights are integral.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.kl_quality(nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}])
    5
    """
    _, s = _block_sums(G, partition, weight, k)
    return kl_quality_of(s)


@_doc
def coverage(G, partition, weight=None, *, k=None):
    """Fraction of the edge weight inside blocks.

    With ``weight=None`` (the default) this is the coverage of
    ``nx.community.partition_quality``: intra-block edges (self-loops and
    parallel edges included) over all edges.

    {parameters_with_weight}

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
    _, s = _block_sums(G, partition, weight, k)
    return float(coverage_of(s))


@_doc
def performance(G, partition, *, k=None):
    """NetworkX's partition performance.

    (intra-block edges + inter-block non-adjacent node pairs) / (n (n-1) / 2),
    counting a self-loop as an intra-block edge exactly as
    ``nx.community.partition_quality`` does (so it can exceed 1).  Edge
    weights play no part.

    {parameters}

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
    g, part, k, _, multigraph = prepare(G, partition, None, k=k)
    s = partition_sums(g, part, k, detail=False)
    return float(performance_of(s, g.num_nodes, g.indices.shape[0], multigraph))


@_doc
def conductance(G, partition, weight=None, *, k=None):
    """Conductance of every block S: ``cut(S) / min(vol(S), vol(V - S))``.

    Block by block this is ``nx.conductance(G, S, weight=weight)``; volumes
    count self-loops twice as NetworkX's ``volume`` does.

    {parameters_with_weight}

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
    _, s = _block_sums(G, partition, weight, k)
    return conductance_of(s)


@_doc
def normalized_cut(G, partition, weight=None, *, k=None):
    """k-way normalized cut: ``sum over blocks S of cut(S) / vol(S)``.

    For two blocks S, T this is ``cut * (1/vol(S) + 1/vol(T))``, NetworkX's
    ``normalized_cut_size(G, S, T)``.  Blocks of zero volume (isolated nodes
    only, or empty) contribute 0, where NetworkX would divide by zero.

    {parameters_with_weight}

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
    _, s = _block_sums(G, partition, weight, k)
    return normalized_cut_of(s["external"].tolist(), volumes_of(s))


@_doc
def expansion(G, partition, weight=None, *, k=None):
    """Edge expansion of every block S: ``cut(S) / min(|S|, |V - S|)``.

    Block by block this is ``nx.edge_expansion(G, S, weight=weight)``; for a
    block holding at most half the nodes it is ``cut(S) / |S|``.

    {parameters_with_weight}

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
    g, s = _block_sums(G, partition, weight, k)
    return expansion_of(s, g.num_nodes)


@_doc
def boundary_nodes(G, partition, *, k=None):
    """Number of nodes with at least one neighbour in another block.

    {parameters}

    Returns
    -------
    int
        Per-block counts are in :func:`report`.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.boundary_nodes(nx.star_graph(3), [0, 0, 1, 2])
    3
    """
    _, s = _block_sums(G, partition, None, k, detail=True)
    return int(s["boundary"].sum())


@_doc
def communication_volume(G, partition, *, k=None):
    """Total communication volume: for every node, the number of distinct
    other blocks among its neighbours, summed.

    It is the data a node-distributed computation sends when each node's
    value goes once to every other block that needs it.

    {parameters}

    Returns
    -------
    int
        Per-block values and their maximum are in :func:`report`.

    Examples
    --------
    The centre of a star sees blocks 1 and 2; each leaf sees block 0:

    >>> import networkx as nx
    >>> from klpart import metrics
    >>> metrics.communication_volume(nx.star_graph(3), [0, 0, 1, 2])
    4
    """
    _, s = _block_sums(G, partition, None, k, detail=True)
    return int(s["comm"].sum())


@_doc
def components_per_block(G, partition, *, k=None):
    """Number of connected components of the subgraph induced by each block.

    {parameters}

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
    _, s = _block_sums(G, partition, None, k, detail=True)
    return s["components"].tolist()
