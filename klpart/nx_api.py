"""Functions with NetworkX's signatures, semantics and exceptions."""

from itertools import chain, compress

import numpy as np

from ._check import check_max_iter, not_directed
from ._rng import python_random, shuffled_order
from .convert import as_csr_graph, is_networkx_graph, networkx_arrays

__all__ = ["kernighan_lin_bisection"]


def kernighan_lin_bisection(G, partition=None, max_iter=10, weight="weight", seed=None):
    """Partition a graph into two blocks with the Kernighan-Lin algorithm.

    A drop-in for :func:`networkx.community.kernighan_lin_bisection`: same
    signature, same return type, same exceptions and the same algorithm (each
    pass moves single nodes, alternating sides, always taking the unlocked
    node of largest gain on that side, then keeps the best prefix of moves;
    passes stop after ``max_iter`` or when no prefix improves the cut).  The
    passes run in compiled code over CSR arrays.

    Parameters
    ----------
    G : NetworkX graph, scipy sparse matrix/array or CSRGraph
        Undirected graph.  Matrix inputs must be symmetric; their nodes are
        the row indices.
    partition : tuple, optional
        Pair of iterables of nodes giving the starting partition; its block
        sizes are kept.  If omitted, ``list(G)`` is shuffled with ``seed``
        exactly as NetworkX shuffles it and split at ``n // 2``.
    max_iter : int, default 10
        Maximum number of passes.
    weight : str, callable or None, default "weight"
        Edge attribute holding the weight (missing -> 1), None for unit
        weights, or a function ``(u, v, d)`` evaluated per direction that
        returns a number or None to hide that direction.  Parallel edges of a
        multigraph are summed.
    seed : int, random.Random, numpy Generator or None
        Randomness of the initial split (unused when ``partition`` is given).
        The same int gives NetworkX's starting split.  None uses a private
        generator: the global ``random`` and NumPy states are never touched.

    Returns
    -------
    tuple of two sets
        The two blocks, as NetworkX orders them: first the block holding the
        final members of ``partition[1]``'s side, then ``partition[0]``'s.

    Raises
    ------
    NetworkXNotImplemented
        If ``G`` is directed.
    NetworkXError
        If ``partition`` is not a pair ("partition must be two sets") or not
        a partition of the nodes ("partition invalid").
    TypeError
        If ``max_iter`` is not an integer (as NetworkX's ``range(max_iter)``).
    ValueError
        If a weight is negative, NaN or infinite, if integer weights sum past
        2**62 (see :mod:`klpart._check`), or ``seed`` is not a seed.

    Notes
    -----
    *Ties.* When several nodes of a side share the largest gain, klpart takes
    the one whose gain changed most recently; NetworkX's heap takes the one
    whose gain changed least recently.  Both are valid KL; the recent-first
    rule keeps a pass working on one front instead of jumping across the
    graph, which gives much lower cuts on meshes (see ``bench/``).  Results
    can therefore differ from NetworkX's when gains tie.

    *Self-loops* never count in a cut, so they do not change any gain (in
    NetworkX a self-loop lowers its node's priority).

    *Degenerate inputs.* Where NetworkX fails with an internal error (a graph
    of fewer than two nodes, or an empty side), klpart returns the
    partition unchanged.

    Examples
    --------
    >>> import networkx as nx
    >>> import klpart
    >>> G = nx.barbell_graph(3, 0)
    >>> A, B = klpart.kernighan_lin_bisection(G, seed=1)
    >>> sorted(map(sorted, (A, B)))
    [[0, 1, 2], [3, 4, 5]]

    References
    ----------
    .. [1] B. W. Kernighan and S. Lin, "An efficient heuristic procedure for
       partitioning graphs", Bell System Technical Journal 49 (1970) 291-307.
    """
    from .kl import kl_refine

    nodes, side, indptr, indices, weights = kl_inputs(G, partition, weight, seed)
    kl_refine(indptr, indices, weights, side, check_max_iter(max_iter))
    return two_sets(nodes, side)


def kl_inputs(G, partition, weight, seed):
    """Validate and convert the drop-in's arguments, in NetworkX's order
    (directed graph, seed, partition, then weights).

    Returns ``(nodes, side, indptr, indices, weights)``: node labels, the
    starting sides (int8, 1 for ``partition[0]``) and the CSR arrays
    (self-loops dropped; asymmetric for a per-direction callable weight).
    """
    if is_networkx_graph(G):
        not_directed(G)
        rng = python_random(seed)
        nodes = list(G)
        side = initial_side(nodes, partition, rng)
        _, indptr, indices, weights, _ = networkx_arrays(G, weight, nodes=nodes)
    else:
        g = as_csr_graph(G, weight=weight)
        rng = python_random(seed)
        nodes = list(g.labels())
        side = initial_side(nodes, partition, rng)
        indptr, indices, weights = g.indptr, g.indices, g.edge_weights
    return nodes, side, indptr, indices, weights


def initial_side(nodes, partition, rng):
    """The starting sides of the Kernighan-Lin drop-in, as NetworkX makes them.

    Used by :func:`kernighan_lin_bisection`, the NetworkX backend and
    ``bench/``, which all must start where NetworkX starts.

    Parameters
    ----------
    nodes : list
        Node labels in row order (``list(G)``).
    partition : pair of iterables of nodes or None
        The given starting partition, or None for NetworkX's random split:
        ``nodes`` shuffled with ``rng`` as ``random.shuffle`` does, the first
        ``n // 2`` on the first side.
    rng : random.Random
        Consumed only when ``partition`` is None.

    Returns
    -------
    ndarray of int8
        ``side[i]`` is 1 when ``nodes[i]`` is in the first set, 0 otherwise
        (NetworkX's ``side = {node: node in A}``).

    Raises
    ------
    NetworkXError
        "partition must be two sets" when ``partition`` is not a pair,
        "partition invalid" when it does not hold every node exactly once.

    Examples
    --------
    >>> import random
    >>> from klpart.nx_api import initial_side
    >>> initial_side(["a", "b", "c"], ({"c"}, ["a", "b"]), None).tolist()
    [0, 0, 1]
    >>> int(initial_side(list(range(6)), None, random.Random(1)).sum())
    3
    """
    import networkx as nx

    n = len(nodes)
    side = np.zeros(n, np.int8)
    if partition is None:
        order = shuffled_order(n, rng)  # the permutation NetworkX applies to list(G)
        side[order[: n // 2]] = 1
        return side
    try:
        A, B = partition
    except (TypeError, ValueError) as err:
        raise nx.NetworkXError("partition must be two sets") from err
    A = list(A)
    B = list(B)
    index = dict(zip(nodes, range(n)))
    rows = []
    for x in chain(A, B):
        try:
            rows.append(index.get(x, -1))
        except TypeError:  # unhashable: not a node
            rows.append(-1)
    rows = np.asarray(rows, np.int64)
    if (
        len(rows) != n
        or (rows < 0).any()
        or np.bincount(rows[rows >= 0], minlength=n).max(initial=0) > 1
    ):
        raise nx.NetworkXError("partition invalid")
    side[rows[: len(A)]] = 1
    return side


def two_sets(nodes, side):
    """The drop-in's result: the two sets of nodes of a side array.

    Parameters
    ----------
    nodes : list
        Node labels in row order.
    side : ndarray
        0 or 1 per row.

    Returns
    -------
    tuple of two sets
        The nodes of side 0, then those of side 1 (NetworkX's order of the
        blocks of ``kernighan_lin_bisection``).

    Examples
    --------
    >>> import numpy as np
    >>> from klpart.nx_api import two_sets
    >>> A, B = two_sets(["a", "b", "c"], np.array([1, 0, 1], np.int8))
    >>> sorted(A), sorted(B)
    (['b'], ['a', 'c'])
    """
    first = (side == 0).tolist()
    second = (side == 1).tolist()
    return set(compress(nodes, first)), set(compress(nodes, second))
