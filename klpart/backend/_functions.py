"""The functions klpart's NetworkX backend implements (NetworkX signatures)."""

import networkx as nx

from ._graph import BACKEND_NAME, KLPartGraph, nx_graph_of

# --------------------------------------------------------------------------
# The functions
# --------------------------------------------------------------------------
_STORED = "weight"  # any non-None weight: "use the CSRGraph's stored weights"


def _csr_for(G, weight, name):
    """(CSRGraph, nx graph or None) for a call with edge weights ``weight``."""
    graph = nx_graph_of(G)
    if graph is None:  # CSRGraph or scipy input: klpart's own conversion rules
        from ..convert import as_csr_graph

        return as_csr_graph(G, weight=weight), None
    kg = G if isinstance(G, KLPartGraph) else KLPartGraph(G)
    if callable(weight) and name != "kernighan_lin_bisection":
        weight = None
    return kg.csr(weight), kg


def _declining(func):
    """Turn klpart's NetworkXNotImplemented (a directed graph reached a
    function, bad weights in a matrix) into NotImplementedError, the
    exception that makes NetworkX try another backend."""

    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except nx.NetworkXNotImplemented as err:
            raise NotImplementedError(str(err)) from err

    wrapper.__name__ = func.__name__
    wrapper.__qualname__ = func.__qualname__
    wrapper.__doc__ = func.__doc__
    wrapper.__wrapped__ = func
    wrapper.__module__ = func.__module__
    return wrapper



def _sized_blocks(G, blocks, what="communities"):
    """``blocks`` as a list read the way NetworkX's ``is_partition`` reads it.

    NetworkX collects the graph's nodes found in the blocks (reading each
    block once) and, only when they are all of the graph's nodes, adds up
    ``len`` of every block: a block without ``len`` (a generator, an
    iterator) then raises TypeError; otherwise the answer is "not a
    partition".  A one-shot iterable of blocks is read once.  Blocks with a
    length are never consumed; blocks without one are read into lists (they
    would be exhausted in NetworkX too).  Items that are not collections at
    all are left to klpart's checks (a TypeError as well).
    """
    if not isinstance(blocks, list):
        blocks = list(blocks)
    unsized = [
        i for i, b in enumerate(blocks) if hasattr(b, "__iter__") and not hasattr(b, "__len__")
    ]
    if not unsized:
        return blocks
    kind = type(blocks[unsized[0]]).__name__
    blocks = list(blocks)  # never write into the caller's list
    for i in unsized:
        blocks[i] = list(blocks[i])
    graph = nx_graph_of(G)
    if graph is None:
        from ..convert import as_csr_graph

        graph = set(as_csr_graph(G, weight=None).labels())
    found = set()
    for block in blocks:
        if hasattr(block, "__iter__"):
            for x in block:
                try:
                    if x in graph:
                        found.add(x)
                except TypeError:  # unhashable: not a node
                    pass
    if len(found) == len(graph):
        raise TypeError(
            f"block {unsized[0]} of {what} has no len() (object of type '{kind}'): "
            "NetworkX needs sized blocks (sets, lists, ...)"
        )
    return blocks


def kernighan_lin_bisection(
    G, partition=None, max_iter=10, weight="weight", seed=None, *, tie_break=None
):
    """``nx.community.kernighan_lin_bisection`` on klpart.

    Parameters
    ----------
    G : networkx.Graph, KLPartGraph, CSRGraph or scipy sparse matrix
    partition, max_iter, weight, seed
        As in NetworkX.  A callable ``weight`` is evaluated per direction on
        each call (never cached).
    tie_break : {"lifo", "fifo", "networkx"}, optional
        Among equal gains, move the node updated most recently ("lifo",
        klpart's default: lower cuts on meshes), least recently ("fifo"), or
        replay NetworkX's heap move for move ("networkx": NetworkX's exact
        partition on graphs without self-loops).  Default:
        ``nx.config.backends.klpart.kl_tie_break``.

    Returns
    -------
    tuple of two sets
        Original node labels (row indices for matrix input).

    Raises
    ------
    NetworkXError
        For a partition that is not two sets or not a partition.
    NotImplementedError
        For weights klpart cannot hold (negative, NaN, infinite, not numbers).

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.barbell_graph(3, 0)
    >>> A, B = nx.community.kernighan_lin_bisection(
    ...     G, partition=({0, 1, 3}, {2, 4, 5}), backend="klpart", tie_break="networkx"
    ... )
    >>> sorted(map(sorted, (A, B)))
    [[0, 1, 2], [3, 4, 5]]
    """
    from .._check import check_max_iter, not_directed
    from .._rng import python_random
    from ..nx_api import initial_side, two_sets
    from ..kl import KLTieBreak, kl_refine

    if tie_break is None:
        config = getattr(nx.config.backends, BACKEND_NAME, None)
        tie_break = "lifo" if config is None else config.get("kl_tie_break", "lifo")
    if tie_break not in KLTieBreak:
        raise ValueError(f"tie_break must be one of {KLTieBreak}, got {tie_break!r}")
    graph = nx_graph_of(G)
    if graph is not None:
        not_directed(graph)
    # Weights first: a decline must leave ``seed`` (a generator NetworkX
    # already made from it) unconsumed for NetworkX's own run.  A bad
    # partition with bad weights then reaches NetworkX, which raises for it.
    if graph is not None:
        nodes = list(graph)
        if callable(weight):
            from ..convert import networkx_arrays

            try:
                _, indptr, indices, weights, _ = networkx_arrays(graph, weight, nodes=nodes)
            except (TypeError, ValueError) as err:
                raise NotImplementedError(
                    f"klpart needs finite non-negative numeric edge weights ({err})"
                ) from err
        else:
            kg = G if isinstance(G, KLPartGraph) else KLPartGraph(G)
            g = kg.csr(weight)
            if g.nodes != nodes:
                # the graph was changed behind NetworkX's back (its cache was
                # not cleared): never run kernels on arrays of another graph
                g = kg.csr(weight, fresh=True)
            indptr, indices, weights = g.indptr, g.indices, g.edge_weights
    else:
        from ..convert import as_csr_graph

        g = as_csr_graph(G, weight=weight)
        nodes = list(g.labels())
        indptr, indices, weights = g.indptr, g.indices, g.edge_weights
    if partition is not None:
        # NetworkX unpacks the two sides, then its is_partition takes their
        # len(): sides without one (generators) raise TypeError there.  Done
        # after the weight check so that a decline leaves the partition unread.
        try:
            A, B = partition
        except (TypeError, ValueError) as err:
            raise nx.NetworkXError("partition must be two sets") from err
        partition = tuple(_sized_blocks(G, [A, B], "partition"))
    side = initial_side(nodes, partition, python_random(seed))
    kl_refine(indptr, indices, weights, side, check_max_iter(max_iter), tie_break=tie_break)
    return two_sets(nodes, side)


@_declining
def modularity(G, communities, weight="weight", resolution=1):
    """``nx.community.modularity`` on klpart (see :func:`klpart.nx_metrics.modularity`).

    Examples
    --------
    >>> import networkx as nx
    >>> nx.community.modularity(nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}], backend="klpart")
    0.35714285714285715
    """
    from .. import nx_metrics

    g, _ = _csr_for(G, weight, "modularity")
    communities = _sized_blocks(G, communities)
    return nx_metrics.modularity(g, communities, weight=_STORED, resolution=resolution)


@_declining
def partition_quality(G, partition):
    """``nx.community.partition_quality`` on klpart.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.community.partition_quality(
    ...     nx.barbell_graph(3, 0), [{0, 1, 2}, {3, 4, 5}], backend="klpart"
    ... )
    (0.8571428571428571, 0.9333333333333333)
    """
    from .. import nx_metrics

    graph = nx_graph_of(G)
    if not isinstance(partition, list):
        partition = list(partition)
    try:
        if graph is not None and graph.is_multigraph():
            # coverage counts parallel edges, which a unit-weight CSRGraph
            # has lost; the multigraph itself carries them
            return nx_metrics.partition_quality(graph, partition)
        g, _ = _csr_for(G, None, "partition_quality")
        return nx_metrics.partition_quality(g, partition)
    except nx_metrics.NotAPartition:
        _as_networkx_reads(G, graph, partition)
        raise


def _as_networkx_reads(G, graph, partition):
    """Raise what NetworkX's ``partition_quality`` body raises for a
    ``partition`` that is not a partition of ``G``.

    NetworkX checks the partition in a decorator that runs before dispatch
    (for klpart too); a one-shot iterable (generator, ``iter(...)``, ``map``)
    is exhausted there and reaches the function empty.  NetworkX's body then
    looks up the block of each edge's endpoints (KeyError for the first one
    in no block) and divides by the number of edges (ZeroDivisionError for a
    graph without edges).  Returns when every edge endpoint is in a block
    (no such partition gets past NetworkX's decorator).
    """
    block_of = {}
    for i, block in enumerate(partition):
        for node in block:
            block_of[node] = i
    if graph is not None:
        if graph.number_of_edges() == 0:
            raise ZeroDivisionError("division by zero")
        for u, v in graph.edges():
            block_of[u]  # KeyError, as NetworkX
            block_of[v]
        return
    from ..convert import as_csr_graph

    g = as_csr_graph(G, weight=None)
    labels = g.labels()
    has_loops = g.loop_weights is not None and bool(g.loop_weights.any())
    if g.num_edges == 0 and not has_loops:
        raise ZeroDivisionError("division by zero")
    for row in range(g.num_nodes):
        if g.indptr[row + 1] > g.indptr[row] or (has_loops and g.loop_weights[row]):
            block_of[labels[row]]
            for col in g.indices[g.indptr[row] : g.indptr[row + 1]].tolist():
                block_of[labels[col]]


def is_partition(G, communities):
    """``nx.community.is_partition`` on klpart (directed graphs included).

    Examples
    --------
    >>> import networkx as nx
    >>> nx.community.is_partition(nx.path_graph(3), [{0, 1}, {2}], backend="klpart")
    True
    """
    from .. import nx_metrics

    graph = nx_graph_of(G)
    communities = _sized_blocks(G, communities)
    return nx_metrics.is_partition(G if graph is None else graph, communities)


def _float_sum(result, kg, weight):
    """NetworkX sums Python numbers: float weights give a float even where
    klpart stored them as integers (an empty sum stays the int 0)."""
    if (
        kg is not None
        and type(result) is int
        and result != 0
        and not callable(weight)
        and kg.float_values(weight)
    ):
        return float(result)
    return result


@_declining
def cut_size(G, S, T=None, weight=None):
    """``nx.cut_size`` on klpart.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.cut_size(nx.barbell_graph(3, 0), {0, 1, 2}, backend="klpart")
    1
    """
    from .. import nx_metrics

    g, kg = _csr_for(G, weight, "cut_size")
    return _float_sum(nx_metrics.cut_size(g, S, T, weight=_STORED), kg, weight)


@_declining
def volume(G, S, weight=None):
    """``nx.volume`` on klpart.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.volume(nx.barbell_graph(3, 0), {0, 1, 2}, backend="klpart")
    7
    """
    from .. import nx_metrics

    g, kg = _csr_for(G, weight, "volume")
    return _float_sum(nx_metrics.volume(g, S, weight=_STORED), kg, weight)


@_declining
def normalized_cut_size(G, S, T=None, weight=None):
    """``nx.normalized_cut_size`` on klpart.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.normalized_cut_size(nx.path_graph(4), {1, 2}, backend="klpart")
    1.5
    """
    return _set_function("normalized_cut_size", G, S, T, weight)


@_declining
def conductance(G, S, T=None, weight=None):
    """``nx.conductance`` on klpart.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.conductance(nx.barbell_graph(3, 0), {0, 1, 2}, backend="klpart")
    0.14285714285714285
    """
    return _set_function("conductance", G, S, T, weight)


@_declining
def edge_expansion(G, S, T=None, weight=None):
    """``nx.edge_expansion`` on klpart.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.edge_expansion(nx.barbell_graph(5, 0), set(range(5)), backend="klpart")
    0.2
    """
    return _set_function("edge_expansion", G, S, T, weight)


@_declining
def mixing_expansion(G, S, T=None, weight=None):
    """``nx.mixing_expansion`` on klpart.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.mixing_expansion(nx.barbell_graph(5, 0), set(range(5)), backend="klpart")
    0.023809523809523808
    """
    from .. import nx_metrics

    g, _ = _csr_for(G, weight, "mixing_expansion")
    graph = nx_graph_of(G)
    if graph is None:
        return nx_metrics.mixing_expansion(g, S, T, weight=_STORED)
    # NetworkX's definition, with its edge count (parallel edges and
    # self-loops included), which a CSRGraph of a multigraph cannot give
    return nx_metrics.cut_size(g, S, T, weight=_STORED) / (2 * graph.number_of_edges())


@_declining
def node_expansion(G, S):
    """``nx.node_expansion`` on klpart.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.node_expansion(nx.path_graph(8), {3, 4, 5}, backend="klpart")
    1.6666666666666667
    """
    from .. import nx_metrics

    return nx_metrics.node_expansion(_structure(G), S)


@_declining
def boundary_expansion(G, S):
    """``nx.boundary_expansion`` on klpart.

    Examples
    --------
    >>> import networkx as nx
    >>> nx.boundary_expansion(nx.complete_graph(10), set(range(4)), backend="klpart")
    1.5
    """
    from .. import nx_metrics

    return nx_metrics.boundary_expansion(_structure(G), S)


def _set_function(name, G, S, T, weight):
    """``nx_metrics.<name>(G, S, T)`` on the CSR form of ``G`` for ``weight``."""
    from .. import nx_metrics

    g, _ = _csr_for(G, weight, name)
    return getattr(nx_metrics, name)(g, S, T, weight=_STORED)


def _structure(G):
    """A CSR form for functions that read the structure only."""
    graph = nx_graph_of(G)
    if graph is None:
        from ..convert import as_csr_graph

        return as_csr_graph(G, weight=None)
    kg = G if isinstance(G, KLPartGraph) else KLPartGraph(G)
    return kg.any_csr()
