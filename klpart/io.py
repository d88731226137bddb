"""Graph and partition files: METIS, edge lists, Matrix Market.

Readers return a :class:`~klpart.graph.CSRGraph` (for METIS files the
subclass :class:`MetisGraph`, which also carries the node sizes), so their
result goes straight into any klpart function or back to NetworkX with
``g.to_networkx()``.  Writers accept anything
:func:`~klpart.convert.as_csr_graph` accepts.

Every reader takes a path (``str`` or ``os.PathLike``) or an open file object
(text or binary).  A malformed file raises :class:`GraphFormatError`, a
``ValueError`` whose message starts with ``file:line:`` like a compiler's
(``<stream>`` stands for a file object without a name); a missing file raises
the standard ``FileNotFoundError``.

* METIS graph files (``.graph``): :func:`read_metis`, :func:`write_metis`;
* METIS partition files (``GRAPH.part.K``): :func:`read_partition`,
  :func:`write_partition`;
* edge lists: :func:`read_edgelist`, :func:`write_edgelist`;
* Matrix Market (``.mtx``, through SciPy): :func:`read_matrix_market`,
  :func:`write_matrix_market`;
* any of them, chosen by extension: :func:`read_graph`.

References
----------
.. [1] G. Karypis, "METIS: A Software Package for Partitioning Unstructured
   Graphs, Partitioning Meshes, and Computing Fill-Reducing Orderings of
   Sparse Matrices, Version 5.1.0", University of Minnesota, 2013 (section
   "File formats": the graph file and the partition file).
.. [2] R. F. Boisvert, R. Pozo, K. Remington, "The Matrix Market Exchange
   Formats: Initial Design", NIST Interim Report 5935, 1996.
"""

import io
import math
import os

import numpy as np

from .graph import INDEX_DTYPE, POINTER_DTYPE, CSRGraph

__all__ = [
    "GraphFormatError",
    "MetisGraph",
    "read_graph",
    "read_metis",
    "write_metis",
    "read_partition",
    "write_partition",
    "read_edgelist",
    "write_edgelist",
    "read_matrix_market",
    "write_matrix_market",
]

_INT64_MAX = int(np.iinfo(np.int64).max)
# node ids are int32 and CSRGraph refuses n >= 2**31 - 1
_MAX_NODES = int(np.iinfo(INDEX_DTYPE).max) - 1
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
_PERCENT = ord("%")
_HASH = ord("#")


class GraphFormatError(ValueError):
    """A graph or partition file does not follow its format.

    The message reads ``"file:line: reason"`` (``"file: reason"`` when no
    single line is at fault).

    Parameters
    ----------
    reason : str
        What is wrong.
    filename : str, optional
        The file's name as given by the caller (``<stream>`` for an unnamed
        file object).
    line : int, optional
        1-based line number.

    Attributes
    ----------
    reason, filename, line
        The parameters, for programs that report errors their own way.

    Examples
    --------
    >>> import io
    >>> from klpart.io import GraphFormatError, read_metis
    >>> try:
    ...     read_metis(io.StringIO("2 1\\n2\\n3\\n"))
    ... except GraphFormatError as exc:
    ...     print(exc)
    <stream>:3: node 2: neighbour id 3 is out of range 1..2
    """

    def __init__(self, reason, filename=None, line=None):
        self.reason = reason
        self.filename = filename
        self.line = line
        if filename is None:
            message = reason
        elif line is None:
            message = f"{filename}: {reason}"
        else:
            message = f"{filename}:{line}: {reason}"
        super().__init__(message)

    def __reduce__(self):
        return (type(self), (self.reason, self.filename, self.line))


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
    if sizes.dtype.kind not in "biu":
        raise TypeError(f"node_sizes must be integers, got dtype {sizes.dtype}")
    if sizes.shape != (n,):
        raise ValueError(f"node_sizes has shape {sizes.shape}, expected ({n},)")
    sizes = sizes.astype(np.int64)
    if sizes.size and sizes.min() < 0:
        i = int(np.flatnonzero(sizes < 0)[0])
        raise ValueError(f"node_sizes[{i}] = {sizes[i]} is negative")
    return sizes


# --------------------------------------------------------------------------
# files and streams
# --------------------------------------------------------------------------
def _is_path(source):
    return isinstance(source, (str, bytes, os.PathLike))


def _display_name(source):
    if _is_path(source):
        return os.fsdecode(os.fspath(source))
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


def _read_bytes(source):
    """``(contents, name)`` of a path or an open text or binary file."""
    if _is_path(source):
        with open(source, "rb") as f:
            data = f.read()
    elif hasattr(source, "read"):
        data = source.read()
        if isinstance(data, str):
            # lone surrogates cannot be numbers anyway; keep them as bytes
            data = data.encode("utf-8", "surrogatepass")
        elif isinstance(data, (bytes, bytearray, memoryview)):
            data = bytes(data)
        else:
            raise TypeError(f"read() of {type(source).__name__} returned {type(data).__name__}")
    else:
        raise TypeError(
            "expected a file path (str or os.PathLike) or an open file, "
            f"got {type(source).__name__}"
        )
    if data.startswith(b"\xef\xbb\xbf"):  # a UTF-8 byte order mark, as some editors write
        data = data[3:]
    return data, _display_name(source)


def _write_text(target, text):
    """Write ``text`` to a path (UTF-8, ``\\n`` newlines) or an open file."""
    if _is_path(target):
        with open(target, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    elif hasattr(target, "write"):
        if isinstance(target, io.TextIOBase):
            target.write(text)
        elif isinstance(target, (io.RawIOBase, io.BufferedIOBase)):
            target.write(text.encode("utf-8"))
        else:
            try:  # an unknown file-like object: text first, as most are
                target.write(text)
            except TypeError:
                target.write(text.encode("utf-8"))
    else:
        raise TypeError(
            "expected a file path (str or os.PathLike) or an open file, "
            f"got {type(target).__name__}"
        )


def _split_lines(data):
    """Lines of ``data`` split at ``\\n`` only; a final newline ends the last
    line rather than starting an empty one (as the kernel counts them)."""
    lines = data.split(b"\n")
    if lines[-1] == b"":
        lines.pop()
    return lines


def _show(token, limit=24):
    """A token as it appears in the file, quoted and shortened."""
    text = token.decode("utf-8", "replace") if isinstance(token, bytes) else str(token)
    if len(text) > limit:
        text = text[:limit] + "..."
    return repr(text)


def _int_token(token, what, name, line, limit=_INT64_MAX):
    """The non-negative decimal integer ``token`` (bytes), or a
    GraphFormatError naming ``what``."""
    if token.isdigit():  # bytes.isdigit: ASCII digits only
        value = int(token)
        if limit is not None and value > limit:
            raise GraphFormatError(
                f"{what} {_show(token)} is too large (limit {limit})", name, line
            )
        return value
    if token[:1] == b"-" and token[1:].isdigit():
        raise GraphFormatError(f"{what} {_show(token)} is negative", name, line)
    raise GraphFormatError(f"{what} {_show(token)} is not a non-negative integer", name, line)


# --------------------------------------------------------------------------
# METIS graph files
# --------------------------------------------------------------------------
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
    data, name = _read_bytes(path)
    graph = _parse_metis_fast(data)
    if graph is None:
        # the fast path found something odd: the reference parser explains it
        # with a line number (or, for a rare valid file the fast path does not
        # handle, such as one with 19-digit weights, reads it)
        graph = _parse_metis_slow(data, name)
    return graph


def _parse_metis_fast(data):
    """Vectorised METIS parser: a MetisGraph, or None whenever the file is
    invalid (or unusual), leaving the explanation to the slow parser."""
    from ._kernels.csr import first_asymmetric_entry, first_unsorted_row
    from ._kernels.io import scan_integer_lines

    values, counts, bad = scan_integer_lines(np.frombuffer(data, np.uint8), _PERCENT, -1)
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
    lines = _split_lines(data)
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
    numbers = [_int_token(t, f"header: {f}", name, hl, None) for t, f in zip(tokens, fields)]
    n, m = numbers[0], numbers[1]
    fmt = numbers[2] if len(numbers) > 2 else 0
    fmt_text = tokens[2].decode() if len(tokens) > 2 else "0"
    if fmt not in _FMT_FLAGS:
        raise GraphFormatError(
            f"header: fmt {_show(tokens[2])} is not a METIS format code: expected up to "
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
            sizes.append(_int_token(tokens[0], f"node {u}: size", name, lineno))
        if w:
            weights.append(_int_token(tokens[s], f"node {u}: weight", name, lineno))
        row = {}
        for j in range(head, k, step):
            v = _int_token(tokens[j], f"node {u}: neighbour id", name, lineno, None)
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
                _int_token(tokens[j + 1], f"node {u}: weight of edge to {v}", name, lineno)
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
    from .convert import as_csr_graph

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
    _write_text(path, "\n".join([header] + body) + "\n")


# --------------------------------------------------------------------------
# partition files
# --------------------------------------------------------------------------
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
        not a non-negative integer, or a count other than ``n``.
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
    data, name = _read_bytes(path)
    from ._kernels.io import scan_integer_lines

    values, counts, bad = scan_integer_lines(np.frombuffer(data, np.uint8), _PERCENT, _HASH)
    if bad < 0 and ((counts == 1) | (counts == -1)).all() and (n is None or values.shape[0] == n):
        return values.copy()
    return _parse_partition_slow(data, name, n)


def _parse_partition_slow(data, name, n):
    lines = _split_lines(data)
    labels = []
    for lineno, line in enumerate(lines, 1):
        tokens = line.split()
        if tokens and tokens[0][:1] in (b"%", b"#"):
            continue
        if len(tokens) != 1:
            what = "a blank line" if not tokens else f"{len(tokens)} tokens"
            raise GraphFormatError(f"expected one block id per line, found {what}", name, lineno)
        if n is not None and len(labels) == n:
            raise GraphFormatError(f"more block ids than the {n} nodes expected", name, lineno)
        labels.append(_int_token(tokens[0], f"block id of node {len(labels)}", name, lineno))
    if n is not None and len(labels) != n:
        raise GraphFormatError(
            f"expected {n} block ids (one per node), the file ends after {len(labels)}",
            name,
            len(lines) + 1,
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
        For negative or non-integer ids, ids >= ``k``, or both ``path`` and
        ``graph_path`` given.
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
        path = f"{os.fsdecode(os.fspath(graph_path))}.part.{blocks}"
    elif graph_path is not None:
        raise ValueError("pass either path or graph_path, not both")
    _write_text(path, "".join(f"{x}\n" for x in arr.tolist()))
    return path


# --------------------------------------------------------------------------
# edge lists
# --------------------------------------------------------------------------
_DUPLICATES = ("sum", "last", "error")


def read_edgelist(path, *, weighted=None, comments="#", delimiter=None, nodetype=None,
                  duplicates="sum"):
    """Read an edge list: one edge ``u v`` or ``u v weight`` per line.

    Parameters
    ----------
    path : str, os.PathLike or file object
        A UTF-8 text file, or an open file.
    weighted : bool or None, default None
        True: every line has a weight column; False: unit weights (a weight
        column, if any, is ignored); None: weighted exactly when the lines
        have three fields (all lines must agree).
    comments : str or None, default "#"
        Everything from this string to the end of the line is ignored; None
        for no comments.  Blank lines are skipped.
    delimiter : str, optional
        Field separator; by default any run of whitespace.  With a delimiter,
        fields are stripped of surrounding whitespace.
    nodetype : callable, optional
        Converts each node label (a ``str`` by default), e.g. ``int``.
    duplicates : {"sum", "last", "error"}, default "sum"
        What a repeated edge (in either direction) means.  ``"sum"``: parallel
        edges whose weights add up, as klpart treats a ``nx.MultiGraph`` and
        SciPy a COO matrix; ``"last"``: the last line wins, as in
        ``nx.read_edgelist``; ``"error"``: raise.  A file that lists every
        edge in both directions wants ``"last"``.

    Returns
    -------
    CSRGraph
        Labelled by the (converted) node labels in order of first appearance;
        each row lists neighbours in the order the edges appear.  Weights are
        int64 when all are integers, else float64.  Self-loops go to
        ``loop_weights``.  Nodes without edges cannot appear in an edge list.

    Raises
    ------
    GraphFormatError
        For a line without two or three fields, a mix of weighted and
        unweighted lines (``weighted=None``), a weight that is not a finite
        non-negative number, a label ``nodetype`` rejects, a duplicate edge
        (``duplicates="error"``) or bytes that are not UTF-8.

    See Also
    --------
    write_edgelist, networkx.read_edgelist

    Examples
    --------
    >>> import io
    >>> from klpart.io import read_edgelist
    >>> g = read_edgelist(io.StringIO("# a path\\na b 2\\nb c 5\\n"))
    >>> g.nodes, g.edge_weights.tolist()
    (['a', 'b', 'c'], [2, 2, 5, 5])
    >>> g = read_edgelist(io.StringIO("1 2\\n2 3\\n"), nodetype=int)
    >>> g.nodes, g.num_edges
    ([1, 2, 3], 2)
    """
    if weighted not in (None, True, False):
        raise ValueError(f"weighted must be None, True or False, got {weighted!r}")
    if duplicates not in _DUPLICATES:
        raise ValueError(f"duplicates must be one of {_DUPLICATES}, got {duplicates!r}")
    data, name = _read_bytes(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise GraphFormatError(f"not UTF-8 text ({exc.reason})", name, line) from None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()

    index = {}  # label -> row
    labels = []
    edges = {}  # (row, row) with the smaller first -> [weight, line of first listing]
    mode = weighted  # None until the first line tells
    first_line = None
    for lineno, line in enumerate(lines, 1):
        if comments:
            cut = line.find(comments)
            if cut >= 0:
                line = line[:cut]
        if not line.strip():
            continue
        if delimiter is None:
            fields = line.split()
        else:
            fields = [f.strip() for f in line.split(delimiter)]
        k = len(fields)
        if k not in (2, 3):
            raise GraphFormatError(
                f"expected 'u v' or 'u v weight', found {k} field{'s' if k != 1 else ''}",
                name,
                lineno,
            )
        if mode is None:
            mode, first_line = k == 3, lineno
        elif weighted is None and (k == 3) != mode:
            raise GraphFormatError(
                f"{k} fields here but {5 - k} on line {first_line}: the weight column must "
                "be on every line or on none (or pass weighted=)",
                name,
                lineno,
            )
        elif weighted and k == 2:
            raise GraphFormatError("missing weight (weighted=True)", name, lineno)
        ends = []
        for label in fields[:2]:
            if not label:
                raise GraphFormatError("empty node label", name, lineno)
            if nodetype is not None:
                try:
                    label = nodetype(label)
                except (TypeError, ValueError) as exc:
                    raise GraphFormatError(
                        f"cannot convert node label {label!r} with "
                        f"{getattr(nodetype, '__name__', repr(nodetype))}: {exc}",
                        name,
                        lineno,
                    ) from None
            row = index.get(label)
            if row is None:
                row = index[label] = len(labels)
                labels.append(label)
            ends.append(row)
        weight = _edge_weight(fields[2], name, lineno) if mode and k == 3 else 1
        key = (ends[0], ends[1]) if ends[0] <= ends[1] else (ends[1], ends[0])
        seen = edges.get(key)
        if seen is None:
            edges[key] = [weight, lineno]
        elif duplicates == "sum":
            seen[0] += weight
        elif duplicates == "last":
            seen[0] = weight
        else:
            raise GraphFormatError(
                f"duplicate edge {labels[key[0]]!r} - {labels[key[1]]!r}, first listed on "
                f"line {seen[1]} (pass duplicates='sum' or 'last' to accept it)",
                name,
                lineno,
            )
    return _graph_from_edges(labels, edges)


def _edge_weight(token, name, line):
    try:
        value = int(token)
    except ValueError:
        try:
            value = float(token)
        except ValueError:
            raise GraphFormatError(f"weight {token!r} is not a number", name, line) from None
        if not math.isfinite(value):
            raise GraphFormatError(f"weight {token!r} is not finite", name, line)
    if value < 0:
        raise GraphFormatError(f"weight {token!r} is negative", name, line)
    return value


def _graph_from_edges(labels, edges):
    """CSRGraph from ``{(a, b): [weight, line]}`` with ``a <= b`` (rows)."""
    from .convert import _integral_or_float

    m = len(edges)
    ends = np.array(list(edges), np.int64).reshape(m, 2)
    raw = [value[0] for value in edges.values()]
    if all(type(x) is int for x in raw) and (not raw or max(raw) <= _INT64_MAX):
        weights = np.array(raw, np.int64)
    else:
        weights = _integral_or_float(np.array(raw, np.float64))
    n = len(labels)
    loop = ends[:, 0] == ends[:, 1]
    loops = None
    if loop.any():
        loops = np.zeros(n, weights.dtype)
        np.add.at(loops, ends[loop, 0], weights[loop])
        ends, weights = ends[~loop], weights[~loop]
    # both directions of edge i at 2i and 2i + 1; a stable sort by row then
    # lists each row's neighbours in the order the edges appear (as NetworkX)
    src = ends.reshape(-1)
    dst = ends[:, ::-1].reshape(-1)
    order = np.argsort(src, kind="stable")
    indptr = np.zeros(n + 1, POINTER_DTYPE)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return CSRGraph(
        indptr,
        dst[order].astype(INDEX_DTYPE),
        np.repeat(weights, 2)[order],
        loop_weights=loops,
        nodes=labels,
        validate=False,
    )


def write_edgelist(graph, path, *, weight=True):
    """Write a graph as an edge list, one ``u v [weight]`` line per edge.

    Each undirected edge is written once, from the endpoint that comes first
    in row order; self-loops as ``u u [weight]``.  Nodes without edges are
    not written (an edge list cannot represent them), labels are written
    with ``str`` (read them back with ``nodetype``).

    Parameters
    ----------
    graph : nx.Graph, scipy sparse, CSRGraph, ...
        Anything :func:`~klpart.convert.as_csr_graph` accepts.
    path : str, os.PathLike or file object
    weight : bool, default True
        Write the weight column.

    Raises
    ------
    ValueError
        If a node label is empty or contains whitespace or ``#``, which would
        not read back.

    Examples
    --------
    >>> import io
    >>> import networkx as nx
    >>> from klpart.io import write_edgelist
    >>> out = io.StringIO()
    >>> write_edgelist(nx.Graph([("a", "b", {"weight": 2.5})]), out)
    >>> print(out.getvalue(), end="")
    a b 2.5
    """
    from .convert import as_csr_graph

    g = as_csr_graph(graph)
    words = [str(u) for u in g.labels()]
    for label, word in zip(g.labels(), words):
        if not word or "#" in word or len(word.split()) != 1 or word.strip() != word:
            raise ValueError(
                f"node {label!r} cannot be written to an edge list: its label is empty or "
                "contains whitespace or '#'"
            )
    n = g.num_nodes
    src = np.repeat(np.arange(n), np.diff(g.indptr))
    keep = src < g.indices
    us, vs = src[keep], g.indices[keep].astype(np.int64)
    ws = g.edge_weights[keep]
    if g.loop_weights is not None and g.loop_weights.any():
        nodes = np.flatnonzero(g.loop_weights)
        # a loop goes after the edges of rows up to its own
        at = np.searchsorted(us, nodes, side="right")
        us, vs = np.insert(us, at, nodes), np.insert(vs, at, nodes)
        ws = np.insert(ws, at, g.loop_weights[nodes])
    if weight:
        lines = [
            f"{words[u]} {words[v]} {x!r}"
            for u, v, x in zip(us.tolist(), vs.tolist(), ws.tolist())
        ]
    else:
        lines = [f"{words[u]} {words[v]}" for u, v in zip(us.tolist(), vs.tolist())]
    _write_text(path, "".join(line + "\n" for line in lines))


# --------------------------------------------------------------------------
# Matrix Market
# --------------------------------------------------------------------------
def read_matrix_market(path, *, weighted=True):
    """Read a square symmetric Matrix Market matrix as a graph (via SciPy).

    Entry (i, j) becomes an edge of that weight, explicit zeros are dropped
    and the diagonal becomes ``loop_weights``.  Both ``symmetric`` files
    (lower triangle stored) and ``general`` files holding a symmetric matrix
    are accepted; ``pattern`` files give unit weights.

    Parameters
    ----------
    path : str, os.PathLike or file object
    weighted : bool, default True
        False keeps only the structure (unit weights): use it for matrices
        with negative entries, such as stiffness matrices, whose structure is
        the graph.

    Returns
    -------
    CSRGraph

    Raises
    ------
    GraphFormatError
        If SciPy cannot read the file, or the matrix is not square, not
        symmetric (in values, or in structure with ``weighted=False``), or
        has negative, complex or non-finite entries.
    FileNotFoundError
        If ``path`` does not exist.

    Examples
    --------
    >>> import io
    >>> from klpart.io import read_matrix_market
    >>> text = '''%%MatrixMarket matrix coordinate integer symmetric
    ... 3 3 2
    ... 2 1 4
    ... 3 2 1
    ... '''
    >>> g = read_matrix_market(io.StringIO(text))
    >>> g.num_nodes, g.edge_weights.tolist()
    (3, [4, 4, 1, 1])
    """
    import scipy.io
    import scipy.sparse as sp

    from .convert import from_scipy

    name = _display_name(path)
    try:
        A = scipy.io.mmread(path, spmatrix=False)
    except OSError:
        raise
    except Exception as exc:  # SciPy's parser raises several types for bad input
        raise GraphFormatError(f"cannot read the Matrix Market file: {exc}", name) from exc
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise GraphFormatError(
            f"the matrix has shape {A.shape}; a graph needs a square symmetric matrix", name
        )
    if A.dtype.kind not in "biuf":
        raise GraphFormatError(f"the matrix has {A.dtype} entries; a graph needs real ones", name)
    B = sp.csr_array(A)
    if not weighted:
        B.sum_duplicates()
        B.eliminate_zeros()
        B.data = np.ones(B.data.shape[0], np.int64)
    try:
        return from_scipy(B)
    except ValueError as exc:
        hint = (
            "; pass weighted=False to read the structure only"
            if weighted and "non-negative" in str(exc)
            else ""
        )
        raise GraphFormatError(f"{exc}{hint}", name) from None


def write_matrix_market(graph, path):
    """Write a graph's weighted adjacency as a symmetric Matrix Market file.

    The lower triangle is stored (``symmetric``), with ``integer`` entries for
    integer weights and ``real`` ones otherwise; self-loops go on the
    diagonal.  Node labels and node weights are not stored.

    Parameters
    ----------
    graph : nx.Graph, scipy sparse, CSRGraph, ...
        Anything :func:`~klpart.convert.as_csr_graph` accepts.
    path : str, os.PathLike or file object
        Destination, written as given (SciPy would append ``.mtx`` to a name
        without it).

    Examples
    --------
    >>> import io
    >>> import networkx as nx
    >>> from klpart.io import read_matrix_market, write_matrix_market
    >>> out = io.BytesIO()
    >>> write_matrix_market(nx.path_graph(3), out)
    >>> _ = out.seek(0)
    >>> read_matrix_market(out).num_edges
    2
    """
    import scipy.io

    from .convert import as_csr_graph

    g = as_csr_graph(graph)
    field = "real" if g.has_float_weights else "integer"
    if g.loop_weights is not None and g.loop_weights.dtype.kind == "f":
        field = "real"
    A = g.to_scipy()
    if field == "real":
        A = A.astype(np.float64)
    if _is_path(path):
        with open(path, "wb") as f:
            scipy.io.mmwrite(f, A, field=field, symmetry="symmetric")
    else:
        scipy.io.mmwrite(path, A, field=field, symmetry="symmetric")


# --------------------------------------------------------------------------
# any format
# --------------------------------------------------------------------------
_READERS = {"metis": read_metis, "mtx": read_matrix_market, "edgelist": read_edgelist}
_FORMAT_NAMES = {
    "metis": "metis",
    "graph": "metis",
    "mtx": "mtx",
    "mm": "mtx",
    "matrixmarket": "mtx",
    "matrix-market": "mtx",
    "edgelist": "edgelist",
    "edges": "edgelist",
    "el": "edgelist",
    "txt": "edgelist",
}
_EXTENSIONS = {
    ".graph": "metis",
    ".metis": "metis",
    ".mtx": "mtx",
    ".edgelist": "edgelist",
    ".edges": "edgelist",
    ".txt": "edgelist",
    ".el": "edgelist",
}
_KNOWN = (
    "'metis' (.graph, .metis), 'mtx' (.mtx, Matrix Market), "
    "'edgelist' (.edgelist, .edges, .txt, .el)"
)


def read_graph(path, format=None, **kwargs):
    """Read a graph file, choosing the reader from the extension.

    Parameters
    ----------
    path : str, os.PathLike or file object
    format : str, optional
        ``"metis"``, ``"mtx"`` (Matrix Market) or ``"edgelist"`` (aliases
        ``"graph"``, ``"mm"``, ``"matrixmarket"``, ``"edges"``, ``"el"``,
        ``"txt"``); overrides the extension.  Required for a file object
        without a name.
    **kwargs
        Passed to the reader (e.g. ``nodetype=int`` for an edge list).

    Returns
    -------
    CSRGraph

    Raises
    ------
    ValueError
        For an unknown ``format`` or extension (the message lists the known
        ones).
    GraphFormatError, FileNotFoundError
        From the reader.

    See Also
    --------
    read_metis, read_matrix_market, read_edgelist

    Examples
    --------
    >>> import os, tempfile
    >>> import networkx as nx
    >>> from klpart.io import read_graph, write_metis
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_metis(nx.cycle_graph(5), os.path.join(tmp, "c5.graph"))
    ...     g = read_graph(os.path.join(tmp, "c5.graph"))
    >>> g.num_nodes, g.num_edges
    (5, 5)
    """
    if format is not None:
        key = _FORMAT_NAMES.get(str(format).lower())
        if key is None:
            raise ValueError(f"unknown graph format {format!r}; known formats: {_KNOWN}")
    else:
        name = _display_name(path)
        ext = os.path.splitext(name)[1].lower()
        key = _EXTENSIONS.get(ext)
        if key is None:
            raise ValueError(
                f"cannot tell the format of {name!r} from its extension {ext or '(none)'!r}; "
                f"pass format= one of {_KNOWN}"
            )
    return _READERS[key](path, **kwargs)
