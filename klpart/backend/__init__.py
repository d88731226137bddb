"""klpart as a NetworkX backend: ``backend="klpart"``.

NetworkX (3.4 and later) dispatches its functions to installed backends.
klpart registers itself under the ``networkx.backends`` entry point (this
module's :class:`BackendInterface`) and describes itself under
``networkx.backend_info`` (:func:`klpart._nx_info.get_info`).  Three ways to
use it::

    nx.community.kernighan_lin_bisection(G, backend="klpart")  # one call
    nx.config.backend_priority = ["klpart"]                      # every call
    # or, before Python starts: NETWORKX_BACKEND_PRIORITY=klpart

Implemented: ``kernighan_lin_bisection``, ``modularity``,
``partition_quality``, ``is_partition``, ``cut_size``, ``volume``,
``normalized_cut_size``, ``conductance``, ``edge_expansion``,
``mixing_expansion``, ``node_expansion`` and ``boundary_expansion``, with
NetworkX's signatures, results and exceptions.

How conversion works
--------------------
:func:`convert_from_nx` only wraps the NetworkX graph in a
:class:`KLPartGraph`; nothing is copied.  The CSR arrays are built when a
function first needs them, **for the weight that call asks for**, and kept in
the graph's own NetworkX cache (``G.__networkx_cache__["klpart"]``), one
conversion per weight.  NetworkX caches the wrapper under a key made from the
call's ``weight`` and may hand it to a later call with another weight (a
call with ``weight=None`` accepts any cached graph); that call still computes
with its own weights, converted once.  Mutating the graph through NetworkX's
API (``add_edge``, ``remove_node``, ``nx.set_edge_attributes``, ...) clears
that cache, so the next call converts afresh.  Graph *views*
(``G.subgraph(...)``, ``G.edge_subgraph``, ``nx.restricted_view``) are
converted on every call instead: their NetworkX cache is not cleared when
the graph under them changes.  With ``nx.config.cache_converted_graphs``
off, every call converts.

When klpart declines
--------------------
:func:`can_run` declines (and NetworkX falls back to its own code when
configured to) directed graphs (except for ``is_partition``), unhashable
weight keys, a non-integer ``max_iter``, and the inputs on which NetworkX's
Kernighan-Lin raises an internal ``ValueError`` (fewer than two nodes, an
empty side).  Edge weights that klpart's arrays cannot hold (negative, NaN,
infinite, non-numeric) are only seen while converting; the function then
raises ``NotImplementedError``, which NetworkX also treats as "use another
backend".  :func:`should_run` declines graphs too small for the conversion to
pay off (measured in ``bench/bench_backend.py``); a graph whose arrays are
already cached is always accepted.

Examples
--------
>>> import networkx as nx
>>> G = nx.barbell_graph(4, 0)
>>> A, B = nx.community.kernighan_lin_bisection(G, seed=1, backend="klpart")
>>> sorted(map(sorted, (A, B)))
[[0, 1, 2, 3], [4, 5, 6, 7]]
>>> nx.cut_size(nx.barbell_graph(4, 0), A, backend="klpart")
1

(A second call on the same ``G`` reuses the cached conversion; NetworkX
notes that once with a warning, which ``nx.config.warnings_to_ignore.add("cache")``
silences.)
"""


import inspect
import numbers
import operator
import sys

import networkx as nx

from ._functions import (
    boundary_expansion,
    conductance,
    cut_size,
    edge_expansion,
    is_partition,
    kernighan_lin_bisection,
    mixing_expansion,
    modularity,
    node_expansion,
    normalized_cut_size,
    partition_quality,
    volume,
)
from ._graph import BACKEND_NAME, KLPartGraph, cache_store, is_nx_graph, nx_graph_of, weight_key

# the NetworkX functions this backend implements (dispatch names)
_FUNCTIONS = (
    kernighan_lin_bisection,
    modularity,
    partition_quality,
    is_partition,
    cut_size,
    volume,
    normalized_cut_size,
    conductance,
    edge_expansion,
    mixing_expansion,
    node_expansion,
    boundary_expansion,
)

__all__ = [
    "BackendInterface",
    "KLPartGraph",
    "convert_from_nx",
    "convert_to_nx",
    "can_run",
    "should_run",
    *(f.__name__ for f in _FUNCTIONS),
]

# --------------------------------------------------------------------------
# NetworkX's backend protocol
# --------------------------------------------------------------------------
def convert_from_nx(
    graph,
    *,
    edge_attrs=None,
    node_attrs=None,
    preserve_edge_attrs=False,
    preserve_node_attrs=False,
    preserve_graph_attrs=False,
    name=None,
    graph_name=None,
):
    """Wrap a NetworkX graph for klpart; nothing is converted yet.

    NetworkX passes which attributes the call needs (``edge_attrs``,
    ``preserve_*``); they are not needed here: the wrapper keeps the graph
    itself and converts lazily for the ``weight`` of each call, so a wrapper
    NetworkX cached under one weight key is right for any other weight.

    Parameters
    ----------
    graph : networkx.Graph
    edge_attrs, node_attrs, preserve_edge_attrs, preserve_node_attrs,
    preserve_graph_attrs, name, graph_name
        As NetworkX passes them; unused.

    Returns
    -------
    KLPartGraph

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart.backend import convert_from_nx, convert_to_nx
    >>> G = nx.cycle_graph(4)
    >>> convert_to_nx(convert_from_nx(G)) is G
    True
    """
    if isinstance(graph, KLPartGraph):
        return graph
    return KLPartGraph(graph)


def convert_to_nx(obj, *, name=None):
    """NetworkX form of a klpart object; other results pass unchanged.

    A :class:`KLPartGraph` gives back the graph it wraps, a
    :class:`~klpart.CSRGraph` a new ``nx.Graph`` (weights in ``"weight"``).
    No function of this backend returns a graph; NetworkX calls this when it
    falls back to its own code for a klpart graph.

    Parameters
    ----------
    obj : object
    name : str, optional
        The dispatched function's name; unused.

    Returns
    -------
    object
    """
    if isinstance(obj, KLPartGraph):
        return obj.graph
    graph_module = sys.modules.get("klpart.graph")  # no CSRGraph exists before it loads
    if graph_module is not None and isinstance(obj, graph_module.CSRGraph):
        return obj.to_networkx()
    return obj


def _bind(name, args, kwargs):
    bound = _SIGNATURES[name].bind(*args, **kwargs)
    bound.apply_defaults()
    return bound.arguments


def can_run(name, args, kwargs):
    """Whether klpart can run ``name`` with these arguments.

    NetworkX calls this before converting; a string answer is the reason
    klpart declines (NetworkX logs it and, if configured, falls back).

    Parameters
    ----------
    name : str
        Dispatch name of the NetworkX function.
    args : tuple
    kwargs : dict
        The call's arguments, graphs not yet converted.

    Returns
    -------
    True or str

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart.backend import can_run
    >>> can_run("cut_size", (nx.path_graph(3), {0}), {})
    True
    >>> can_run("cut_size", (nx.DiGraph([(0, 1)]), {0}), {})
    "klpart's cut_size supports undirected graphs only"
    """
    if name not in _SIGNATURES:
        return f"klpart does not implement {name}"
    try:
        arguments = _bind(name, args, kwargs)
    except TypeError as err:
        return f"arguments do not match the signature ({err})"
    G = arguments["G"]
    graph = nx_graph_of(G)
    if graph is None:
        if not _klpart_accepts(G):
            return f"klpart cannot read a graph of type {type(G).__name__}"
    elif graph.is_directed() and name != "is_partition":
        return f"klpart's {name} supports undirected graphs only"
    weight = arguments.get("weight")
    if weight is not None and not callable(weight):
        try:
            hash(weight)
        except TypeError:
            return f"weight {weight!r} is not an edge attribute key"
    if name == "kernighan_lin_bisection":
        return _can_run_kl(graph if graph is not None else G, arguments)
    return True


def _klpart_accepts(G):
    graph_module = sys.modules.get("klpart.graph")
    if graph_module is not None and isinstance(G, graph_module.CSRGraph):
        return True
    # scipy sparse matrices and arrays
    return type(G).__module__.startswith("scipy.sparse")


def _can_run_kl(G, arguments):
    try:
        max_iter = operator.index(arguments["max_iter"])
    except TypeError:
        return "max_iter is not an integer (NetworkX raises TypeError)"
    if max_iter < 1:
        return True
    if len(G) < 2:
        return "fewer than two nodes (NetworkX raises ValueError)"
    partition = arguments["partition"]
    # look at sizes only for sequences of sized sides: an iterator must
    # reach the function unconsumed
    if isinstance(partition, (tuple, list)) and len(partition) == 2:
        try:
            if len(partition[0]) == 0 or len(partition[1]) == 0:
                return "an empty side (NetworkX raises ValueError)"
        except TypeError:
            pass
    return True


def _size(G):
    """Nodes + edges of a NetworkX graph (C-speed, no Python loop per node)."""
    adj = G._adj
    if isinstance(adj, dict):
        entries = sum(map(len, adj.values()))
    else:  # views filter their adjacency: count lazily
        entries = sum(len(nbrs) for nbrs in adj.values())
    return len(adj) + entries // 2


def _thresholds(name):
    """(first call, cached) sizes from which klpart should run; None: never."""
    from .._nx_info import MIN_SIZE

    config = getattr(nx.config.backends, BACKEND_NAME, None)
    sizes = MIN_SIZE if config is None else config.get("min_size", MIN_SIZE)
    if isinstance(sizes, dict):
        sizes = sizes.get(name, MIN_SIZE.get(name, (0, 0)))
    if sizes is None or isinstance(sizes, numbers.Integral):
        return sizes, sizes  # one number (or None) for both cases
    return tuple(sizes)


def should_run(name, args, kwargs):
    """Whether running ``name`` on klpart is likely faster than NetworkX.

    Only consulted when klpart was picked through
    ``nx.config.backend_priority`` (``backend="klpart"`` always runs): graphs
    too small for the conversion to pay off are left to NetworkX.  The
    thresholds (nodes + edges, for a first call and with the conversion
    already cached; None for never) are
    ``nx.config.backends.klpart.min_size``, by default
    :data:`klpart._nx_info.MIN_SIZE`, measured by ``bench/bench_backend.py``.
    A klpart graph or a matrix, and a call with klpart's own ``tie_break``
    argument, are always accepted.

    Parameters
    ----------
    name : str
    args : tuple
    kwargs : dict

    Returns
    -------
    True or str
        A string says why not.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart.backend import should_run
    >>> should_run("modularity", (nx.path_graph(4), [{0, 1}, {2, 3}]), {})
    'graph too small for klpart (7 nodes + edges < 300): converting costs more than it saves'
    >>> should_run("modularity", (nx.path_graph(400), [set(range(400))]), {})
    True
    """
    arguments = _bind(name, args, kwargs)
    G = arguments["G"]
    if not is_nx_graph(G):  # already a klpart graph or array input
        return True
    if "tie_break" in kwargs:
        return True  # a klpart-only argument: NetworkX's own code would reject it
    first, cached = _thresholds(name)
    if cached is not None and name != "is_partition":
        store = cache_store(G, create=False)
        if store and (
            name in ("node_expansion", "boundary_expansion")
            or ("csr", weight_key(_effective_weight(name, arguments))) in store
        ):
            # converted already: only the computation counts
            if len(G) >= cached or _size(G) >= cached:
                return True
            return f"graph too small for klpart ({_size(G)} nodes + edges < {cached})"
    if first is None:
        return f"NetworkX's {name} is faster on a graph that is not converted yet"
    if first <= 0 or len(G) >= first:
        return True
    size = _size(G)
    if size >= first:
        return True
    return (
        f"graph too small for klpart ({size} nodes + edges < {first}): "
        "converting costs more than it saves"
    )


def _effective_weight(name, arguments):
    weight = arguments.get("weight")
    if callable(weight) and name != "kernighan_lin_bisection":
        return None  # NetworkX reads a callable as a missing attribute: unit weights
    return weight


def on_start_tests(items):
    """Hook NetworkX calls before running its test suite on this backend.

    Nothing to mark: every test of the functions klpart implements passes.
    """


_SIGNATURES = {f.__name__: inspect.signature(f) for f in _FUNCTIONS}


class BackendInterface:
    """The object NetworkX loads from the ``networkx.backends`` entry point.

    NetworkX looks functions up on it by dispatch name and calls
    :func:`convert_from_nx`, :func:`convert_to_nx`, :func:`can_run` and
    :func:`should_run`; the attributes are this module's functions.

    Examples
    --------
    >>> from klpart.backend import BackendInterface
    >>> hasattr(BackendInterface, "modularity"), hasattr(BackendInterface, "pagerank")
    (True, False)
    """

    convert_from_nx = staticmethod(convert_from_nx)
    convert_to_nx = staticmethod(convert_to_nx)
    can_run = staticmethod(can_run)
    should_run = staticmethod(should_run)
    on_start_tests = staticmethod(on_start_tests)


for _func in _FUNCTIONS:
    setattr(BackendInterface, _func.__name__, staticmethod(_func))
del _func
