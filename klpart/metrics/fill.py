"""Fill of a sparse Cholesky factorisation: nnz(L) for an elimination order."""

import numpy as np

__all__ = ["fill"]


def fill(G, order):
    """Number of nonzeros of the Cholesky factor L for an elimination order,
    **diagonal included** (the count CHOLMOD and METIS's ``ndmetis`` report
    as nnz(L)).

    Computed symbolically from the structure alone (values never cancel):
    the elimination tree (Liu's algorithm) and the column counts of L from
    the row subtrees, in O(nnz(L)) time and O(n) memory.

    Parameters
    ----------
    G : nx.Graph, scipy sparse matrix/array, CSRGraph, ...
        Undirected graph, or a symmetric matrix (its diagonal and values are
        ignored: every node has a diagonal entry).
    order : sequence
        The elimination order: every node (NetworkX labels) or row id exactly
        once; ``order[i]`` is eliminated i-th (METIS's ``perm``).

    Returns
    -------
    int

    Raises
    ------
    ValueError
        If ``order`` is not a permutation of the nodes.

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart.metrics import fill
    >>> fill(nx.star_graph(4), [1, 2, 3, 4, 0])   # leaves first: no fill
    9
    >>> fill(nx.star_graph(4), [0, 1, 2, 3, 4])   # centre first: L is full
    15
    """
    from .._kernels.ordering import factor_nnz
    from ..convert import as_csr_graph

    g = as_csr_graph(G, weight=None)
    rank = _rank_of(g, order)
    return int(factor_nnz(g.indptr, g.indices, rank))


def _rank_of(g, order):
    n = g.num_nodes
    if g.nodes is not None:
        index = {u: i for i, u in enumerate(g.nodes)}
        try:
            rows = np.fromiter((index[u] for u in order), np.int64)
        except KeyError as e:
            raise ValueError(f"order contains {e.args[0]!r}, which is not a node of the graph") from None
        except TypeError:
            raise ValueError("order must be a sequence of nodes") from None
    else:
        rows = np.asarray(order)
        if rows.ndim != 1 or (rows.size and rows.dtype.kind not in "iu"):
            raise ValueError("order must be a 1-D sequence of integer row ids")
        rows = rows.astype(np.int64)
        if rows.size and (rows.min() < 0 or rows.max() >= n):
            raise ValueError(f"order has a row id outside [0, {n})")
    if rows.shape[0] != n:
        raise ValueError(f"order has {rows.shape[0]} entries for {n} nodes")
    rank = np.full(n, -1, np.int64)
    rank[rows] = np.arange(n)
    if (rank < 0).any():
        raise ValueError(f"order is not a permutation: node {int(np.argmax(rank < 0))} (row) is missing")
    return rank
