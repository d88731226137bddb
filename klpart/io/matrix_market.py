"""Matrix Market files (``.mtx``, read and written through SciPy):
:func:`read_matrix_market` and :func:`write_matrix_market`.

References
----------
.. [1] R. F. Boisvert, R. Pozo, K. Remington, "The Matrix Market Exchange
   Formats: Initial Design", NIST Interim Report 5935, 1996.
"""

import numpy as np

from ._common import GraphFormatError, _display_name, _is_path

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

    from ..convert import from_scipy

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

    from ..convert import as_csr_graph

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
