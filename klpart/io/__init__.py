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
* any of them, chosen by extension: :func:`read_graph` (:func:`detect_format`
  names the reader it would use).

The code lives in one submodule per format (``klpart.io.metis``,
``klpart.io.partition_files``, ``klpart.io.edgelist``,
``klpart.io.matrix_market``, shared helpers in ``klpart.io._common``); every
public name is importable from ``klpart.io`` itself, which is where to import
it.

References
----------
.. [1] G. Karypis, "METIS: A Software Package for Partitioning Unstructured
   Graphs, Partitioning Meshes, and Computing Fill-Reducing Orderings of
   Sparse Matrices, Version 5.1.0", University of Minnesota, 2013 (section
   "File formats": the graph file and the partition file).
.. [2] R. F. Boisvert, R. Pozo, K. Remington, "The Matrix Market Exchange
   Formats: Initial Design", NIST Interim Report 5935, 1996.
"""

import os

from ._common import GraphFormatError, display_name
from .edgelist import read_edgelist, write_edgelist
from .matrix_market import read_matrix_market, write_matrix_market
from .metis import MetisGraph, read_metis, write_metis
from .partition_files import read_partition, write_partition

__all__ = [
    "GraphFormatError",
    "MetisGraph",
    "read_graph",
    "detect_format",
    "read_metis",
    "write_metis",
    "read_partition",
    "write_partition",
    "read_edgelist",
    "write_edgelist",
    "read_matrix_market",
    "write_matrix_market",
]

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
    return _READERS[detect_format(path, format)](path, **kwargs)


def detect_format(path, format=None):
    """The reader :func:`read_graph` would use for ``path``.

    The command line reports it as the detected format; a program can use it
    to decide before reading (or to name the format in a message).

    Parameters
    ----------
    path : str, os.PathLike or file object
        Only the name matters: the file is not opened.  A file object's
        ``name`` attribute is used (``"<stream>"`` without one).
    format : str, optional
        A format name or alias as :func:`read_graph` takes it; when given,
        it alone decides (case-insensitive).

    Returns
    -------
    str
        ``"metis"``, ``"mtx"`` or ``"edgelist"``.

    Raises
    ------
    ValueError
        For an unknown ``format``, or an extension no reader claims (the
        message lists the known ones).

    See Also
    --------
    read_graph

    Examples
    --------
    >>> from klpart.io import detect_format
    >>> detect_format("meshes/4elt.graph"), detect_format("a.MTX"), detect_format("x.txt")
    ('metis', 'mtx', 'edgelist')
    >>> detect_format("data.bin", format="Matrix-Market")
    'mtx'
    """
    if format is not None:
        key = _FORMAT_NAMES.get(str(format).lower())
        if key is None:
            raise ValueError(f"unknown graph format {format!r}; known formats: {_KNOWN}")
        return key
    name = display_name(path)
    ext = os.path.splitext(name)[1].lower()
    key = _EXTENSIONS.get(ext)
    if key is None:
        raise ValueError(
            f"cannot tell the format of {name!r} from its extension {ext or '(none)'!r}; "
            f"pass format= one of {_KNOWN}"
        )
    return key
