"""The graph klpart's NetworkX backend receives, and its conversion cache."""

import numbers

import networkx as nx

BACKEND_NAME = "klpart"

# --------------------------------------------------------------------------
# The backend graph
# --------------------------------------------------------------------------
class _Declined:
    """A conversion that failed for a weight: remembered so that the next
    call with that weight declines at once."""

    __slots__ = ("reason",)

    def __init__(self, reason):
        self.reason = reason


class KLPartGraph:
    """A NetworkX graph as klpart's backend sees it.

    Holds a reference to the original graph (nothing is copied) and builds
    its CSR form lazily, once per edge weight key.  The CSR forms are kept in
    the graph's own NetworkX cache (``G.__networkx_cache__["klpart"]``), which
    NetworkX clears whenever the graph is changed through its methods, so
    every wrapper of the graph shares them and none outlives a mutation.
    Nothing is kept when ``nx.config.cache_converted_graphs`` is off, when the
    graph's cache is None, or for graph views (a view's cache is not cleared
    when the graph under it changes).

    Parameters
    ----------
    graph : networkx.Graph or networkx.MultiGraph
        The graph; directed graphs are accepted here (``is_partition`` needs
        no arrays) but cannot be converted to CSR.

    Attributes
    ----------
    graph : networkx.Graph
        The wrapped graph; :func:`convert_to_nx` returns it.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart.backend import KLPartGraph
    >>> G = nx.path_graph(3)
    >>> G.add_edge(0, 1, w=5)
    >>> kg = KLPartGraph(G)
    >>> kg.csr("w").edge_weights.tolist(), kg.csr(None).edge_weights.tolist()
    ([5, 5, 1, 1], [1, 1, 1, 1])
    >>> nx.cut_size(kg, {0}, weight="w")  # a KLPartGraph dispatches to klpart
    5
    """

    __networkx_backend__ = BACKEND_NAME
    __slots__ = ("graph",)

    def __init__(self, graph):
        if isinstance(graph, KLPartGraph):
            graph = graph.graph
        if not is_nx_graph(graph):
            raise TypeError(f"expected a NetworkX graph, got {type(graph).__name__}")
        self.graph = graph

    def __repr__(self):
        return f"KLPartGraph({self.graph!r})"

    def __len__(self):
        return len(self.graph)

    def __iter__(self):
        return iter(self.graph)

    def __contains__(self, node):
        return node in self.graph

    def is_directed(self):
        """Whether the wrapped graph is directed."""
        return self.graph.is_directed()

    def is_multigraph(self):
        """Whether the wrapped graph is a multigraph."""
        return self.graph.is_multigraph()

    def has_csr(self, weight):
        """Whether the CSR form for ``weight`` is cached."""
        store = cache_store(self.graph, create=False)
        return store is not None and ("csr", weight_key(weight)) in store

    def csr(self, weight="weight", *, fresh=False):
        """The :class:`~klpart.CSRGraph` of the graph with edge weights ``weight``.

        Parameters
        ----------
        weight : hashable or None
            Edge attribute (missing -> 1, parallel edges summed) or None for
            unit weights (parallel edges counted).
        fresh : bool, default False
            Convert again even if a cached form exists.

        Returns
        -------
        CSRGraph
            Node labels ``list(graph)`` in row order, self-loops apart.

        Raises
        ------
        NotImplementedError
            If a weight is negative, NaN, infinite or not a number, or the
            graph is directed: klpart declines and NetworkX may fall back.
        """
        key = ("csr", weight_key(weight))
        store = cache_store(self.graph)
        got = None if store is None or fresh else store.get(key)
        if got is None:
            got = _convert(self.graph, weight)
            if store is not None:
                store[key] = got
        if isinstance(got, _Declined):
            raise NotImplementedError(got.reason)
        return got

    def any_csr(self):
        """A CSR form when only the structure matters: a cached one if any
        (every weight gives the same structure), else the unit-weight one."""
        store = cache_store(self.graph, create=False)
        if store:
            for (kind, _), got in list(store.items()):
                if kind == "csr" and not isinstance(got, _Declined):
                    return got
        return self.csr(None)

    def float_values(self, weight):
        """Whether some edge's ``weight`` attribute is a float (NetworkX then
        returns float sums where klpart's integral arrays give ints)."""
        if weight is None:
            return False
        key = ("float", weight_key(weight))
        store = cache_store(self.graph)
        got = None if store is None else store.get(key)
        if got is None:
            got = _has_float_values(self.graph, weight)
            if store is not None:
                store[key] = got
        return got


def cache_store(G, create=True):
    """klpart's part of ``G``'s NetworkX cache, or None where nothing may be
    kept (caching off, a graph without cache, a view)."""
    if not nx.config.cache_converted_graphs or _is_view(G):
        return None
    cache = getattr(G, "__networkx_cache__", None)
    if cache is None:
        return None
    if create:
        return cache.setdefault(BACKEND_NAME, {})
    return cache.get(BACKEND_NAME)


def _convert(G, weight):
    from ..convert import from_networkx

    if G.is_directed():
        return _Declined("klpart's CSR arrays hold undirected graphs only")
    try:
        return from_networkx(G, weight=weight)
    except (TypeError, ValueError) as err:
        # NetworkX computes with any number (and fails its own way on
        # non-numbers): leave such graphs to it
        return _Declined(f"klpart needs finite non-negative numeric edge weights ({err})")


def weight_key(weight):
    """The cache key part for ``weight``: None (unit weights) must not
    collide with an attribute named None."""
    return None if weight is None else ("attr", weight)


def is_nx_graph(G):
    """Whether ``G`` is a NetworkX graph (a klpart backend graph is not)."""
    return isinstance(G, nx.Graph)


def _is_view(G):
    # every NetworkX graph view keeps the graph it shows in ``_graph``
    return hasattr(G, "_graph")


def _has_float_values(G, weight):
    adj = G._adj
    if G.is_multigraph():
        values = (
            dd.get(weight)
            for nbrs in adj.values()
            for keydict in nbrs.values()
            for dd in keydict.values()
        )
    else:
        values = (d.get(weight) for nbrs in adj.values() for d in nbrs.values())
    return any(
        issubclass(t, numbers.Real) and not issubclass(t, numbers.Integral)
        for t in set(map(type, values))
    )



def nx_graph_of(G):
    """The NetworkX graph behind ``G`` (or None for CSRGraph / scipy input)."""
    if isinstance(G, KLPartGraph):
        return G.graph
    if is_nx_graph(G):
        return G
    return None
