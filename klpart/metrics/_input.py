"""Partition input of :mod:`klpart.metrics`: node collections, dicts and
label arrays turned into one int64 block label per CSR row, with
:class:`NotAPartition` naming the offending node when they do not fit."""

import numbers
from collections.abc import Mapping

import networkx as nx
import numpy as np
from networkx.algorithms.community.quality import NotAPartition as _NxNotAPartition

from ..convert import as_csr_graph, is_networkx_graph, labels_are_positions

__all__ = ["NotAPartition"]


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
def node_index(g):
    """The dict node label -> row of a labelled CSRGraph.

    The dict is CSRGraph's own lazily built index (the one
    :meth:`CSRGraph.index_of` uses), so repeated calls on the same graph
    build it once.  Do not modify it.

    Parameters
    ----------
    g : CSRGraph

    Returns
    -------
    dict or None
        None when ``g`` has no labels (its nodes are the rows 0..n-1).

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import as_csr_graph, metrics
    >>> metrics.node_index(as_csr_graph(nx.path_graph("abc")))
    {'a': 0, 'b': 1, 'c': 2}
    """
    return g.node_index


def lookup(g):
    """How to find the rows of ``g``'s nodes: the ``index`` and
    ``positions`` arguments of :func:`rows_from_blocks`.

    Parameters
    ----------
    g : CSRGraph

    Returns
    -------
    index : callable or None
        A function returning :func:`node_index` (built only if needed), or
        None when ``g`` has no labels.
    positions : bool
        Whether node ``i`` is the integer ``i`` (then rows are found without
        hashing).

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import as_csr_graph, metrics
    >>> index, positions = metrics.lookup(as_csr_graph(nx.path_graph(3)))
    >>> index(), positions
    ({0: 0, 1: 1, 2: 2}, True)
    """
    if g.nodes is None:
        return None, True
    return (lambda: node_index(g)), labels_are_positions(g.nodes)


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


def partition_array(g, partition, k=None):
    """``(part, k, block_labels)``: int64 block of each row, block count and
    the block names of a dict partition (None otherwise).

    A :class:`~klpart.PartitionResult` (anything with ``labels`` and ``k``
    attributes) is taken as its label array and block count.
    """
    if is_partition_result(partition):
        if k is None:
            k = partition.k
        partition = partition.labels
    if isinstance(partition, Mapping):
        part, k_found, names = _from_mapping(g, partition)
    else:
        if not isinstance(partition, (list, tuple, np.ndarray)):
            partition = list(partition)
        if _is_label_sequence(partition):
            part, k_found = _from_label_array(g, partition)
            names = None
        else:
            part = rows_from_blocks(partition, g.num_nodes, g.labels(), *lookup(g))
            k_found = len(partition)
            names = None
    if k is None:
        return part, k_found, names
    k = _check_k(k, g.num_nodes)
    if k < k_found:
        raise ValueError(f"the partition has {k_found} blocks but k={k}")
    if names is not None:
        names = names + [None] * (k - len(names))
    return part, k, names


def _check_k(k, n=0):
    from .._check import check_block_count

    return check_block_count(k, n)


def is_partition_result(partition):
    from ..partitioning import PartitionResult

    return isinstance(partition, PartitionResult)


def _check_block_ids(part, g, what="label"):
    """ValueError for a block id too large to size arrays with."""
    from .._check import MAX_BLOCKS

    n = g.num_nodes
    limit = max(n, MAX_BLOCKS)
    if part.size and part.max() >= limit:
        r = int(np.flatnonzero(part >= limit)[0])
        raise ValueError(
            f"{what} of node {_label_of(g, r)!r} is {part[r].item()!r}: block ids must be below "
            f"{limit} for a graph of {n} nodes"
        )


def rows_from_blocks(blocks, n, labels, index, positions=False):
    """Block of each row from a sequence of node collections, as NetworkX
    takes communities (strictly collections: no label arrays or dicts).

    Parameters
    ----------
    blocks : list
        Node collections, block ``i`` the ``i``-th; empty blocks allowed.
    n : int
        Number of nodes.
    labels : sequence
        Label of each row, for messages.
    index : dict, callable returning a dict, or None
        Node label -> row; None when the nodes are the integers 0..n-1.
    positions : bool, default False
        Whether node ``i`` is the integer ``i`` (an array route without
        hashing; the dict stays the fallback).  :func:`lookup` gives
        ``index`` and ``positions`` of a CSRGraph.

    Returns
    -------
    ndarray of int64
        ``part[r]`` is the block of row ``r``.

    Raises
    ------
    NotAPartition
        For a foreign, repeated or missing node (the message names it).
    TypeError
        For a block that is not a collection.

    Examples
    --------
    >>> from klpart import metrics
    >>> nodes = ["a", "b", "c"]
    >>> index = {"a": 0, "b": 1, "c": 2}
    >>> metrics.rows_from_blocks([{"c"}, ["a", "b"]], 3, nodes, index).tolist()
    [1, 1, 0]
    >>> try:
    ...     metrics.rows_from_blocks([{"c"}, ["a"]], 3, nodes, index)
    ... except metrics.NotAPartition as err:
    ...     print(err)
    node 'b' is in no block
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
    rows, bad = _lookup_rows(keys, n, *lookup(g))
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
    if names is None:
        _check_block_ids(part, g, "block")
    k = len(names) if names is not None else (int(codes.max()) + 1 if n else 0)
    return part, k, names


def _encode_block_values(values):
    """Block indices from dict values: non-negative ints are used as they
    are; anything else is a block name (returns the names too)."""
    if values and all(
        isinstance(v, (numbers.Integral, np.integer)) and not isinstance(v, bool) and v >= 0
        for v in values
    ):
        top = max(values)
        if top >= 2**62:
            raise ValueError(f"block id {top} is too large (block ids must be below {2**62})")
        return np.fromiter(values, np.int64, len(values)), None
    codes, names = encode_hashables(values)
    return codes, names


def encode_hashables(values):
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
    if kind == "u" and n and arr.max() > np.iinfo(np.int64).max:
        arr = np.minimum(arr, np.uint64(np.iinfo(np.int64).max))  # refused just below
    if kind == "f" and n and arr.max() >= 2.0**62:
        r = int(np.argmax(arr))
        raise ValueError(
            f"label of node {_label_of(g, r)!r} is {arr[r].item()!r}: block ids must be below "
            f"{max(n, 2**20)} for a graph of {n} nodes"
        )
    part = arr.astype(np.int64, copy=False)
    _check_block_ids(part, g)
    return part, (int(part.max()) + 1 if n else 0)


def prepare(G, partition, weight, node_weight=None, k=None):
    """Convert once; return (graph, part, k, block names, is_multigraph)."""
    multigraph = is_networkx_graph(G) and G.is_multigraph()
    g = as_csr_graph(G, weight=weight, node_weight=node_weight)
    part, k, names = partition_array(g, partition, k)
    return g, part, k, names, multigraph
