"""Conversion of user graphs to :class:`~klpart.graph.CSRGraph`, done once.

Accepted inputs: ``nx.Graph`` / ``nx.MultiGraph`` (and their views),
``scipy.sparse`` matrices and arrays of any format, dense square NumPy
arrays, ``(indptr, indices[, data])`` tuples and :class:`CSRGraph` itself.

Edge weight rules follow NetworkX:

* ``weight`` a string: the edge attribute, 1 where it is missing;
* ``weight=None``: every edge weighs 1;
* ``weight`` a callable ``(u, v, d)``: evaluated once per direction, ``None``
  hides that direction (``d`` is the edge's attribute dict, or for a
  multigraph the dict of its parallel edges' dicts);
* multigraphs: parallel edges are summed;
* self-loops are kept apart (``CSRGraph.loop_weights``): they never count in
  a cut.

Weights become int64 when every weight is integral (so gains and cuts are
exact) and float64 otherwise; negative, NaN and infinite weights raise
``ValueError`` naming the edge.
"""

import numbers
from itertools import chain, repeat
from operator import contains, methodcaller

import numpy as np

from . import _check
from .graph import INDEX_DTYPE, POINTER_DTYPE, CSRGraph, asymmetry_message, check_structure

__all__ = ["as_csr_graph", "from_networkx", "from_scipy", "from_arrays", "is_networkx_graph"]

_EXACT_FLOAT_INT = 2.0**53


def is_networkx_graph(G):
    """True for NetworkX graph objects (without importing NetworkX)."""
    return hasattr(G, "_adj") and hasattr(G, "is_directed") and hasattr(G, "is_multigraph")


def as_csr_graph(G, weight="weight", node_weight=None):
    """Convert any supported graph input to a :class:`CSRGraph`.

    Parameters
    ----------
    G : nx.Graph, nx.MultiGraph, scipy sparse, ndarray, tuple or CSRGraph
        The graph.  Scipy and dense inputs must be square and symmetric;
        their row order is the node order.
    weight : str, callable or None, default "weight"
        Edge weights (see the module notes).  For matrix inputs and CSRGraph
        any non-None value means "the stored values", None means unit weights.
    node_weight : str, array_like or None
        Node weights: a node attribute name (NetworkX input, missing -> 1), a
        sequence in node order, or None for unit weights.

    Returns
    -------
    CSRGraph

    Raises
    ------
    networkx.NetworkXNotImplemented
        For a directed NetworkX graph.
    TypeError
        For an unsupported input type or non-numeric weights.
    ValueError
        For a non-square or asymmetric matrix, or a negative, NaN or infinite
        weight; the message names the offending entry.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart.convert import as_csr_graph
    >>> g = as_csr_graph(nx.path_graph(["a", "b", "c"]))
    >>> g.num_nodes, g.num_edges, g.nodes
    (3, 2, ['a', 'b', 'c'])
    """
    if isinstance(G, CSRGraph):
        g = G if weight is not None else G.with_unit_weights()
        if node_weight is not None:
            if isinstance(node_weight, str):
                raise TypeError(
                    f"node_weight={node_weight!r} names an attribute, but a CSRGraph has "
                    "none; pass an array of node weights"
                )
            labels = list(g.labels())
            weights = _check.node_weight_array(_check.node_weight_values(node_weight, labels), labels)
            g = CSRGraph(
                g.indptr,
                g.indices,
                g.edge_weights,
                weights,
                loop_weights=g.loop_weights,
                nodes=g.nodes,
                validate=False,
            )
        return g
    if is_networkx_graph(G):
        return from_networkx(G, weight=weight, node_weight=node_weight)
    if isinstance(node_weight, str):
        raise TypeError(
            f"node_weight={node_weight!r} names a node attribute, which only NetworkX "
            "graphs have; pass an array of node weights"
        )
    if _is_scipy_sparse(G):
        return from_scipy(G, weight=weight, node_weights=node_weight)
    if isinstance(G, tuple) and len(G) in (2, 3):
        data = G[2] if len(G) == 3 and weight is not None else None
        return from_arrays(G[0], G[1], data, node_weights=node_weight)
    if isinstance(G, np.ndarray):
        import scipy.sparse as sp

        if G.ndim != 2 or G.shape[0] != G.shape[1]:
            raise ValueError(f"adjacency matrix must be square, got shape {G.shape}")
        return from_scipy(sp.csr_array(_real_matrix_values(G)), weight=weight, node_weights=node_weight)
    raise TypeError(
        "expected a NetworkX graph, a scipy.sparse matrix or array, a square numpy "
        f"array, an (indptr, indices[, data]) tuple or a CSRGraph; got {type(G).__name__}"
    )


# --------------------------------------------------------------------------
# NetworkX
# --------------------------------------------------------------------------
def from_networkx(G, weight="weight", node_weight=None):
    """Convert an undirected NetworkX graph; node order is ``list(G)``.

    See :func:`as_csr_graph` for the parameters.  A callable ``weight`` must
    give both directions of an edge the same weight here (the KL drop-in,
    which follows NetworkX's per-direction semantics, does not need that).

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart.convert import from_networkx
    >>> M = nx.MultiGraph([(0, 1), (0, 1), (1, 2)])
    >>> from_networkx(M).edge_weights.tolist()  # parallel edges summed
    [2, 2, 1, 1]
    """
    nodes, indptr, indices, weights, loops = networkx_arrays(G, weight)
    if callable(weight):
        _check_networkx_symmetric(nodes, indptr, indices, weights)
    node_weights = _networkx_node_weights(G, nodes, node_weight)
    return CSRGraph(
        indptr, indices, weights, node_weights, loop_weights=loops, nodes=nodes, validate=False
    )


def networkx_arrays(G, weight, nodes=None):
    """CSR arrays of a NetworkX graph, weights validated, self-loops split off.

    Returns ``(nodes, indptr, indices, weights, loop_weights)``; ``nodes`` is
    ``list(G)`` (pass it when already computed).  With a callable ``weight``
    the arrays may be asymmetric (NetworkX evaluates the callable per
    direction).  ``loop_weights`` is None without self-loops.
    """
    _check.not_directed(G)
    if nodes is None:
        nodes = list(G)
    n = len(nodes)
    adj = G._adj
    rows = list(map(adj.__getitem__, nodes))
    degrees = np.fromiter(map(len, rows), np.int64, n)
    indptr = np.zeros(n + 1, POINTER_DTYPE)
    np.cumsum(degrees, out=indptr[1:])
    nnz = int(indptr[-1])
    neighbours = chain.from_iterable(rows)
    if labels_are_positions(nodes):
        indices = np.fromiter(neighbours, INDEX_DTYPE, nnz)
    else:
        index = dict(zip(nodes, range(n)))
        indices = np.fromiter(map(index.__getitem__, neighbours), INDEX_DTYPE, nnz)
    # attribute dicts (for a multigraph: dicts of parallel edges' dicts)
    attrs = chain.from_iterable(map(methodcaller("values"), rows))

    if callable(weight):
        raw = [weight(u, v, d) for u, row in zip(nodes, rows) for v, d in row.items()]
        hidden = np.fromiter((w is None for w in raw), np.bool_, nnz)
        if hidden.any():
            keep = ~hidden
            rows_of_entries = np.repeat(np.arange(n), degrees)
            counts = np.bincount(rows_of_entries[keep], minlength=n)
            indptr = np.zeros(n + 1, POINTER_DTYPE)
            np.cumsum(counts, out=indptr[1:])
            indices = indices[keep]
            raw = [w for w in raw if w is not None]
        weights = _weights_from_values(raw, nodes, indptr, indices)
    elif G.is_multigraph():
        if weight is None:
            values = list(map(len, attrs))
        else:
            values = [sum(dd.get(weight, 1) for dd in keydict.values()) for keydict in attrs]
        weights = _weights_from_values(values, nodes, indptr, indices)
    elif weight is None:
        weights = np.ones(nnz, np.int64)
    elif isinstance(adj, dict):  # plain graph: C-level loops over the attribute dicts
        # unweighted graphs are common: finding no edge with the attribute
        # (a membership test per entry) is cheaper than reading every weight
        if any(map(contains, attrs, repeat(weight))):
            attrs = chain.from_iterable(map(methodcaller("values"), rows))
            values = list(map(dict.get, attrs, repeat(weight), repeat(1)))
            weights = _weights_from_values(values, nodes, indptr, indices)
        else:
            weights = np.ones(nnz, np.int64)
    else:  # graph views wrap their dicts
        values = [d.get(weight, 1) for d in attrs]
        weights = _weights_from_values(values, nodes, indptr, indices)

    loops = None
    from ._kernels.csr import count_self_loops, split_self_loops

    n_loops = count_self_loops(indptr, indices)
    if n_loops:
        indptr, indices, weights, loops = split_self_loops(indptr, indices, weights, n_loops)
    return nodes, indptr, indices, weights, loops


def labels_are_positions(nodes):
    """Whether node ``i`` is the integer ``i`` for every position ``i``.

    Then a node's row is the node itself and no label lookup is needed;
    callers (:mod:`klpart.metrics`, :mod:`klpart.nx_metrics`) take the
    array route in that case.

    Parameters
    ----------
    nodes : list
        Node labels in row order (``list(G)``).

    Returns
    -------
    bool
        False for an empty list, for labels that are not exactly ``int``
        (``True``, ``1.0`` and NumPy integers all fail) or out of order.

    Examples
    --------
    >>> from klpart.convert import labels_are_positions
    >>> labels_are_positions([0, 1, 2]), labels_are_positions([1, 0, 2])
    (True, False)
    >>> labels_are_positions([0, 1.0]), labels_are_positions([])
    (False, False)
    """
    n = len(nodes)
    if n == 0 or type(nodes[0]) is not int or type(nodes[-1]) is not int:
        return False
    return nodes == list(range(n))


def _weights_from_values(values, nodes, indptr, indices):
    """int64 (all integral) or float64 weight array from a list of numbers;
    ``TypeError`` / ``ValueError`` naming the edge of a bad value."""
    arr = np.array(values) if values else np.zeros(0, np.int64)
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "iuf":
        for p, x in enumerate(values):
            if not isinstance(x, numbers.Real):
                u, v = _entry_labels(nodes, indptr, indices, p)
                raise TypeError(
                    f"edge ({u!r}, {v!r}) has weight {x!r}: edge weights must be real numbers"
                )
            if isinstance(x, numbers.Integral) and x >= _check.WEIGHT_LIMIT:
                u, v = _entry_labels(nodes, indptr, indices, p)
                raise ValueError(
                    _check.limit_message("edge", f"edge ({u!r}, {v!r}) weighs {x}")
                )
        arr = np.array(values, dtype=np.float64)
    if arr.dtype.kind in "iu":
        bad = arr < 0
    else:
        bad = ~(np.isfinite(arr) & (arr >= 0))
    if bad.any():
        p = int(np.flatnonzero(bad)[0])
        u, v = _entry_labels(nodes, indptr, indices, p)
        raise ValueError(
            f"edge ({u!r}, {v!r}) has weight {values[p]!r}: edge weights must be "
            "finite and non-negative"
        )
    _check.check_weight_sum(arr, "edge", stored_twice=True)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64, copy=False)
    return integral_or_float(arr)


def integral_or_float(w):
    """A float weight array as int64 when every weight is an exact integer.

    klpart stores integral weights as integers (exact cut sums, ``int``
    results); readers that collect weights as floats call this once.

    Parameters
    ----------
    w : ndarray of float64
        Non-negative finite weights (checked by the caller).

    Returns
    -------
    ndarray
        ``w`` as int64 when every entry is an integer below 2**53 and their
        sum stays within klpart's weight limit; otherwise ``w`` itself.

    Examples
    --------
    >>> import numpy as np
    >>> from klpart.convert import integral_or_float
    >>> integral_or_float(np.array([1.0, 2.0])).dtype.kind, integral_or_float(np.array([0.5])).dtype.kind
    ('i', 'f')
    """
    return _check.integral_or_float(w)


def _entry_labels(nodes, indptr, indices, p):
    row = int(np.searchsorted(indptr, p, side="right") - 1)
    return nodes[row], nodes[int(indices[p])]


def _check_networkx_symmetric(nodes, indptr, indices, weights):
    import scipy.sparse as sp

    from ._kernels.csr import first_asymmetric_entry, is_symmetric

    n = len(nodes)
    A = sp.csr_array((weights, indices, indptr), shape=(n, n)).sorted_indices()
    sorted_indptr, sorted_indices = A.indptr.astype(POINTER_DTYPE), A.indices.astype(INDEX_DTYPE)
    if not is_symmetric(sorted_indptr, sorted_indices, A.data):
        p = first_asymmetric_entry(sorted_indptr, sorted_indices, A.data)
        msg = asymmetry_message(A.indptr, A.indices, A.data, p)
        # name the nodes by label rather than by row
        row = int(np.searchsorted(A.indptr, p, side="right") - 1)
        u, v = nodes[row], nodes[int(A.indices[p])]
        raise ValueError(
            f"the weight function is not symmetric at edge ({u!r}, {v!r}): {msg}; "
            "partitioning needs one weight per undirected edge"
        )


def _networkx_node_weights(G, nodes, node_weight):
    if node_weight is None:
        return None
    if isinstance(node_weight, str):
        data = G._node
        values = [data[u].get(node_weight, 1) for u in nodes]
    else:
        values = _check.node_weight_values(node_weight, nodes)
    return _check.node_weight_array(values, nodes)


def _node_weight_array(values, labels):
    """Node weights of a matrix input (rows ``labels``), validated."""
    labels = list(labels)
    return _check.node_weight_array(_check.node_weight_values(values, labels), labels)


# --------------------------------------------------------------------------
# SciPy and raw arrays
# --------------------------------------------------------------------------
def _is_scipy_sparse(A):
    mod = type(A).__module__
    if not mod.startswith("scipy.sparse"):
        return False
    import scipy.sparse as sp

    return sp.issparse(A)


def from_scipy(A, weight="weight", node_weights=None):
    """Convert a square symmetric scipy sparse matrix or array (any format).

    Duplicate entries are summed, explicit zeros are dropped and the diagonal
    becomes ``loop_weights``.  The input is not modified.

    Parameters
    ----------
    A : scipy.sparse matrix or array
    weight : any, default "weight"
        None for unit weights; anything else uses the stored values.
    node_weights : array_like, optional

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> from klpart.convert import from_scipy
    >>> A = sp.coo_matrix(([2, 2, 1, 1], ([0, 1, 1, 2], [1, 0, 2, 1])), shape=(3, 3))
    >>> from_scipy(A).edge_weights.tolist()
    [2, 2, 1, 1]
    """
    import scipy.sparse as sp

    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"adjacency matrix must be square, got shape {A.shape}")
    if A.dtype.kind not in "biuf":
        raise TypeError(f"adjacency matrix must be real, got dtype {A.dtype}")
    n = A.shape[0]
    # duplicates are summed in int64 / float64, never in the input dtype
    # (uint8 200 + 200 must not wrap: convert before any format change), and
    # only when the sum stays in range
    if A.dtype == np.uint64 and A.nnz and A.max() > np.uint64(_check.WEIGHT_LIMIT):
        raise ValueError(_check.limit_message("edge", f"an entry is {A.max().item()}"))
    wide = np.int64 if A.dtype.kind in "biu" else np.float64
    B = sp.csr_array(A.astype(wide))  # astype copies: the input is never modified
    if weight is not None and wide is np.int64 and B.data.size:
        _check.check_weight_sum(np.abs(B.data), "edge", stored_twice=True)
    B.sum_duplicates()  # also sorts the indices
    B.eliminate_zeros()
    if weight is None:
        # structure only: the stored values (whatever their sign) are ignored
        data = np.ones(B.data.shape[0], np.int64)
    else:
        data = _matrix_weights(B)
    indptr = B.indptr.astype(POINTER_DTYPE)
    indices = B.indices.astype(INDEX_DTYPE)

    from ._kernels.csr import count_self_loops, first_asymmetric_entry, is_symmetric, split_self_loops

    loops = None
    n_loops = count_self_loops(indptr, indices)
    if n_loops:
        indptr, indices, data, loops = split_self_loops(indptr, indices, data, n_loops)
    if not is_symmetric(indptr, indices, data):
        p = first_asymmetric_entry(indptr, indices, data)
        raise ValueError(asymmetry_message(indptr, indices, data, p))
    if node_weights is not None:
        node_weights = _node_weight_array(node_weights, range(n))
        if node_weights.shape[0] != n:
            raise ValueError(f"node_weights has {node_weights.shape[0]} values for {n} nodes")
    return CSRGraph(indptr, indices, data, node_weights, loop_weights=loops, validate=False)


def _matrix_weights(B):
    """Validated int64/float64 weights of a canonical CSR matrix."""
    data = B.data
    if data.dtype.kind in "biu":
        data = data.astype(np.int64)
        bad = data < 0
    else:
        data = data.astype(np.float64)
        bad = ~(np.isfinite(data) & (data >= 0))
    if bad.any():
        p = int(np.flatnonzero(bad)[0])
        row = int(np.searchsorted(B.indptr, p, side="right") - 1)
        hint = (
            "; weight=None partitions the sparsity pattern instead (every stored entry "
            "an edge of weight 1), as for a FEM matrix with negative off-diagonals"
            if data[p] < 0
            else ""
        )
        raise ValueError(
            f"entry ({row}, {B.indices[p]}) = {data[p].item()!r}: edge weights must be "
            f"finite and non-negative{hint}"
        )
    _check.check_weight_sum(data, "edge", stored_twice=True)
    return data if data.dtype.kind == "i" else integral_or_float(data)


def _real_matrix_values(a):
    """``a`` (an ndarray) as int64 (bool and integer dtypes) or float64
    (float16/32/64); TypeError for complex, object and other dtypes."""
    kind = a.dtype.kind
    if kind in "biu":
        if a.dtype == np.uint64 and a.size and a.max() > np.uint64(_check.WEIGHT_LIMIT):
            raise ValueError(
                _check.limit_message("edge", f"an entry is {a.max().item()}")
            )
        return a.astype(np.int64, copy=False)
    if kind == "f":
        return a.astype(np.float64, copy=False)
    raise TypeError(f"adjacency matrix must be real, got dtype {a.dtype}")


def from_arrays(indptr, indices, data=None, node_weights=None):
    """Convert raw CSR arrays ``(indptr, indices[, data])`` of a symmetric matrix.

    The arrays are checked (lengths, index range) and copied, never modified.

    Examples
    --------
    >>> from klpart.convert import from_arrays
    >>> g = from_arrays([0, 1, 2], [1, 0])
    >>> g.num_nodes, g.num_edges
    (2, 1)
    """
    import scipy.sparse as sp

    indptr = np.asarray(indptr)
    indices = np.asarray(indices)
    n = indptr.shape[0] - 1 if indptr.ndim == 1 else -1
    check_structure(indptr, indices, n)
    if data is None:
        data = np.ones(indices.shape[0], np.int64)
    data = np.asarray(data)
    if data.shape != indices.shape:
        raise ValueError(f"data has shape {data.shape}, indices has shape {indices.shape}")
    A = sp.csr_array((data, indices, indptr), shape=(n, n))
    return from_scipy(A, node_weights=node_weights)

