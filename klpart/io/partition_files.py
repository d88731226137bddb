"""METIS partition files (``GRAPH.part.K``, one block id per line):
:func:`read_partition` and :func:`write_partition`.

References
----------
.. [1] The METIS 5.1.0 manual cited in :mod:`klpart.io.metis`, section "File
   formats": the partition file.
"""

import os

import numpy as np

from ._common import (
    HASH,
    PERCENT,
    GraphFormatError,
    int_token,
    read_bytes,
    split_lines,
    write_text,
)

__all__ = ["read_partition", "write_partition"]

def read_partition(path, n=None):
    """Read a partition file: one block id (non-negative integer) per line.

    This is the format ``gpmetis`` and KaHIP write (line ``i`` holds the
    block of node ``i``).  Lines whose first non-blank character is ``%`` or
    ``#`` are comments; blank lines are errors, because a missing id would
    shift every later node.

    Parameters
    ----------
    path : str, os.PathLike or file object
    n : int, optional
        Expected number of nodes; a file with another number of ids raises.

    Returns
    -------
    ndarray of int64, shape (n,)

    Raises
    ------
    GraphFormatError
        For a blank line, a line with more than one token, a token that is
        not a non-negative integer, a block id of ``max(n, 2**20)`` or more
        (ids size arrays downstream), or a count other than ``n``.
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import io
    >>> from klpart.io import read_partition
    >>> read_partition(io.StringIO("0\\n1\\n1\\n"), n=3).tolist()
    [0, 1, 1]
    """
    if n is not None:
        if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        n = int(n)
    data, name = read_bytes(path)
    from .._kernels.io import scan_integer_lines

    values, counts, bad = scan_integer_lines(np.frombuffer(data, np.uint8), PERCENT, HASH)
    if bad < 0 and ((counts == 1) | (counts == -1)).all() and (n is None or values.shape[0] == n):
        limit = _block_limit(n, values.shape[0])
        if values.size == 0 or values.max() < limit:
            return values.copy()
    return _parse_partition_slow(data, name, n)


def _block_limit(n, count):
    """Block ids must be below this: ``max(n, MAX_BLOCKS)`` (block ids size
    arrays downstream; ``n`` nodes never need more than ``n`` blocks)."""
    from .._check import MAX_BLOCKS

    return max(n if n is not None else count, MAX_BLOCKS)


def _parse_partition_slow(data, name, n):
    lines = split_lines(data)
    labels = []
    label_lines = []
    for lineno, line in enumerate(lines, 1):
        tokens = line.split()
        if tokens and tokens[0][:1] in (b"%", b"#"):
            continue
        if len(tokens) != 1:
            what = "a blank line" if not tokens else f"{len(tokens)} tokens"
            raise GraphFormatError(f"expected one block id per line, found {what}", name, lineno)
        if n is not None and len(labels) == n:
            raise GraphFormatError(f"more block ids than the {n} nodes expected", name, lineno)
        labels.append(int_token(tokens[0], f"block id of node {len(labels)}", name, lineno))
        label_lines.append(lineno)
    if n is not None and len(labels) != n:
        raise GraphFormatError(
            f"expected {n} block ids (one per node), the file ends after {len(labels)}",
            name,
            len(lines) + 1,
        )
    limit = _block_limit(n, len(labels))
    for i, x in enumerate(labels):
        if x >= limit:
            raise GraphFormatError(
                f"block id {x} of node {i} is too large for {len(labels)} nodes (block ids "
                f"must be below {limit})",
                name,
                label_lines[i],
            )
    return np.array(labels, np.int64)


def write_partition(labels, path=None, *, graph_path=None, k=None):
    """Write a partition file: the block id of node ``i`` on line ``i + 1``.

    Parameters
    ----------
    labels : array_like of int, shape (n,)
        Non-negative block id per node (row order).
    path : str, os.PathLike or file object, optional
        Destination.  When omitted, the ``gpmetis`` name
        ``f"{graph_path}.part.{k}"``.
    graph_path : str or os.PathLike, optional
        The graph's file, to derive the ``gpmetis`` name (only without
        ``path``).
    k : int, optional
        Number of blocks: every id must be below it.  Used in the derived
        name; defaults to ``max(labels) + 1`` there.

    Returns
    -------
    str, os.PathLike or file object
        ``path`` as given, or the derived name (a ``str``).

    Raises
    ------
    ValueError
        For negative or non-integer ids, ids >= ``k``, both ``path`` and
        ``graph_path`` given, or (when ``graph_path`` names an existing
        graph file) a label count other than its number of nodes or more
        blocks than nodes.
    TypeError
        If neither ``path`` nor ``graph_path`` is given.

    Examples
    --------
    >>> import os, tempfile
    >>> from klpart.io import read_partition, write_partition
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_partition([0, 1, 1], graph_path=os.path.join(tmp, "g.graph"), k=2)
    ...     print(os.path.basename(out), read_partition(out).tolist())
    g.graph.part.2 [0, 1, 1]
    """
    arr = np.asarray(labels)
    if arr.ndim != 1:
        raise ValueError(f"labels must be one-dimensional, got shape {arr.shape}")
    if arr.dtype.kind == "f":
        bad = ~(np.isfinite(arr) & (arr == np.floor(arr)))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise ValueError(f"labels[{i}] = {arr[i].item()!r} is not an integer block id")
        arr = arr.astype(np.int64)
    elif arr.dtype.kind not in "biu":
        raise TypeError(f"labels must be integer block ids, got dtype {arr.dtype}")
    arr = arr.astype(np.int64)
    if arr.size and arr.min() < 0:
        i = int(np.flatnonzero(arr < 0)[0])
        raise ValueError(f"labels[{i}] = {arr[i]} is negative")
    if k is not None:
        if not isinstance(k, (int, np.integer)) or isinstance(k, bool) or k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}")
        if arr.size and arr.max() >= k:
            i = int(np.flatnonzero(arr >= k)[0])
            raise ValueError(f"labels[{i}] = {arr[i]} is not below k = {k}")
    if path is None:
        if graph_path is None:
            raise TypeError("write_partition() needs a path or a graph_path")
        blocks = int(k) if k is not None else (int(arr.max()) + 1 if arr.size else 1)
        _check_against_graph(arr, blocks, graph_path)
        path = f"{os.fsdecode(os.fspath(graph_path))}.part.{blocks}"
    elif graph_path is not None:
        raise ValueError("pass either path or graph_path, not both")
    write_text(path, "".join(f"{x}\n" for x in arr.tolist()))
    return path


def _graph_node_count(graph_path):
    """Nodes of the graph file ``graph_path`` (METIS: from its header only)."""
    from . import detect_format, read_graph

    if detect_format(graph_path) == "metis":
        with open(graph_path, "rb") as f:
            for line in f:
                tokens = line.split()
                if tokens and not tokens[0].startswith(b"%"):
                    if tokens[0].isdigit():
                        return int(tokens[0])
                    break
    return read_graph(graph_path).num_nodes


def _check_against_graph(labels, blocks, graph_path):
    """ValueError when ``labels`` cannot be a partition of the graph in
    ``graph_path`` into ``blocks`` blocks (skipped when the file does not
    exist or its format is unknown)."""
    if not os.path.isfile(graph_path):
        return
    try:
        n = _graph_node_count(graph_path)
    except ValueError as exc:
        if "unknown graph format" in str(exc) or "cannot tell" in str(exc):
            return
        raise
    name = os.fsdecode(os.fspath(graph_path))
    if labels.shape[0] != n:
        raise ValueError(f"labels has {labels.shape[0]} entries, but {name} has {n} nodes")
    if blocks > max(n, 1):
        raise ValueError(f"{blocks} blocks is more than the {n} nodes of {name}")
