"""Edge lists, one ``u v [weight]`` line per edge: :func:`read_edgelist`
and :func:`write_edgelist`."""

import math

import numpy as np

from ..graph import INDEX_DTYPE, POINTER_DTYPE, CSRGraph
from ._common import INT64_MAX, GraphFormatError, read_bytes, write_text

__all__ = ["read_edgelist", "write_edgelist"]

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
        non-negative number (an integer weight must fit in int64, and so must
        the sum of a repeated edge's integer weights; a float sum must stay
        finite), a label ``nodetype`` rejects, a duplicate edge
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
    data, name = read_bytes(path)
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
            total = seen[0] + weight
            if total > INT64_MAX if type(total) is int else not math.isfinite(total):
                raise GraphFormatError(
                    f"the weights of edge {labels[key[0]]!r} - {labels[key[1]]!r} (first listed "
                    f"on line {seen[1]}) add up to {total!r}, past the "
                    + ("64-bit integer range" if type(total) is int else "float range"),
                    name,
                    lineno,
                )
            seen[0] = total
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
    if type(value) is int and value > INT64_MAX:
        raise GraphFormatError(f"weight {token!r} does not fit in a 64-bit integer", name, line)
    return value


def _graph_from_edges(labels, edges):
    """CSRGraph from ``{(a, b): [weight, line]}`` with ``a <= b`` (rows)."""
    from ..convert import integral_or_float

    m = len(edges)
    ends = np.array(list(edges), np.int64).reshape(m, 2)
    raw = [value[0] for value in edges.values()]
    if all(type(x) is int for x in raw) and (not raw or max(raw) <= INT64_MAX):
        weights = np.array(raw, np.int64)
    else:
        weights = integral_or_float(np.array(raw, np.float64))
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
    from ..convert import as_csr_graph

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
    write_text(path, "".join(line + "\n" for line in lines))
