"""The CSR graph every klpart algorithm works on.

A :class:`CSRGraph` is an undirected graph stored as symmetric compressed
sparse row arrays.  Conversion from NetworkX or SciPy happens once, at the API
boundary (see :mod:`klpart.convert`); everything below that boundary reads
these arrays.
"""

import numpy as np

__all__ = ["CSRGraph"]

INDEX_DTYPE = np.int32
POINTER_DTYPE = np.int64


class CSRGraph:
    """An undirected graph as symmetric CSR arrays.

    Invariants (checked when ``validate=True``):

    * ``indptr`` is int64 of length ``n + 1``, non-decreasing, from 0 to nnz;
    * ``indices`` is int32 of length nnz, values in ``[0, n)``, no duplicate
      within a row, no diagonal entries (rows need not be sorted: graphs
      converted from NetworkX keep its neighbour order);
    * the structure and ``edge_weights`` are symmetric: entry (u, v) exists
      with weight w exactly when entry (v, u) exists with weight w;
    * ``edge_weights``, ``node_weights`` and ``loop_weights`` are int64 or
      float64, finite and non-negative.

    Self-loops never count in a cut, so they are kept apart, in
    ``loop_weights`` (the summed weight of each node's self-loops, or ``None``
    when the graph has none); metrics such as modularity use them.

    Parameters
    ----------
    indptr, indices : array_like
        CSR structure.
    edge_weights : array_like, optional
        Weight of each stored entry; unit weights when omitted.
    node_weights : array_like, optional
        Weight of each node; unit weights when omitted.
    loop_weights : array_like, optional
        Summed self-loop weight per node.
    nodes : list, optional
        Node labels in row order; ``None`` means ``0 .. n-1``.
    validate : bool, default True
        Check the invariants above (O(nnz log degree)); internal callers that
        build a graph known to be valid pass False.

    Raises
    ------
    ValueError
        If ``validate`` is true and an invariant does not hold; the message
        names the offending row or entry.

    Examples
    --------
    A path 0 - 1 - 2 with a heavy second edge:

    >>> import numpy as np
    >>> from klpart import CSRGraph
    >>> g = CSRGraph([0, 1, 3, 4], [1, 0, 2, 1], [1, 1, 5, 5])
    >>> g.num_nodes, g.num_edges, g.total_edge_weight
    (3, 2, 6)
    """

    __slots__ = (
        "indptr",
        "indices",
        "edge_weights",
        "node_weights",
        "loop_weights",
        "nodes",
        "_index",
    )

    def __init__(
        self,
        indptr,
        indices,
        edge_weights=None,
        node_weights=None,
        *,
        loop_weights=None,
        nodes=None,
        validate=True,
    ):
        indptr = np.asarray(indptr)
        indices = np.asarray(indices)
        n = indptr.shape[0] - 1 if indptr.ndim == 1 else -1
        if validate:
            check_structure(indptr, indices, n)
        self.indptr = indptr.astype(POINTER_DTYPE, copy=False)
        self.indices = indices.astype(INDEX_DTYPE, copy=False)
        nnz = self.indices.shape[0]
        if edge_weights is None:
            edge_weights = np.ones(nnz, np.int64)
        if node_weights is None:
            node_weights = np.ones(n, np.int64)
        self.edge_weights = _weight_array(edge_weights, nnz, "edge_weights", validate)
        self.node_weights = _weight_array(node_weights, n, "node_weights", validate)
        self.loop_weights = (
            None
            if loop_weights is None
            else _weight_array(loop_weights, n, "loop_weights", validate)
        )
        if nodes is not None:
            nodes = list(nodes)
            if len(nodes) != n:
                raise ValueError(f"nodes has {len(nodes)} labels for {n} rows")
        self.nodes = nodes
        self._index = None
        if validate:
            _check_symmetric(self)

    # -- sizes -------------------------------------------------------------
    @property
    def num_nodes(self):
        """Number of nodes ``n``."""
        return self.indptr.shape[0] - 1

    @property
    def num_edges(self):
        """Number of undirected edges, self-loops excluded."""
        return self.indices.shape[0] // 2

    @property
    def total_node_weight(self):
        """Sum of the node weights (a Python number)."""
        return self.node_weights.sum().item()

    @property
    def total_edge_weight(self):
        """Sum of the undirected edge weights, self-loops excluded."""
        return (self.edge_weights.sum() / 2).item() if self.has_float_weights else int(
            self.edge_weights.sum() // 2
        )

    @property
    def has_float_weights(self):
        """True when edge weights are floating point (gains are then inexact)."""
        return self.edge_weights.dtype.kind == "f"

    def __len__(self):
        return self.num_nodes

    def is_directed(self):
        """False: a CSRGraph is undirected (lets NetworkX dispatch it to klpart)."""
        return False

    def is_multigraph(self):
        """False: parallel edges were summed on conversion."""
        return False

    def __repr__(self):
        kind = "float" if self.has_float_weights else "int"
        return (
            f"CSRGraph(n={self.num_nodes}, m={self.num_edges}, "
            f"edge weights {kind}, total node weight {self.total_node_weight})"
        )

    # -- labels ------------------------------------------------------------
    def labels(self):
        """Node labels in row order (a list; ``range(n)`` when unlabelled)."""
        return self.nodes if self.nodes is not None else range(self.num_nodes)

    def index_of(self, node):
        """Row of ``node``; raises ``KeyError`` for an unknown node."""
        if self.nodes is None:
            if isinstance(node, (int, np.integer)) and 0 <= node < self.num_nodes:
                return int(node)
            raise KeyError(node)
        return self.node_index[node]

    @property
    def node_index(self):
        """``{node label: row}`` (built on first use and kept); None for an
        unlabelled graph.

        >>> import networkx as nx
        >>> from klpart import as_csr_graph
        >>> as_csr_graph(nx.path_graph("ab")).node_index
        {'a': 0, 'b': 1}
        """
        if self.nodes is None:
            return None
        if self._index is None:
            self._index = {u: i for i, u in enumerate(self.nodes)}
        return self._index

    # -- views and conversions ----------------------------------------------
    def with_unit_weights(self):
        """The same structure with every edge weight 1 (arrays shared)."""
        return CSRGraph(
            self.indptr,
            self.indices,
            np.ones(self.indices.shape[0], np.int64),
            self.node_weights,
            loop_weights=None
            if self.loop_weights is None
            else (self.loop_weights > 0).astype(np.int64),
            nodes=self.nodes,
            validate=False,
        )

    def to_scipy(self, *, self_loops=True):
        """The weighted adjacency as a ``scipy.sparse.csr_array`` (a copy)."""
        import scipy.sparse as sp

        n = self.num_nodes
        A = sp.csr_array(
            (self.edge_weights.copy(), self.indices.copy(), self.indptr.copy()),
            shape=(n, n),
        )
        if self_loops and self.loop_weights is not None and self.loop_weights.any():
            A = (A + sp.diags_array(self.loop_weights, format="csr", dtype=self.loop_weights.dtype)).tocsr()
        return A

    def to_networkx(self, weight="weight", node_weight=None):
        """A new ``nx.Graph`` with this graph's labels, edges and weights.

        Parameters
        ----------
        weight : str or None
            Edge attribute receiving the edge weight (None: no attribute).
        node_weight : str or None
            Node attribute receiving the node weight (None: no attribute).
        """
        import networkx as nx

        G = nx.Graph()
        labels = list(self.labels())
        if node_weight is None:
            G.add_nodes_from(labels)
        else:
            G.add_nodes_from(
                (u, {node_weight: w}) for u, w in zip(labels, self.node_weights.tolist())
            )
        src = np.repeat(np.arange(self.num_nodes), np.diff(self.indptr))
        keep = src < self.indices
        us, vs = src[keep].tolist(), self.indices[keep].tolist()
        ws = self.edge_weights[keep].tolist()
        if weight is None:
            G.add_edges_from((labels[u], labels[v]) for u, v in zip(us, vs))
        else:
            G.add_edges_from(
                (labels[u], labels[v], {weight: w}) for u, v, w in zip(us, vs, ws)
            )
        if self.loop_weights is not None:
            for u in np.flatnonzero(self.loop_weights).tolist():
                attrs = {} if weight is None else {weight: self.loop_weights[u].item()}
                G.add_edge(labels[u], labels[u], **attrs)
        return G


def _weight_array(values, length, name, validate):
    """Coerce weights to int64 (when integral) or float64."""
    arr = np.asarray(values)
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
    elif arr.dtype.kind in "iu":
        arr = arr.astype(np.int64, copy=False)
    elif arr.dtype.kind == "f":
        arr = arr.astype(np.float64, copy=False)
    else:
        raise TypeError(f"{name} must be numeric, got dtype {arr.dtype}")
    if arr.ndim != 1 or arr.shape[0] != length:
        raise ValueError(f"{name} has shape {arr.shape}, expected ({length},)")
    if validate:
        bad = _first_bad_weight(arr)
        if bad >= 0:
            raise ValueError(
                f"{name}[{bad}] = {arr[bad].item()!r}: weights must be finite and non-negative"
            )
        from ._check import check_weight_sum

        check_weight_sum(arr, "node" if name == "node_weights" else "edge",
                         stored_twice=name == "edge_weights")
    return arr


def _first_bad_weight(arr):
    """Index of the first negative, NaN or infinite entry, or -1."""
    if arr.dtype.kind == "f":
        bad = ~(np.isfinite(arr) & (arr >= 0))
    else:
        bad = arr < 0
    hits = np.flatnonzero(bad)
    return int(hits[0]) if hits.size else -1


def check_structure(indptr, indices, n):
    """Raise when ``indptr`` / ``indices`` cannot be CSR arrays of ``n``
    rows (shape and integer dtype; the values are checked elsewhere).

    Examples
    --------
    >>> import numpy as np
    >>> check_structure(np.array([0, 1, 2]), np.array([1, 0]), 2)
    >>> check_structure(np.array([0.0, 1.0]), np.array([0]), 1)
    Traceback (most recent call last):
    ...
    TypeError: indptr and indices must be integer arrays
    """
    if indptr.ndim != 1 or n < 0:
        raise ValueError("indptr must be a one-dimensional array of length n + 1")
    if indices.ndim != 1:
        raise ValueError("indices must be a one-dimensional array")
    if indptr.dtype.kind not in "iu" or indices.dtype.kind not in "iu":
        raise TypeError("indptr and indices must be integer arrays")
    if indptr[0] != 0 or indptr[-1] != indices.shape[0]:
        raise ValueError(
            f"indptr must start at 0 and end at len(indices) = {indices.shape[0]}, "
            f"got {indptr[0]} .. {indptr[-1]}"
        )
    steps = np.diff(indptr)
    if (steps < 0).any():
        row = int(np.flatnonzero(steps < 0)[0])
        raise ValueError(f"indptr decreases at row {row}")
    if n >= np.iinfo(INDEX_DTYPE).max:
        raise ValueError(f"graphs with {n} nodes are too large (limit 2**31 - 1)")
    if indices.shape[0]:
        lo, hi = indices.min(), indices.max()
        if lo < 0 or hi >= n:
            bad = int(np.flatnonzero((indices < 0) | (indices >= n))[0])
            row = int(np.searchsorted(indptr, bad, side="right") - 1)
            raise ValueError(
                f"entry ({row}, {indices[bad]}) has a column index outside [0, {n})"
            )


def _check_symmetric(g):
    from ._kernels.csr import count_self_loops, first_asymmetric_entry, first_unsorted_row, is_symmetric

    indptr, indices, weights = g.indptr, g.indices, g.edge_weights
    if first_unsorted_row(indptr, indices) >= 0:
        import scipy.sparse as sp

        n = g.num_nodes
        A = sp.csr_array((weights, indices, indptr), shape=(n, n)).sorted_indices()
        indptr = A.indptr.astype(POINTER_DTYPE)
        indices = A.indices.astype(INDEX_DTYPE)
        weights = A.data
        row = first_unsorted_row(indptr, indices)
        if row >= 0:
            raise ValueError(f"row {row} has duplicate column indices")
    if count_self_loops(indptr, indices):
        raise ValueError(
            "the adjacency has diagonal entries; pass self-loops as loop_weights"
        )
    if not is_symmetric(indptr, indices, weights):
        p = first_asymmetric_entry(indptr, indices, weights)
        raise ValueError(asymmetry_message(indptr, indices, weights, p))


def asymmetry_message(indptr, indices, weights, p):
    """Explain why entry ``p`` has no matching mirror entry."""
    from ._kernels.csr import mirror_position

    u = int(np.searchsorted(indptr, p, side="right") - 1)
    v = int(indices[p])
    q = mirror_position(indptr, indices, v, u)
    if q < 0:
        return f"the graph is not symmetric: entry ({u}, {v}) has no entry ({v}, {u})"
    return (
        f"the graph is not symmetric: entry ({u}, {v}) = {weights[p].item()!r} "
        f"but ({v}, {u}) = {weights[q].item()!r}"
    )
