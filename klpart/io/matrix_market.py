"""Matrix Market files (``.mtx``, read and written through SciPy):
:func:`read_matrix_market` and :func:`write_matrix_market`.

References
----------
.. [1] R. F. Boisvert, R. Pozo, K. Remington, "The Matrix Market Exchange
   Formats: Initial Design", NIST Interim Report 5935, 1996.
"""

import numpy as np

from ._common import GraphFormatError, is_path, read_bytes, split_lines

_FORMATS = ("coordinate", "array")
_FIELDS = ("real", "double", "integer", "pattern")
_SYMMETRIES = ("general", "symmetric")


def _screen(data, name):
    """GraphFormatError (file and line) unless ``data`` is a well-formed real
    or pattern Matrix Market file whose indices are in range: header, size
    line, entry count, token counts, numbers, no NUL bytes."""
    lines = split_lines(data)
    if not lines or not lines[0].lower().startswith(b"%%matrixmarket"):
        raise GraphFormatError("not a Matrix Market file: the first line must start with "
                               "'%%MatrixMarket'", name, 1)
    head = lines[0].lower().split()
    if len(head) != 5 or head[1] != b"matrix":
        raise GraphFormatError("the header must read '%%MatrixMarket matrix FORMAT FIELD "
                               "SYMMETRY'", name, 1)
    fmt, field, symmetry = (t.decode("ascii", "replace") for t in head[2:])
    if fmt not in _FORMATS:
        raise GraphFormatError(f"format {fmt!r} is not one of {', '.join(_FORMATS)}", name, 1)
    if field not in _FIELDS:
        raise GraphFormatError(
            f"the matrix has {field} entries; a graph needs real ones (real, integer or "
            "pattern)", name, 1)
    if symmetry not in _SYMMETRIES:
        raise GraphFormatError(
            f"symmetry {symmetry!r}: a graph needs a general or symmetric matrix", name, 1)
    body = [(i, line) for i, line in enumerate(lines[1:], 2)
            if line.strip() and not line.lstrip().startswith(b"%")]
    nul = data.find(b"\0")
    if nul >= 0:
        raise GraphFormatError("NUL byte in the file", name, data.count(b"\n", 0, nul) + 1)
    if not body:
        raise GraphFormatError("no size line", name, len(lines) + 1)
    size_line, size = body[0]
    want = 3 if fmt == "coordinate" else 2
    tokens = size.split()
    if len(tokens) != want or not all(t.isdigit() for t in tokens):
        raise GraphFormatError(
            f"the size line must hold {want} non-negative integers "
            f"({'rows columns entries' if want == 3 else 'rows columns'})", name, size_line)
    dims = [int(t) for t in tokens]
    if max(dims) > 2**31 - 2:
        raise GraphFormatError(f"sizes {dims} are too large (limit {2**31 - 2})", name, size_line)
    rows, cols = dims[0], dims[1]
    entries = body[1:]
    if fmt == "array":
        expected = rows * cols if symmetry == "general" else rows * (rows + 1) // 2
        width = 1
    else:
        expected = dims[2]
        width = 2 if field == "pattern" else 3
    if len(entries) != expected:
        where = entries[expected][0] if len(entries) > expected else len(lines) + 1
        raise GraphFormatError(
            f"the size line (line {size_line}) announces {expected} entries, the file has "
            f"{len(entries)}", name, where)
    for lineno, line in entries:
        parts = line.split()
        if len(parts) != width:
            raise GraphFormatError(
                f"expected {width} number{'s' if width > 1 else ''} per entry, found "
                f"{len(parts)}", name, lineno)
        if fmt == "coordinate":
            for t, limit, what in ((parts[0], rows, "row"), (parts[1], cols, "column")):
                if not t.isdigit() or not 1 <= int(t) <= limit:
                    raise GraphFormatError(
                        f"{what} index {t.decode('utf-8', 'replace')!r} is not in 1..{limit}",
                        name, lineno)
        if field == "integer":
            # SciPy truncates "1.5" in an integer file (and crashed on it at
            # the end of a file without a final newline)
            t = parts[-1]
            if not t.lstrip(b"+-").isdigit() or t[1:2] in (b"+", b"-"):
                raise GraphFormatError(
                    f"value {t.decode('utf-8', 'replace')!r} is not an integer (the header "
                    "says integer)", name, lineno)
        elif field != "pattern":
            t = parts[-1]
            try:
                float(t)
            except ValueError:
                raise GraphFormatError(
                    f"value {t.decode('utf-8', 'replace')!r} is not a number", name, lineno
                ) from None

__all__ = ["read_matrix_market", "write_matrix_market"]

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
        With the file and line: a malformed header or size line, a wrong
        entry count, an index out of range, a value that is not a number or
        a NUL byte (all screened before SciPy reads the file).  With the
        file: if SciPy cannot read it, or the matrix is not square, not
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

    from ..convert import from_scipy

    import io

    data, name = read_bytes(path)
    # SciPy's C reader crashes on some malformed files (an out-of-range index
    # in a pattern file, a NUL byte): screen everything before it sees it
    _screen(data, name)
    try:
        A = scipy.io.mmread(io.BytesIO(data), spmatrix=False)
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

    from ..convert import as_csr_graph

    g = as_csr_graph(graph)
    field = "real" if g.has_float_weights else "integer"
    if g.loop_weights is not None and g.loop_weights.dtype.kind == "f":
        field = "real"
    A = g.to_scipy()
    if field == "real":
        A = A.astype(np.float64)
    if is_path(path):
        with open(path, "wb") as f:
            scipy.io.mmwrite(f, A, field=field, symmetry="symmetric")
    else:
        scipy.io.mmwrite(path, A, field=field, symmetry="symmetric")
