"""METIS graph files (``.graph``): :func:`read_metis`, :func:`write_metis`
and :class:`MetisGraph`, the CSRGraph that keeps METIS node sizes.

References
----------
.. [1] G. Karypis, "METIS: A Software Package for Partitioning Unstructured
   Graphs, Partitioning Meshes, and Computing Fill-Reducing Orderings of
   Sparse Matrices, Version 5.1.0", University of Minnesota, 2013 (section
   "File formats": the graph file).
"""

import numpy as np

from ..graph import INDEX_DTYPE, POINTER_DTYPE, CSRGraph
from ._common import (
    PERCENT,
    GraphFormatError,
    int_token,
    read_bytes,
    show,
    split_lines,
    write_text,
)

__all__ = ["MetisGraph", "read_metis", "write_metis"]

# node ids are int32 and CSRGraph refuses n >= 2**31 - 1
_MAX_NODES = int(np.iinfo(INDEX_DTYPE).max) - 1
# a single weight beyond the sum limit of klpart._check can never be valid
_WEIGHT_LIMIT = 2**62
# METIS fmt code -> (node sizes, node weights, edge weights)
_FMT_FLAGS = {
    0: (0, 0, 0),
    1: (0, 0, 1),
    10: (0, 1, 0),
    11: (0, 1, 1),
    100: (1, 0, 0),
    101: (1, 0, 1),
    110: (1, 1, 0),
    111: (1, 1, 1),
}


class MetisGraph(CSRGraph):
    """A :class:`~klpart.graph.CSRGraph` that also carries METIS node sizes.

    The METIS format stores, besides a weight, a *size* per node (the ``s``
    digit of ``fmt``), which METIS uses only to minimise communication
    volume.  :func:`read_metis` keeps it here so that :func:`write_metis`
    writes it back; every klpart function sees an ordinary CSRGraph (derived
    graphs, e.g. ``with_unit_weights()``, are plain CSRGraphs without sizes).

    Parameters
    ----------
    indptr, indices, edge_weights, node_weights, **kwargs
        As for :class:`~klpart.graph.CSRGraph`.
    node_sizes : array_like of int, optional
        Non-negative integer size of each node; all ones when omitted (as in
        METIS).

    Attributes
    ----------
    node_sizes : ndarray of int64, shape (n,)

    Examples
    --------
    >>> from klpart.io import MetisGraph
    >>> g = MetisGraph([0, 1, 2], [1, 0], node_sizes=[3, 1])
    >>> g.node_sizes.tolist(), g.num_edges
    ([3, 1], 1)
    """

    __slots__ = ("node_sizes",)

    def __init__(self, indptr, indices, edge_weights=None, node_weights=None, *, node_sizes=None,
                 **kwargs):
        super().__init__(indptr, indices, edge_weights, node_weights, **kwargs)
        self.node_sizes = _node_size_array(node_sizes, self.num_nodes)


def _node_size_array(node_sizes, n):
    """Validated int64 node sizes (ones for None)."""
    if node_sizes is None:
        return np.ones(n, np.int64)
    sizes = np.asarray(node_sizes)
    if sizes.size == 0 and sizes.dtype.kind == "f":  # [] becomes float64
        sizes = sizes.astype(np.int64)
    if sizes.dtype.kind not in "biu":
        raise TypeError(f"node_sizes must be integers, got dtype {sizes.dtype}")
    if sizes.shape != (n,):
        raise ValueError(f"node_sizes has shape {sizes.shape}, expected ({n},)")
    sizes = sizes.astype(np.int64)
    if sizes.size and sizes.min() < 0:
        i = int(np.flatnonzero(sizes < 0)[0])
        raise ValueError(f"node_sizes[{i}] = {sizes[i]} is negative")
    return sizes


def read_metis(path):
    """Read a graph in METIS format.

    The format (METIS manual, section 4.1.1): after optional ``%`` comment
    lines, a header ``n m [fmt [ncon]]``, then one line per node ``1 .. n``
    listing its neighbours (1-based); every undirected edge appears on the
    lines of both endpoints.  ``fmt`` has up to three 0/1 digits ``[s][w][e]``:
    with ``s`` each node line starts with the node's size, with ``w`` then
    with its weight, with ``e`` every neighbour is followed by the weight of
    that edge (``1`` = edge weights, ``10`` = node weights, ``11`` = both,
    ``100`` = node sizes ...).  An empty node line is an isolated node.

    Comment lines (first non-blank character ``%``) may appear anywhere and
    are skipped; blank lines before the header are skipped too, and blank
    lines after the ``n`` node lines are ignored.  Zero weights are accepted
    (METIS itself rejects zero edge weights).

    Parameters
    ----------
    path : str, os.PathLike or file object
        The file, or an open text or binary file.

    Returns
    -------
    MetisGraph
        A :class:`~klpart.graph.CSRGraph` with int64 ``edge_weights`` and
        ``node_weights`` (ones where the file has none), unlabelled nodes
        ``0 .. n-1`` (node ``i`` of the file is row ``i - 1``; each row keeps
        the file's neighbour order), and ``node_sizes`` (ones when the file
        has none).

    Raises
    ------
    GraphFormatError
        If the file is not a valid METIS graph: malformed header, ``fmt`` not
        made of 0/1 digits, ``ncon > 1`` (multi-constraint graphs are not
        supported), a node line with the wrong number of numbers for ``fmt``,
        a token that is not a non-negative integer, a neighbour id outside
        ``1 .. n``, a self-loop, a neighbour listed twice, an edge listed by
        only one endpoint or with two different weights (the message names
        both lines), fewer than ``n`` node lines, data after them, or an edge
        count other than the header's ``m``.
    FileNotFoundError
        If ``path`` does not exist.

    See Also
    --------
    write_metis, read_graph

    Examples
    --------
    A triangle 1-2-3 with node weights and a pendant node 4 (``fmt`` 11:
    node weight, then neighbour/edge-weight pairs):

    >>> import io
    >>> from klpart.io import read_metis
    >>> text = '''% a comment
    ... 4 4 11
    ... 5 2 1 3 2
    ... 1 1 1 3 1
    ... 1 1 2 2 1 4 7
    ... 2 3 7
    ... '''
    >>> g = read_metis(io.StringIO(text))
    >>> g.num_nodes, g.num_edges, g.node_weights.tolist()
    (4, 4, [5, 1, 1, 2])
    >>> sorted(g.to_networkx().edges(data="weight"))
    [(0, 1, 1), (0, 2, 2), (1, 2, 1), (2, 3, 7)]
    """
    data, name = read_bytes(path)
    graph = _parse_metis_fast(data)
    if graph is None:
        # the fast path found something odd: the reference parser explains it
        # with a line number
        graph = _parse_metis_slow(data, name)
    from .._check import check_weight_sum

    try:
        check_weight_sum(graph.edge_weights, "edge", stored_twice=True)
        check_weight_sum(graph.node_weights, "node")
    except ValueError as exc:
        raise GraphFormatError(str(exc), name) from None
    return graph


def _parse_metis_fast(data):
    """Vectorised METIS parser: a MetisGraph, or None whenever the file is
    invalid (or unusual), leaving the explanation to the slow parser."""
    from .._kernels.csr import first_asymmetric_entry, first_unsorted_row
    from .._kernels.io import scan_integer_lines

    values, counts, bad = scan_integer_lines(np.frombuffer(data, np.uint8), PERCENT, -1)
    if bad >= 0:
        return None
    filled = np.flatnonzero(counts > 0)
    if filled.size == 0:
        return None
    h = int(filled[0])  # the header: first line holding numbers
    hn = int(counts[h])
    if not 2 <= hn <= 4:
        return None
    header = values[:hn].tolist() + [0, 0]
    n, m, fmt, ncon = header[:4]
    if fmt not in _FMT_FLAGS or ncon > 1 or n > _MAX_NODES:
        return None
    s, w, e = _FMT_FLAGS[fmt]
    node_lines = np.flatnonzero(counts[h + 1:] >= 0)  # comment lines are -1
    if node_lines.size < n or counts[h + 1:][node_lines[n:]].any():
        return None
    ntok = counts[h + 1:][node_lines[:n]]
    head = s + w
    rest = ntok - head
    if n and (rest.min() < 0 or (e and (rest & 1).any())):
        return None
    degrees = rest >> e
    tokens = values[hn:]
    starts = np.zeros(n + 1, np.int64)
    np.cumsum(ntok, out=starts[1:])
    sizes = tokens[starts[:-1]] if s else None
    node_weights = tokens[starts[:-1] + s] if w else None
    if head:
        keep = np.ones(tokens.shape[0], np.bool_)
        for j in range(head):
            keep[starts[:-1] + j] = False
        tokens = tokens[keep]
    if e:
        ids, edge_weights = tokens[0::2], tokens[1::2]
    else:
        ids, edge_weights = tokens, np.ones(tokens.shape[0], np.int64)
    if ids.size and (ids.min() < 1 or ids.max() > n):
        return None
    indptr = np.zeros(n + 1, POINTER_DTYPE)
    np.cumsum(degrees, out=indptr[1:])
    indices = (ids - 1).astype(INDEX_DTYPE)
    if indices.shape[0] != 2 * m:
        return None
    if (indices == np.repeat(np.arange(n, dtype=INDEX_DTYPE), degrees)).any():
        return None  # a self-loop
    # duplicate and symmetry checks need strictly increasing rows: sort a copy
    # (the graph keeps the file's neighbour order)
    import scipy.sparse as sp

    A = sp.csr_array((edge_weights, indices, indptr), shape=(n, n), copy=True)
    A.sort_indices()
    s_indptr = A.indptr.astype(POINTER_DTYPE, copy=False)
    s_indices = A.indices.astype(INDEX_DTYPE, copy=False)
    if first_unsorted_row(s_indptr, s_indices) >= 0:
        return None  # a neighbour listed twice
    if first_asymmetric_entry(s_indptr, s_indices, A.data.astype(np.int64, copy=False)) >= 0:
        return None
    return MetisGraph(
        indptr,
        indices,
        np.ascontiguousarray(edge_weights),
        node_weights,
        node_sizes=sizes,
        validate=False,
    )


def _metis_layout(s, w, e):
    parts = [text for text, flag in (("a node size", s), ("a node weight", w)) if flag]
    parts.append("neighbour/edge-weight pairs" if e else "neighbour ids")
    return ", then ".join(parts)


def _parse_metis_slow(data, name):
    """Line-by-line METIS parser: the reference the fast path must agree
    with, and the source of every error message."""
    lines = split_lines(data)
    numbered = enumerate(lines, 1)
    header = None
    for lineno, line in numbered:
        tokens = line.split()
        if tokens and not tokens[0].startswith(b"%"):
            header = lineno, tokens
            break
    if header is None:
        what = "the file is empty" if not lines else "the file has only comments and blank lines"
        raise GraphFormatError(
            f"no header line 'n m [fmt [ncon]]': {what}", name, len(lines) + 1
        )
    hl, tokens = header
    if not 2 <= len(tokens) <= 4:
        raise GraphFormatError(
            f"the header has {len(tokens)} field{'s' if len(tokens) != 1 else ''}; "
            "expected 'n m [fmt [ncon]]'",
            name,
            hl,
        )
    fields = ("number of nodes", "number of edges", "fmt", "ncon")
    numbers = [int_token(t, f"header: {f}", name, hl, None) for t, f in zip(tokens, fields)]
    n, m = numbers[0], numbers[1]
    fmt = numbers[2] if len(numbers) > 2 else 0
    fmt_text = tokens[2].decode() if len(tokens) > 2 else "0"
    if fmt not in _FMT_FLAGS:
        raise GraphFormatError(
            f"header: fmt {show(tokens[2])} is not a METIS format code: expected up to "
            "three 0/1 digits [s][w][e] (node sizes, node weights, edge weights)",
            name,
            hl,
        )
    if len(numbers) > 3 and numbers[3] > 1:
        raise GraphFormatError(
            f"header: ncon = {numbers[3]}: multi-constraint graphs (several weights per "
            "node) are not supported",
            name,
            hl,
        )
    if n > _MAX_NODES:
        raise GraphFormatError(
            f"header: {n} nodes is too many (klpart supports up to {_MAX_NODES})", name, hl
        )
    s, w, e = _FMT_FLAGS[fmt]
    head = s + w
    step = 1 + e

    node_line = []  # line number of each node
    rows = []  # per node: {neighbour (0-based): edge weight}, in file order
    sizes = []
    weights = []
    for lineno, line in numbered:
        tokens = line.split()
        if tokens and tokens[0].startswith(b"%"):
            continue
        if len(rows) == n:
            if tokens:
                raise GraphFormatError(
                    f"unexpected data after the {n} node lines declared on line {hl}",
                    name,
                    lineno,
                )
            continue
        u = len(rows) + 1
        node_line.append(lineno)
        k = len(tokens)
        if k < head:
            raise GraphFormatError(
                f"node {u} has {k} number{'s' if k != 1 else ''}, but fmt {fmt_text} "
                f"needs {_metis_layout(s, w, e)}",
                name,
                lineno,
            )
        if (k - head) % step:
            after = f" after its {' and '.join(t for t, f in (('size', s), ('weight', w)) if f)}"
            raise GraphFormatError(
                f"node {u} has {k - head} number{'s' if k - head != 1 else ''}"
                f"{after if head else ''}, an odd count, but fmt {fmt_text} needs "
                "neighbour/edge-weight pairs",
                name,
                lineno,
            )
        if s:
            sizes.append(int_token(tokens[0], f"node {u}: size", name, lineno, _WEIGHT_LIMIT))
        if w:
            weights.append(int_token(tokens[s], f"node {u}: weight", name, lineno, _WEIGHT_LIMIT))
        row = {}
        for j in range(head, k, step):
            v = int_token(tokens[j], f"node {u}: neighbour id", name, lineno, None)
            if not 1 <= v <= n:
                raise GraphFormatError(
                    f"node {u}: neighbour id {v} is out of range 1..{n}", name, lineno
                )
            if v == u:
                raise GraphFormatError(
                    f"node {u} lists itself: a METIS graph cannot have self-loops", name, lineno
                )
            if v - 1 in row:
                raise GraphFormatError(f"node {u} lists neighbour {v} twice", name, lineno)
            row[v - 1] = (
                int_token(tokens[j + 1], f"node {u}: weight of edge to {v}", name, lineno, _WEIGHT_LIMIT)
                if e
                else 1
            )
        rows.append(row)
    if len(rows) < n:
        raise GraphFormatError(
            f"the file ends after {len(rows)} of the {n} node lines declared on line {hl}",
            name,
            len(lines) + 1,
        )
    for u, row in enumerate(rows):
        for v, weight in row.items():
            back = rows[v].get(u)
            if back is None:
                raise GraphFormatError(
                    f"node {u + 1} lists neighbour {v + 1}, but node {v + 1} "
                    f"(line {node_line[v]}) does not list {u + 1}",
                    name,
                    node_line[u],
                )
            if back != weight:
                raise GraphFormatError(
                    f"edge {u + 1}-{v + 1} has weight {weight} here but weight {back} "
                    f"on line {node_line[v]} (node {v + 1})",
                    name,
                    node_line[u],
                )
    nnz = sum(map(len, rows))
    if nnz != 2 * m:
        raise GraphFormatError(
            f"header: m = {m} edges, but the node lines list {nnz // 2} (each edge "
            "appears on the lines of both endpoints)",
            name,
            hl,
        )
    indptr = np.zeros(n + 1, POINTER_DTYPE)
    np.cumsum(np.fromiter(map(len, rows), np.int64, n), out=indptr[1:])
    indices = np.fromiter((v for row in rows for v in row), INDEX_DTYPE, nnz)
    edge_weights = np.fromiter((x for row in rows for x in row.values()), np.int64, nnz)
    return MetisGraph(
        indptr,
        indices,
        edge_weights,
        np.array(weights, np.int64) if w else None,
        node_sizes=np.array(sizes, np.int64) if s else None,
        validate=False,
    )


def _fmt_text(fmt):
    """Validate a user's ``fmt`` (str of 0/1 digits or int); its header text."""
    if isinstance(fmt, (int, np.integer)) and not isinstance(fmt, bool):
        if int(fmt) in _FMT_FLAGS:
            return str(int(fmt))
    elif isinstance(fmt, str):
        if fmt == "" or (len(fmt) <= 3 and set(fmt) <= {"0", "1"}):
            return fmt
    raise ValueError(
        f"fmt={fmt!r} is not a METIS format code: use up to three 0/1 digits [s][w][e] "
        "(node sizes, node weights, edge weights), e.g. '1', '10', '11', '100', or None "
        "for the smallest code that represents the graph"
    )


def _integer_weights(values, describe):
    """``values`` as int64, or ValueError naming the first non-integer one."""
    if values.dtype.kind in "iu":
        return values.astype(np.int64, copy=False)
    bad = ~(np.isfinite(values) & (values == np.floor(values)) & (np.abs(values) < 2.0**63))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"{describe(i)} has weight {values[i].item()!r}: METIS files store integer "
            "weights; round or scale the weights first"
        )
    return values.astype(np.int64)


def write_metis(graph, path, *, fmt=None, weight="weight", node_weight=None, node_sizes=None):
    """Write a graph in METIS format.

    Node ``i`` of the file is row ``i - 1`` of the graph (node labels are not
    stored: keep ``graph.nodes`` elsewhere if you need them).  Each node line
    lists the neighbours in the graph's row order, so reading the file back
    gives identical arrays.

    Parameters
    ----------
    graph : nx.Graph, scipy sparse, CSRGraph, ...
        Anything :func:`~klpart.convert.as_csr_graph` accepts.
    path : str, os.PathLike or file object
        Destination (overwritten), or an open text or binary file.
    fmt : str or int, optional
        The ``fmt`` code to write (``"1"``, ``"011"``, ``110`` ...).  By
        default the smallest code that represents the graph: no ``e`` flag
        when every edge weight is 1, no ``w`` flag when every node weight is
        1, no ``s`` flag when every node size is 1.
    weight, node_weight
        Passed to :func:`~klpart.convert.as_csr_graph` (edge weight attribute,
        node weight attribute or array).
    node_sizes : array_like of int, optional
        METIS node sizes; by default those of a :class:`MetisGraph`, else
        ones.

    Raises
    ------
    ValueError
        If a weight is not an integer (METIS stores integers), the graph has
        a self-loop (the message names the node), or ``fmt`` is invalid or
        lacks a flag for weights or sizes other than 1.

    See Also
    --------
    read_metis

    Examples
    --------
    >>> import io
    >>> import networkx as nx
    >>> from klpart.io import write_metis
    >>> G = nx.Graph([(0, 1, {"weight": 3}), (1, 2, {"weight": 1})])
    >>> out = io.StringIO()
    >>> write_metis(G, out)
    >>> print(out.getvalue(), end="")
    3 2 1
    2 3
    1 3 3 1
    2 1
    """
    from ..convert import as_csr_graph

    g = as_csr_graph(graph, weight=weight, node_weight=node_weight)
    n = g.num_nodes
    labels = g.labels()
    if g.loop_weights is not None and g.loop_weights.any():
        u = int(np.flatnonzero(g.loop_weights)[0])
        raise ValueError(
            f"node {labels[u]!r} has a self-loop: METIS graph files cannot store "
            "self-loops; remove them first"
        )
    indptr, indices = g.indptr, g.indices
    rows = np.repeat(np.arange(n), np.diff(indptr))
    edge_weights = _integer_weights(
        g.edge_weights, lambda p: f"edge ({labels[rows[p]]!r}, {labels[indices[p]]!r})"
    )
    node_weights = _integer_weights(g.node_weights, lambda i: f"node {labels[i]!r}")
    if node_sizes is None:
        node_sizes = getattr(graph, "node_sizes", None)
    sizes = _node_size_array(node_sizes, n)
    needed = (
        bool((sizes != 1).any()),
        bool((node_weights != 1).any()),
        bool((edge_weights != 1).any()),
    )
    if fmt is None:
        code = 100 * needed[0] + 10 * needed[1] + needed[2]
        text = str(code) if code else ""
    else:
        text = _fmt_text(fmt)
        have = _FMT_FLAGS[int(text or "0")]
        for flag, need, what in zip(have, needed, ("node sizes", "node weights", "edge weights")):
            if need and not flag:
                raise ValueError(
                    f"fmt={fmt!r} has no flag for {what}, but the graph has {what} other "
                    "than 1; use fmt=None (the smallest code that fits) or drop them"
                )
    s, w, e = _FMT_FLAGS[int(text or "0")]
    head = s + w
    degrees = np.diff(indptr)
    lengths = head + (1 + e) * degrees
    starts = np.zeros(n + 1, np.int64)
    np.cumsum(lengths, out=starts[1:])
    out = np.empty(int(starts[-1]), np.int64)
    if s:
        out[starts[:-1]] = sizes
    if w:
        out[starts[:-1] + s] = node_weights
    # position of entry p: its line's start + head + (1 + e) * (p - indptr[row])
    pos = np.repeat(starts[:-1] + head - (1 + e) * indptr[:-1], degrees) + (1 + e) * np.arange(
        indices.shape[0]
    )
    out[pos] = indices.astype(np.int64) + 1
    if e:
        out[pos + 1] = edge_weights
    words = list(map(str, out.tolist()))
    bounds = starts.tolist()
    body = [" ".join(words[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
    header = f"{n} {g.num_edges}" + (f" {text}" if text else "")
    write_text(path, "\n".join([header] + body) + "\n")
