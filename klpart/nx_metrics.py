"""NetworkX-signature quality and cut functions, computed by klpart kernels.

Each function has the signature, defaults, return type and exceptions of the
NetworkX function of the same name (``nx.community.modularity``,
``nx.community.partition_quality``, ``nx.community.is_partition``,
``nx.cut_size``, ``nx.volume``, ``nx.normalized_cut_size``,
``nx.conductance``, ``nx.edge_expansion``, ``nx.mixing_expansion``,
``nx.node_expansion``, ``nx.boundary_expansion``), for use by klpart's
NetworkX backend.  ``G`` may also be a :class:`~klpart.CSRGraph` (what a
backend passes after converting once) or a scipy sparse matrix.

Where NetworkX accepts an input klpart's CSR arrays cannot hold, these raise
``nx.NetworkXNotImplemented`` so that a backend can decline and let NetworkX
run:

* directed graphs (NetworkX supports them in every function here except that
  klpart needs symmetric arrays); :func:`is_partition` needs no arrays and
  accepts them;
* negative, NaN or infinite edge weights.

Other differences, all in cases where NetworkX itself misbehaves or cannot
know better: a callable ``weight`` is looked up as an attribute key by
NetworkX (never found, so every edge weighs 1) and klpart does the same;
integral float weights give ``int`` results (the weights are stored as
integers); a CSRGraph input of a former multigraph counts each edge once in
:func:`mixing_expansion` and :func:`partition_quality`.
"""

import numbers

import networkx as nx
import numpy as np

from .convert import as_csr_graph, is_networkx_graph, labels_are_positions
from .metrics import (
    NotAPartition,
    doc_fragments,
    internal_weights_of,
    lookup,
    modularity_sum,
    node_index,
    parameters,
    partition_sums,
    rows_from_blocks,
    volumes_of,
)

__all__ = [
    "modularity",
    "partition_quality",
    "is_partition",
    "cut_size",
    "volume",
    "normalized_cut_size",
    "conductance",
    "edge_expansion",
    "mixing_expansion",
    "node_expansion",
    "boundary_expansion",
    "NotAPartition",
]

# the parameters the cut functions share, documented once
_GRAPH = """\
G : NetworkX graph, CSRGraph or scipy sparse matrix
    Undirected."""
_SETS = """\
S, T : iterables of nodes
    T defaults to the nodes not in S."""
_WEIGHT = """\
weight : str or None, default None
    Edge attribute (missing -> 1); None counts edges."""

_doc = doc_fragments(
    graph=_GRAPH,
    weight=_WEIGHT,
    set_parameters=parameters(_GRAPH, _SETS, _WEIGHT),
)


# --------------------------------------------------------------------------
# Conversion and node sets
# --------------------------------------------------------------------------
def _graph(G, weight, name):
    """CSRGraph of ``G``, or NetworkXNotImplemented for what CSR can't hold."""
    if not is_networkx_graph(G):
        return as_csr_graph(G, weight=weight)
    if G.is_directed():
        raise nx.NetworkXNotImplemented(
            f"klpart's {name} supports undirected graphs only "
            f"(NetworkX's {name} also accepts directed graphs)"
        )
    if callable(weight):
        # NetworkX uses `weight` as a dict key here: a function is never an
        # edge attribute, so each edge weighs the default 1
        weight = None
    try:
        return as_csr_graph(G, weight=weight)
    except ValueError as err:
        raise nx.NetworkXNotImplemented(
            f"klpart's {name} needs finite non-negative edge weights ({err}); "
            "NetworkX accepts any"
        ) from err


def _rows_in_graph(g, items):
    """Rows of the elements of ``items`` that are nodes of ``g`` (others,
    unhashable ones included, are skipped like ``n in G`` skips them);
    repeats are kept."""
    index = node_index(g)
    rows = []
    if index is None:
        n = g.num_nodes
        for x in items:
            if isinstance(x, (numbers.Integral, np.integer)) and 0 <= x < n:
                rows.append(int(x))
    else:
        get = index.get
        for x in items:
            try:
                r = get(x)
            except TypeError:
                continue
            if r is not None:
                rows.append(r)
    return np.array(rows, np.int64)


def _mask(g, items):
    mask = np.zeros(g.num_nodes, np.bool_)
    mask[_rows_in_graph(g, items)] = True
    return mask


def _is_node(g, x):
    index = node_index(g)
    if index is None:
        return isinstance(x, (numbers.Integral, np.integer)) and 0 <= x < g.num_nodes
    try:
        return x in index
    except TypeError:
        return False


def _nbunch_rows(g, nbunch):
    """Rows of ``nbunch`` as ``G.degree(nbunch)`` reads it (repeats kept)."""
    if _is_node(g, nbunch):
        # NetworkX's volume gets a single number back from G.degree(node) and
        # fails iterating it
        raise TypeError(
            f"volume needs a container of nodes, got the single node {nbunch!r}"
        )
    try:
        items = iter(nbunch)
    except TypeError:
        raise nx.NetworkXError("nbunch is not a node or a sequence of nodes.") from None
    items = list(items)
    for x in items:
        try:
            hash(x)
        except TypeError:
            raise nx.NetworkXError(f"Node {x} in sequence nbunch is not a valid node.") from None
    return _rows_in_graph(g, items)


def _loops(g):
    if g.loop_weights is None:
        return np.zeros(0, g.edge_weights.dtype)
    return g.loop_weights


def _set_cut(g, in_s, in_t):
    from ._kernels.metrics import set_cut

    edge, loop = set_cut(g.indptr, g.indices, g.edge_weights, _loops(g), in_s, in_t)
    return edge + loop


def _cut(g, S, T):
    """NetworkX's cut_size on a converted graph."""
    in_s = _mask(g, S)
    if T is None:
        return _set_cut(g, in_s, ~in_s)
    return _set_cut(g, in_s, _mask(g, set(T)))


def _volume_of_rows(g, rows):
    from ._kernels.metrics import rows_volume

    deg, loop = rows_volume(g.indptr, g.edge_weights, _loops(g), rows)
    return deg + 2 * loop


def _number_of_edges(G, g):
    if is_networkx_graph(G):
        return G.number_of_edges()
    return g.num_edges + (0 if g.loop_weights is None else int(np.count_nonzero(g.loop_weights)))


def _cut_and_volumes(g, S, T):
    """(cut, vol(S), vol(T)) with NetworkX's T=None meaning set(G) - set(S)."""
    if T is None:
        in_s = _mask(g, set(S))
        cut = _set_cut(g, in_s, ~in_s)
        vol_s = _volume_of_rows(g, _nbunch_rows(g, S))
        vol_t = _volume_of_rows(g, np.flatnonzero(~in_s))
        return cut, vol_s, vol_t
    cut = _cut(g, S, T)
    return cut, _volume_of_rows(g, _nbunch_rows(g, S)), _volume_of_rows(g, _nbunch_rows(g, T))


# --------------------------------------------------------------------------
# Community quality
# --------------------------------------------------------------------------
@_doc
def modularity(G, communities, weight="weight", resolution=1):
    """Modularity of a partition; ``nx.community.modularity`` computed by klpart.

    Parameters
    ----------
    {graph}
    communities : iterable of node collections
        A partition of the nodes.
    weight : str or None, default "weight"
        Edge attribute (missing -> 1); None for unit weights.
    resolution : float, default 1

    Returns
    -------
    float

    Raises
    ------
    NotAPartition
        If ``communities`` is not a partition of the nodes (the message says
        why).
    ZeroDivisionError
        If the graph has no edge weight, as in NetworkX.
    NetworkXNotImplemented
        For a directed graph or invalid weights (NetworkX computes those).

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> G = nx.barbell_graph(3, 0)
    >>> nx_metrics.modularity(G, [{0, 1, 2}, {3, 4, 5}])
    0.35714285714285715
    """
    g = _graph(G, weight, "modularity")
    if not isinstance(communities, list):
        communities = list(communities)
    part = rows_from_blocks(communities, g.num_nodes, g.labels(), *lookup(g))
    s = partition_sums(g, part, len(communities), False)
    return float(modularity_sum(internal_weights_of(s), volumes_of(s), resolution, strict=True))


def partition_quality(G, partition):
    """Coverage and performance of a partition; ``nx.community.partition_quality``.

    Parameters
    ----------
    G : NetworkX graph, CSRGraph or scipy sparse matrix
        Undirected; edge weights are ignored.
    partition : sequence of node collections

    Returns
    -------
    (float, float)
        Coverage (intra-block edges, self-loops and parallel edges included,
        over all edges) and performance (intra-block edges plus inter-block
        non-edges over node pairs; -1.0 for a multigraph, as NetworkX).

    Raises
    ------
    NotAPartition
        (a ``NetworkXError``) if ``partition`` is not a partition of the nodes.
    ZeroDivisionError
        Without edges, or with fewer than two nodes, as in NetworkX.
    NetworkXNotImplemented
        For a directed graph.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> nx_metrics.partition_quality(nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}])
    (0.8571428571428571, 0.9333333333333333)
    """
    multigraph = is_networkx_graph(G) and G.is_multigraph()
    g = _graph(G, None, "partition_quality")
    if not isinstance(partition, list):
        partition = list(partition)
    part = rows_from_blocks(partition, g.num_nodes, g.labels(), *lookup(g))
    s = partition_sums(g, part, len(partition), False)
    intra = sum(internal_weights_of(s))  # unit weights: edge counts
    inter = int(s["external"].sum()) // 2
    coverage = intra / (intra + inter)
    if multigraph:
        return coverage, -1.0
    n = g.num_nodes
    cut_edges = int(s["cut_entries"]) // 2
    sizes = s["size"].tolist()
    possible_inter = (n * n - sum(x * x for x in sizes)) // 2
    return coverage, (intra + possible_inter - cut_edges) / (n * (n - 1) // 2)


def is_partition(G, communities):
    """Whether ``communities`` is a partition of the nodes of ``G``;
    ``nx.community.is_partition``.

    Node sets only: directed graphs are accepted.  An iterator is exhausted.

    Parameters
    ----------
    G : NetworkX graph, CSRGraph or scipy sparse matrix
    communities : iterable of node collections

    Returns
    -------
    bool

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> G = nx.path_graph(3)
    >>> nx_metrics.is_partition(G, [{0, 1}, {2}]), nx_metrics.is_partition(G, [{0, 1}, {1, 2}])
    (True, False)
    """
    if not isinstance(communities, list):
        communities = list(communities)
    if is_networkx_graph(G):
        nodes = list(G)
        positions = labels_are_positions(nodes)

        def index():  # built only when the integer route can't decide
            return dict(zip(nodes, range(len(nodes))))

    else:
        g = as_csr_graph(G, weight=None)
        nodes = g.labels()
        index, positions = lookup(g)
    try:
        rows_from_blocks(communities, len(nodes), nodes, index, positions)
    except NotAPartition:
        return False
    return True


# --------------------------------------------------------------------------
# Cuts
# --------------------------------------------------------------------------
@_doc
def cut_size(G, S, T=None, weight=None):
    """Weight of the edges between S and T; ``nx.cut_size`` computed by klpart.

    Parameters
    ----------
    {graph}
    S : iterable of nodes
        Elements that are not nodes are ignored.
    T : iterable of nodes, optional
        Default: every node not in S.  S and T may overlap: an edge inside
        both counts once, and so does a self-loop on a node of both.
    {weight}

    Returns
    -------
    int or float
        Summed weight of the cut edges, an int when the weights are
        integral.

    Examples
    --------
    Two triangles joined by the edge (2, 3):

    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> G = nx.barbell_graph(3, 0)
    >>> nx_metrics.cut_size(G, {0, 1, 2}), nx_metrics.cut_size(G, {0, 1}, {2, 3})
    (1, 2)
    """
    g = _graph(G, weight, "cut_size")
    return _cut(g, S, T)


@_doc
def volume(G, S, weight=None):
    """Summed degree of the nodes of S (self-loops twice); ``nx.volume``.

    Parameters
    ----------
    {graph}
    S : iterable of nodes
        Non-nodes are ignored; a node listed twice counts twice.
    {weight}

    Returns
    -------
    int or float
        An int when the weights are integral.

    Examples
    --------
    Node 0 of a path has a self-loop, which adds 2 to its degree:

    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> G = nx.path_graph(3)
    >>> G.add_edge(0, 0)
    >>> nx_metrics.volume(G, [0, 1])
    5
    """
    g = _graph(G, weight, "volume")
    return _volume_of_rows(g, _nbunch_rows(g, S))


@_doc
def normalized_cut_size(G, S, T=None, weight=None):
    """``cut(S, T) * (1/vol(S) + 1/vol(T))``; ``nx.normalized_cut_size``.

    {set_parameters}

    Returns
    -------
    float
        Between 0 and 2.

    Raises
    ------
    ZeroDivisionError
        If S or T has zero volume, as in NetworkX.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> round(nx_metrics.normalized_cut_size(nx.barbell_graph(3, 0), {0, 1, 2}), 12)
    0.285714285714
    """
    g = _graph(G, weight, "normalized_cut_size")
    cut, vol_s, vol_t = _cut_and_volumes(g, S, T)
    return cut * ((1 / vol_s) + (1 / vol_t))


@_doc
def conductance(G, S, T=None, weight=None):
    """``cut(S, T) / min(vol(S), vol(T))``; ``nx.conductance``.

    {set_parameters}

    Returns
    -------
    float
        Between 0 and 1.

    Raises
    ------
    ZeroDivisionError
        If the smaller volume is 0, as in NetworkX.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> nx_metrics.conductance(nx.barbell_graph(3, 0), {0, 1, 2})
    0.14285714285714285
    """
    g = _graph(G, weight, "conductance")
    cut, vol_s, vol_t = _cut_and_volumes(g, S, T)
    return cut / min(vol_s, vol_t)


@_doc
def edge_expansion(G, S, T=None, weight=None):
    """``cut(S, T) / min(len(S), len(T))``; ``nx.edge_expansion``.

    Parameters
    ----------
    {graph}
    S, T : collections of nodes
        T defaults to the nodes not in S.  Lengths are the containers'
        ``len`` (repeats count), as in NetworkX.
    {weight}

    Returns
    -------
    float
        Cut weight per node of the smaller set.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> nx_metrics.edge_expansion(nx.path_graph(4), [0, 1], [2])
    1.0
    """
    g = _graph(G, weight, "edge_expansion")
    if T is None:
        in_s = _mask(g, set(S))
        cut = _set_cut(g, in_s, ~in_s)
        len_t = g.num_nodes - int(np.count_nonzero(in_s))
    else:
        cut = _cut(g, S, T)
        len_t = len(T)
    return cut / min(len(S), len_t)


@_doc
def mixing_expansion(G, S, T=None, weight=None):
    """``cut(S, T) / (2 * number of edges)``; ``nx.mixing_expansion``.

    The edge count is unweighted and includes self-loops (and, for a
    NetworkX multigraph, parallel edges), as ``G.number_of_edges()``.

    {set_parameters}

    Returns
    -------
    float
        At most 0.5 with unit weights (the edge count ignores weights).

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> nx_metrics.mixing_expansion(nx.cycle_graph(4), {0, 1, 2})
    0.25
    """
    g = _graph(G, weight, "mixing_expansion")
    return _cut(g, S, T) / (2 * _number_of_edges(G, g))


@_doc
def node_expansion(G, S):
    """Size of the neighbourhood of S over ``len(S)``; ``nx.node_expansion``.

    The neighbourhood is every node adjacent to a node of S (nodes of S
    included when they have a neighbour in S or a self-loop).

    Parameters
    ----------
    {graph}
    S : collection of nodes

    Returns
    -------
    float

    Raises
    ------
    NetworkXError
        If an element of S is not a node, as ``G.neighbors`` raises.

    Examples
    --------
    The centre of a star has every leaf as a neighbour:

    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> nx_metrics.node_expansion(nx.star_graph(3), [0])
    3.0
    """
    from ._kernels.metrics import neighbourhood_size

    g = _graph(G, None, "node_expansion")
    index = node_index(g)
    rows = []
    for v in S:
        if index is not None:
            r = index.get(v)  # TypeError for an unhashable v, as G.neighbors
        else:
            r = int(v) if _is_node(g, v) else None
        if r is None:
            raise nx.NetworkXError(f"The node {v} is not in the graph.")
        rows.append(r)
    size = neighbourhood_size(g.indptr, g.indices, _loops(g), np.array(rows, np.int64))
    return size / len(S)


@_doc
def boundary_expansion(G, S):
    """Nodes outside S adjacent to S, over ``len(S)``; ``nx.boundary_expansion``.

    Parameters
    ----------
    {graph}
    S : collection of nodes
        Non-nodes are ignored (but count in ``len(S)``, as in NetworkX).

    Returns
    -------
    float
        Boundary nodes per element of S.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import nx_metrics
    >>> nx_metrics.boundary_expansion(nx.path_graph(5), {1, 2})
    1.0
    """
    from ._kernels.metrics import node_boundary_size

    g = _graph(G, None, "boundary_expansion")
    return node_boundary_size(g.indptr, g.indices, _mask(g, S)) / len(S)
