"""pymetis's API over klpart's engine: ``from klpart.compat import pymetis``.

Mirrors pymetis 2025.x (``part_graph``, ``part_mesh``, ``nested_dissection``,
``CSRAdjacency``, ``Options``, ``GraphPartition``, ``MeshPartition``,
``zero_copy_dtype``, the option enums, ``verify_nd``) so code written for
pymetis runs unchanged.  Return types match pymetis: partitions are
``array.array('q')`` (plain lists for the trivial one-part case, as pymetis
does), orderings a ``(perm, iperm)`` tuple of ``array.array('q')``.

Options are honoured or refused, never silently ignored:

* honoured: ``seed`` (default 0: deterministic, like METIS), ``ufactor``
  (imbalance ``ufactor / 1000``; defaults 1 for recursive bisection, 30 for
  k-way, 200 for orderings, as METIS; 5 for meshes, see :func:`part_mesh`), ``ncuts`` (best of that many runs),
  ``nseps`` (separators tried per dissection step), ``niter`` (FM passes per
  level), ``no2hop`` (no two-hop matching), ``contig`` (pieces of a block
  that are not its largest connected piece move to the adjacent block they
  are most connected to), ``compress`` and ``pfactor`` (orderings),
  ``ccorder`` (components are always ordered separately),
  ``numbering`` (0 or -1), ``ptype``/``rtype``/``iptype``/``ctype`` values
  that klpart's engine implements (recursive bisection or k-way; FM / 2-sided
  node FM; grown initial partitions; heavy-edge matching);
* refused with ``ValueError`` naming the option: ``objtype=VOL`` or
  ``NODE``, ``minconn=1``, ``ctype=RM``, ``iptype=RANDOM``/``EDGE``/``NODE``/
  ``METISRB``, ``rtype=SEP1SIDED``, ``dbglvl`` other than 0/-1, ``niter < 1``,
  ``ncuts < 1``, ``nseps < 1``.

Errors follow pymetis: ``TypeError`` for conflicting graph inputs and
non-integer option values, ``ValueError`` for ``numbering`` and negative
target weights, ``RuntimeError`` for a ``tpwgts`` length mismatch; with
``warn_on_copies=True`` a ``BytesWarning`` says that an input array had to be
converted (arrays of :func:`zero_copy_dtype`, int64, are used as they are).
"""

import array
import math
import warnings
from dataclasses import dataclass
from enum import IntEnum
from typing import NamedTuple

import numpy as np

__all__ = [
    "CType",
    "DebugLevel",
    "GType",
    "GraphPartition",
    "IPType",
    "MeshPartition",
    "OPType",
    "ObjType",
    "OptionKey",
    "Options",
    "PType",
    "RType",
    "Status",
    "CSRAdjacency",
    "nested_dissection",
    "part_graph",
    "part_mesh",
    "verify_nd",
    "version",
    "version_tuple",
    "zero_copy_dtype",
]

version = "2025.2.2+klpart"
version_tuple = (2025, 2, 2)


class OptionKey(IntEnum):
    """Positions of the METIS options."""

    PTYPE = 0
    OBJTYPE = 1
    CTYPE = 2
    IPTYPE = 3
    RTYPE = 4
    DBGLVL = 5
    NITER = 6
    NCUTS = 7
    SEED = 8
    NO2HOP = 9
    MINCONN = 10
    CONTIG = 11
    COMPRESS = 12
    CCORDER = 13
    PFACTOR = 14
    NSEPS = 15
    UFACTOR = 16
    NUMBERING = 17
    HELP = 18
    TPWGTS = 19
    NCOMMON = 20
    NOOUTPUT = 21
    BALANCE = 22
    GTYPE = 23
    UBVEC = 24


def _numbered(name, doc, members):
    """An IntEnum of METIS constants numbered 0, 1, ... in the order of ``members``."""
    enum = IntEnum(name, members.split(), start=0, module=__name__, qualname=name)
    enum.__doc__ = doc
    return enum


# the METIS enums whose values count up from 0, members in metis.h order
OPType = _numbered("OPType", "METIS operation types.", "PMETIS KMETIS OMETIS")
PType = _numbered("PType", "Partitioning schemes.", "RB KWAY")
GType = _numbered("GType", "Mesh graph types.", "DUAL NODAL")
CType = _numbered("CType", "Coarsening schemes.", "RM SHEM")
IPType = _numbered("IPType", "Initial partitioning schemes.", "GROW RANDOM EDGE NODE METISRB")
RType = _numbered("RType", "Refinement schemes.", "FM GREEDY SEP2SIDED SEP1SIDED")
ObjType = _numbered("ObjType", "Objectives.", "CUT VOL NODE")


class DebugLevel(IntEnum):
    """Debug levels (klpart prints nothing: only 0 / -1 are accepted)."""

    INFO = 1
    TIME = 2
    COARSEN = 4
    REFINE = 8
    IPART = 16
    MOVEINFO = 32
    SEPINFO = 64
    CONNINFO = 128
    CONTIGINFO = 256
    MEMORY = 2048


class Status(IntEnum):
    """METIS return codes."""

    OK = 1
    ERROR_INPUT = -2
    ERROR_MEMORY = -3
    ERROR = -4


class GraphPartition(NamedTuple):
    """``(edge_cuts, vertex_part)`` of :func:`part_graph`."""

    edge_cuts: int
    vertex_part: object


class MeshPartition(NamedTuple):
    """``(edge_cuts, element_part, vertex_part)`` of :func:`part_mesh`."""

    edge_cuts: int
    element_part: object
    vertex_part: object


class Options:
    """METIS options; every field is -1 (METIS's default) until set.

    Fields are the lower-case names of :class:`OptionKey`; unknown names
    raise ``AttributeError`` and non-integer values ``TypeError``, as in
    pymetis.

    Examples
    --------
    >>> from klpart.compat import pymetis
    >>> opt = pymetis.Options(seed=3, ufactor=50)
    >>> opt.seed, opt.ufactor, opt.niter
    (3, 50, -1)
    """

    __slots__ = ("_values",)

    def __init__(self, **kwargs):
        object.__setattr__(self, "_values", [-1] * len(OptionKey))
        for name, val in kwargs.items():
            setattr(self, name, val)

    @staticmethod
    def _index(name):
        if not name.islower():
            raise AttributeError(name)
        try:
            return int(OptionKey[name.upper()])
        except KeyError:
            raise AttributeError(name) from None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return self._values[self._index(name)]

    def __setattr__(self, name, value):
        index = self._index(name)
        if not isinstance(value, int):
            raise TypeError("METIS options accept only integer values.")
        self._values[index] = int(value)

    def __repr__(self):
        return "Options(" + ", ".join(
            f"{k.name.lower()}={v}" for k, v in zip(OptionKey, self._values) if v != -1
        ) + ")"


@dataclass(frozen=True)
class CSRAdjacency:
    """A graph as CSR arrays: vertex i is adjacent to
    ``adjacent[adj_starts[i]:adj_starts[i + 1]]``."""

    adj_starts: object
    adjacent: object


def zero_copy_dtype():
    """The integer dtype klpart uses without copying: int64.

    >>> from klpart.compat import pymetis
    >>> pymetis.zero_copy_dtype()
    dtype('int64')
    """
    return np.dtype(np.int64)


# -- input -------------------------------------------------------------------


def _int_array(values, name, warn_on_copies):
    if isinstance(values, np.ndarray) and values.dtype == np.int64 and values.ndim == 1:
        return values
    if warn_on_copies:
        warnings.warn(f"{name} is being copied (pass a 1-D array of zero_copy_dtype() to avoid it)",
                      BytesWarning, stacklevel=4)
    arr = np.asarray(values)
    if arr.size == 0:
        return np.zeros(0, np.int64)
    if arr.dtype.kind not in "iub":
        if arr.dtype.kind == "f" and np.all(arr == np.round(arr)):
            return arr.astype(np.int64).reshape(-1)
        raise TypeError(f"{name} must hold integers, got dtype {arr.dtype}")
    return arr.astype(np.int64).reshape(-1)


def _prepare_graph(adjacency, xadj, adjncy, warn_on_copies=False):
    if adjacency is not None:
        if xadj is not None or adjncy is not None:
            raise TypeError("may not pass xadj/adjacency if adjacency is passed")
        if isinstance(adjacency, CSRAdjacency):
            return (_int_array(adjacency.adj_starts, "adj_starts", warn_on_copies),
                    _int_array(adjacency.adjacent, "adjacent", warn_on_copies))
        starts = [0]
        flat = []
        for i in range(len(adjacency)):
            row = [int(v) for v in adjacency[i]]
            flat.extend(row)
            starts.append(len(flat))
        return np.asarray(starts, np.int64), np.asarray(flat, np.int64)
    warnings.warn("Passing xadj/adjncy is deprecated and will be removed in 2027. "
                  "Pass a CSRAdjacency object instead.", DeprecationWarning, stacklevel=3)
    if xadj is None or adjncy is None:
        raise TypeError("must pass xadj/adjacency if adjacency is not passed")
    return _int_array(xadj, "xadj", warn_on_copies), _int_array(adjncy, "adjncy", warn_on_copies)


def csr_graph(xadj, adjncy, vweights=None, eweights=None, warn_on_copies=False):
    """Symmetric CSRGraph of a METIS graph (shared with ``klpart.compat.nxmetis``).

    METIS does not check symmetry; here a one-directional entry becomes an
    edge and self-loops are dropped (parallel entries keep the larger weight).

    Parameters
    ----------
    xadj, adjncy : ndarray of int64
        METIS's CSR arrays, 0-based.
    vweights, eweights : sequence of int, optional
        Vertex and edge weights (edge weights per ``adjncy`` entry).
    warn_on_copies : bool, default False
        pymetis's option: warn when a weight array has to be copied.

    Returns
    -------
    CSRGraph

    Raises
    ------
    ValueError
        For inconsistent arrays, ids out of range, or weights of the wrong
        length or sign.

    Examples
    --------
    >>> import numpy as np
    >>> from klpart.compat.pymetis import csr_graph
    >>> g = csr_graph(np.array([0, 1, 2, 2]), np.array([1, 2]))  # 0->1, 1->2 only
    >>> g.num_nodes, g.num_edges, g.indices.tolist()
    (3, 2, [1, 0, 2, 1])
    """
    import scipy.sparse as sp

    from ..graph import CSRGraph

    n = xadj.shape[0] - 1
    if n < 0:
        raise ValueError("xadj must have at least one entry")
    if xadj[0] != 0 or (np.diff(xadj) < 0).any() or xadj[-1] != adjncy.shape[0]:
        raise ValueError("xadj must start at 0, never decrease, and end at len(adjncy)")
    if adjncy.size and (adjncy.min() < 0 or adjncy.max() >= n):
        raise ValueError(f"adjncy has a vertex id outside [0, {n})")
    if eweights is not None:
        w = _int_array(eweights, "eweights", warn_on_copies)
        if w.shape[0] != adjncy.shape[0]:
            raise ValueError(f"eweights has {w.shape[0]} entries for {adjncy.shape[0]} adjacency entries")
        if (w <= 0).any():
            raise ValueError("eweights must be positive integers")
    else:
        w = np.ones(adjncy.shape[0], np.int64)
    A = sp.csr_array((w, adjncy, xadj), shape=(n, n))
    A = A.maximum(A.T).tocsr()
    A.setdiag(0)
    A.eliminate_zeros()
    A.sort_indices()
    nw = None
    if vweights is not None:
        nw = _int_array(vweights, "vweights", warn_on_copies)
        if nw.shape[0] != n:
            raise ValueError(f"vweights has {nw.shape[0]} entries for {n} vertices")
        if (nw < 0).any():
            raise ValueError("vweights must be non-negative")
    return CSRGraph(A.indptr, A.indices, A.data.astype(np.int64), nw, validate=False)


def _check_numbering(options):
    if options.numbering not in (-1, 0):
        raise ValueError("METIS numbering option must be set to 0 or the default")


def refuse_unsupported(options, purpose):
    """Raise for option values klpart's engine cannot honour.

    Shared with ``klpart.compat.nxmetis``, which turns the error into its
    ``MetisError``.

    Parameters
    ----------
    options : Options
    purpose : {"part", "order"}
        Partitioning, or ordering / separators (which allow the node
        objective and two-sided node refinement).

    Raises
    ------
    ValueError
        Naming the first option klpart cannot honour.

    Examples
    --------
    >>> from klpart.compat.pymetis import Options, refuse_unsupported
    >>> refuse_unsupported(Options(), "part")  # the defaults are fine
    >>> try:
    ...     refuse_unsupported(Options(minconn=1), "part")
    ... except ValueError as err:
    ...     print(err)
    option minconn=1 is not supported by klpart (no connectivity minimisation)
    """
    o = options
    if o.objtype not in (-1, ObjType.CUT) and not (purpose == "order" and o.objtype == ObjType.NODE):
        raise ValueError(f"option objtype={o.objtype}: klpart minimises the edge cut only (no volume objective)")
    if o.minconn not in (-1, 0):
        raise ValueError("option minconn=1 is not supported by klpart (no connectivity minimisation)")
    if o.ctype not in (-1, CType.SHEM):
        raise ValueError(f"option ctype={o.ctype}: klpart coarsens by heavy-edge matching only (CType.SHEM)")
    if o.iptype not in (-1, IPType.GROW) and not (purpose == "order" and o.iptype == IPType.EDGE):
        raise ValueError(f"option iptype={o.iptype}: klpart grows its initial partitions (IPType.GROW)")
    allowed_r = (-1, RType.FM, RType.GREEDY) if purpose == "part" else (-1, RType.SEP2SIDED)
    if o.rtype not in allowed_r:
        raise ValueError(f"option rtype={o.rtype} is not supported here (klpart has FM and two-sided node FM)")
    if o.dbglvl not in (-1, 0):
        raise ValueError(f"option dbglvl={o.dbglvl}: klpart prints no debugging output")
    if o.ptype not in (-1, PType.RB, PType.KWAY):
        raise ValueError(f"option ptype={o.ptype} is not a METIS partitioning scheme")
    for name in ("niter", "ncuts", "nseps"):
        v = getattr(o, name)
        if v != -1 and v < 1:
            raise ValueError(f"option {name}={v} must be at least 1")
    if o.ufactor != -1 and o.ufactor < 0:
        raise ValueError(f"option ufactor={o.ufactor} must be >= 0")


def _seed(options):
    return 0 if options.seed == -1 else int(options.seed)


def _config(options):
    from dataclasses import replace

    from ..config import preset

    cfg = preset("default")
    if options.no2hop not in (-1, 0):
        cfg = replace(cfg, coarsening=replace(cfg.coarsening, two_hop=False))
    if options.niter != -1:
        cfg = replace(cfg, refinement=replace(cfg.refinement, max_passes=int(options.niter)))
    return cfg


def _make_contiguous(g, labels, k):
    """Move every piece of a block other than its largest connected piece to
    the adjacent block it shares the most edge weight with."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    n = g.num_nodes
    for _ in range(n + 1):
        rows = np.repeat(np.arange(n), np.diff(g.indptr))
        same = labels[rows] == labels[g.indices]
        A = sp.csr_array((same.astype(np.int8), g.indices, g.indptr), shape=(n, n))
        count, comp = connected_components(A, directed=False)
        piece_weight = np.bincount(comp, weights=g.node_weights, minlength=count)
        piece_block = np.empty(count, np.int64)
        piece_block[comp] = labels
        largest = np.full(k, -1, np.int64)
        for p in np.argsort(-piece_weight, kind="stable").tolist():
            if largest[piece_block[p]] < 0:
                largest[piece_block[p]] = p
        moved = False
        for p in range(count):
            if largest[piece_block[p]] == p:
                continue
            members = np.flatnonzero(comp == p)
            conn = np.zeros(k)
            for u in members.tolist():
                for q in range(g.indptr[u], g.indptr[u + 1]):
                    b = labels[g.indices[q]]
                    if b != piece_block[p]:
                        conn[b] += g.edge_weights[q]
            if conn.max() > 0:
                labels[members] = int(np.argmax(conn))
                moved = True
                break
        if not moved:
            return labels
    return labels


def _cut(g, labels):
    rows = np.repeat(np.arange(g.num_nodes), np.diff(g.indptr))
    return int(g.edge_weights[labels[rows] != labels[g.indices]].sum() // 2)


def partition_graph(g, nparts, tpwgts, options, recursive):
    """The best of ``ncuts`` klpart partitions of ``g``, as METIS would pick it.

    The engine of :func:`part_graph`, shared with ``klpart.compat.nxmetis``;
    arguments are already checked.

    Parameters
    ----------
    g : CSRGraph
    nparts : int
    tpwgts : sequence of float or None
        Target block weight fractions.
    options : Options
        ``ufactor`` (default 30, or 1 for recursive bisection, as METIS),
        ``ncuts``, ``seed`` (seeds ``seed .. seed + ncuts - 1``), ``contig``
        and the options of the partitioning configuration.
    recursive : bool
        METIS's recursive bisection defaults (a tighter balance bound).

    Returns
    -------
    (int, ndarray of int64)
        Edge cut and block labels of the best partition.

    Examples
    --------
    >>> import numpy as np
    >>> from klpart.compat.pymetis import Options, csr_graph, partition_graph
    >>> g = csr_graph(np.array([0, 1, 3, 5, 6]), np.array([1, 0, 2, 1, 3, 2]))
    >>> cut, labels = partition_graph(g, 2, None, Options(), False)
    >>> cut, sorted(np.bincount(labels).tolist())
    (1, [2, 2])
    """
    from ..partitioning import partition

    cfg = _config(options)
    if options.ufactor != -1:
        eps = options.ufactor / 1000.0
    else:
        eps = 0.001 if recursive else 0.03
    ncuts = 1 if options.ncuts == -1 else int(options.ncuts)
    seed = _seed(options)
    best = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        for t in range(ncuts):
            res = partition(g, nparts, imbalance=eps, target_weights=tpwgts, config=cfg, seed=seed + t)
            labels = res.labels.copy()
            if options.contig not in (-1, 0):
                labels = _make_contiguous(g, labels, nparts)
            cut = _cut(g, labels)
            if best is None or cut < best[0]:
                best = (cut, labels)
    return best


def part_graph(nparts, adjacency=None, xadj=None, adjncy=None, *, vweights=None, eweights=None,
               vsize=None, tpwgts=None, recursive=None, contiguous=None, options=None,
               warn_on_copies=False):
    """Partition a graph into ``nparts`` parts: ``(edge_cuts, vertex_part)``.

    The graph is ``adjacency`` (a sequence of neighbour sequences, or a
    :class:`CSRAdjacency`) or, deprecated, ``xadj``/``adjncy``.  ``vweights``
    are vertex weights, ``eweights`` weights of the adjacency entries,
    ``tpwgts`` target fractions of the parts (rescaled to sum 1 with a
    ``DeprecationWarning`` as pymetis does).  ``vsize`` only matters for
    METIS's communication-volume objective, which klpart refuses
    (``objtype``), so it is checked for length and otherwise unused.

    Examples
    --------
    >>> from klpart.compat import pymetis
    >>> adj = [[1, 3], [0, 2], [1, 3], [2, 0]]          # a 4-cycle
    >>> cuts, parts = pymetis.part_graph(2, adjacency=adj)
    >>> cuts, sorted(parts.tolist())
    (2, [0, 0, 1, 1])
    """
    xadj, adjncy = _prepare_graph(adjacency, xadj, adjncy, warn_on_copies)
    if isinstance(nparts, bool) or not isinstance(nparts, (int, np.integer)):
        raise TypeError(f"nparts must be an integer, got {nparts!r}")
    if recursive is None:
        recursive = nparts <= 8
    if options is None:
        options = Options()
    if contiguous is True:
        if options.contig != -1:
            raise RuntimeError("Contiguous setting should be specified either through "
                               "`options` OR through the `contiguous` flag.")
        warnings.warn("Passing the 'contiguous' flag is deprecated. Pass the equivalent "
                      "flag in Options instead.", DeprecationWarning, stacklevel=2)
        options.contig = 1
    _check_numbering(options)
    refuse_unsupported(options, "part")
    if tpwgts:
        if len(tpwgts) != nparts:
            raise RuntimeError("The length of tpwgts mismatches `nparts`")
        if any(w < 0.0 for w in tpwgts):
            raise ValueError("The values of tpwgts should be non-negative")
        total = sum(tpwgts)
        if abs(total - 1) > 1e-12:
            warnings.warn("tpwgts does not sum to one; it is rescaled", DeprecationWarning, stacklevel=2)
            tpwgts = [w / total for w in tpwgts]
    else:
        tpwgts = None
    n = xadj.shape[0] - 1
    if vsize is not None and len(vsize) != n:
        raise ValueError(f"vsize has {len(vsize)} entries for {n} vertices")
    if nparts == 1:
        return GraphPartition(0, [0] * n)
    if nparts < 1:
        raise ValueError(f"nparts must be at least 1, got {nparts}")
    g = csr_graph(xadj, adjncy, vweights, eweights, warn_on_copies)
    if n == 0:
        return GraphPartition(0, array.array("q"))
    if nparts > n:
        raise ValueError(f"nparts = {nparts} is more than the {n} vertices")
    cut, labels = partition_graph(g, int(nparts), tpwgts, options, recursive)
    return GraphPartition(cut, array.array("q", labels.tolist()))


def nested_dissection(adjacency=None, xadj=None, adjncy=None, vweights=None, options=None):
    """Fill-reducing ordering: ``(perm, iperm)``; row i of the reordered
    matrix is row ``perm[i]`` of the original, ``iperm`` is the inverse.

    Examples
    --------
    >>> from klpart.compat import pymetis
    >>> perm, iperm = pymetis.nested_dissection(adjacency=[[1], [0, 2], [1]])
    >>> sorted(perm.tolist()), [perm[i] for i in iperm] == [0, 1, 2]
    ([0, 1, 2], True)
    """
    from ..ordering import nd_order

    xadj, adjncy = _prepare_graph(adjacency, xadj, adjncy)
    if options is None:
        options = Options()
    _check_numbering(options)
    refuse_unsupported(options, "order")
    g = csr_graph(xadj, adjncy, vweights)
    eps = 0.2 if options.ufactor == -1 else options.ufactor / 1000.0
    nseps = 1 if options.nseps == -1 else int(options.nseps)
    compress = options.compress != 0
    pfactor = 0 if options.pfactor == -1 else int(options.pfactor)
    if pfactor < 0:
        raise ValueError(f"option pfactor={pfactor} must be >= 0")
    from .._rng import kernel_state

    order = nd_order(g, eps, kernel_state(_seed(options)), 120, compress, nseps, pfactor)
    iperm = np.empty_like(order)
    iperm[order] = np.arange(order.shape[0])
    return array.array("q", order.tolist()), array.array("q", iperm.tolist())


def verify_nd(perm, iperm):
    """Check that ``perm`` and ``iperm`` are inverse permutations; raises
    ``ValueError`` otherwise.

    Examples
    --------
    >>> from klpart.compat import pymetis
    >>> pymetis.verify_nd([2, 0, 1], [1, 2, 0])
    >>> pymetis.verify_nd([1, 0], [-1, 0])
    Traceback (most recent call last):
    ...
    ValueError: perm and iperm are not inverse permutations
    """
    p = np.asarray(perm, np.int64)
    ip = np.asarray(iperm, np.int64)
    n = p.shape[0]
    identity = np.arange(n)
    # both must be permutations of 0..n-1 before one indexes the other (a
    # negative entry would wrap, one past n would raise IndexError)
    if (p.ndim != 1 or ip.shape != p.shape or (np.sort(p) != identity).any() or (np.sort(ip) != identity).any()
            or (p[ip] != identity).any()):
        raise ValueError("perm and iperm are not inverse permutations")


def part_mesh(n_parts, connectivity, options=None, tpwgts=None, gtype=None, ncommon=1):
    """Partition a mesh: ``(edge_cuts, element_part, vertex_part)``.

    ``connectivity`` lists the vertex ids of each element; ``gtype`` is
    :attr:`GType.NODAL` (default) or :attr:`GType.DUAL` (elements sharing at
    least ``ncommon`` vertices are adjacent).

    Examples
    --------
    >>> from klpart.compat import pymetis
    >>> cells = [[0, 1, 4, 3], [1, 2, 5, 4], [3, 4, 7, 6], [4, 5, 8, 7]]
    >>> cuts, elements, vertices = pymetis.part_mesh(2, cells, gtype=pymetis.GType.DUAL, ncommon=2)
    >>> sorted(elements.tolist()), len(vertices)
    ([0, 0, 1, 1], 9)
    """
    from ..ordering import partition_mesh

    conn_lengths = [len(c) for c in connectivity]
    n_elements = len(connectivity)
    flat = [int(v) for c in connectivity for v in c]
    n_vertex = len(set(flat))
    if options is None:
        options = Options()
    _check_numbering(options)
    if tpwgts is None:
        tpwgts = []
    if len(tpwgts) > 0:
        if len(tpwgts) != n_parts:
            raise RuntimeError("The length of tpwgts mismatches `n_part`")
        if any(w < 0.0 for w in tpwgts):
            raise ValueError("The values of tpwgts should be non-negative")
        total = sum(tpwgts)
        tpwgts = [w / total for w in tpwgts]
    refuse_unsupported(options, "part")
    if gtype is None:
        gtype = GType.NODAL
    if int(gtype) not in (GType.NODAL, GType.DUAL):
        raise ValueError(f"gtype must be GType.NODAL or GType.DUAL, got {gtype!r}")
    if n_parts < 2:
        return MeshPartition(0, [0] * n_elements, [0] * n_vertex)
    if flat and max(flat) >= n_vertex:
        raise ValueError(f"connectivity uses vertex {max(flat)} but only {n_vertex} distinct vertices: "
                         "vertex ids must be 0 .. n_vertices-1")
    del conn_lengths
    # klpart's bound is an upper one per block; METIS's k-way default (3%)
    # would let the last block fall ~3(k-1)% short, so meshes default to a
    # tight 0.5%, which keeps every block near its target
    eps = options.ufactor / 1000.0 if options.ufactor != -1 else 0.005
    kind = "dual" if int(gtype) == GType.DUAL else "nodal"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = partition_mesh(connectivity, int(n_parts), kind=kind, ncommon=int(ncommon), num_nodes=n_vertex,
                             imbalance=eps, target_weights=tpwgts or None, seed=_seed(options))
    return MeshPartition(int(res.cut), array.array("q", res.element_labels.tolist()),
                         array.array("q", res.node_labels.tolist()))


del math
