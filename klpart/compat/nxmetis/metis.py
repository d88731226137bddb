"""networkx-metis's low-level functions over METIS-style arrays:
``part_graph``, ``node_nd``, ``compute_vertex_separator``,
``set_default_options``, running on klpart's engine.

Input errors METIS would report (``niter``, ``ncuts``, ``nseps`` below 1,
negative ``ufactor``, bad array lengths) and options klpart cannot honour
raise :class:`~klpart.compat.nxmetis.exceptions.MetisError` with status
``error_input`` and a message naming the option.
"""

import warnings

import numpy as np

from .exceptions import MetisError

__all__ = ["part_graph", "node_nd", "compute_vertex_separator", "set_default_options"]

_NAMES = ("ptype", "objtype", "ctype", "iptype", "rtype", "ncuts", "nseps", "numbering", "niter", "seed",
          "minconn", "no2hop", "contig", "compress", "ccorder", "pfactor", "ufactor", "dbglvl")


def set_default_options(options):
    """Reset every field of a MetisOptions object to METIS's default (-1)."""
    for name in _NAMES:
        object.__setattr__(options, "_" + name, -1)


def _to_pymetis(options, purpose):
    from .. import pymetis

    opts = pymetis.Options()
    if options is None:
        return opts
    for name in _NAMES:
        value = getattr(options, name)
        if value is True:
            value = 1
        elif value is False:
            value = 0
        setattr(opts, name, int(value))
    for name, label in (("niter", "niter"), ("ncuts", "ncuts"), ("nseps", "nseps")):
        v = getattr(opts, name)
        if v != -1 and v < 1:
            raise MetisError(-2, f"Input Error: Incorrect {label}.")
    if opts.ufactor != -1 and opts.ufactor <= 0:
        raise MetisError(-2, "Input Error: Incorrect ufactor.")
    if opts.numbering not in (-1, 0, 1):
        raise MetisError(-2, "Input Error: Incorrect numbering.")
    try:
        pymetis.refuse_unsupported(opts, purpose)
    except ValueError as e:
        raise MetisError(-2, f"klpart cannot honour it: {e}") from None
    return opts


def _graph(xadj, adjncy, vwgt=None, adjwgt=None, numbering=-1):
    from .. import pymetis

    xadj = np.asarray(list(xadj), np.int64)
    adjncy = np.asarray(list(adjncy), np.int64)
    if xadj.shape[0] < 2:
        raise ValueError("len(xadj) < 2")
    if numbering == 1:
        xadj = xadj - 1
        adjncy = adjncy - 1
    if xadj[0] != 0:
        raise ValueError("xadj[0] != 0")
    if adjncy.shape[0] != xadj[-1]:
        raise ValueError("len(adjncy) != xadj[-1]")
    n = xadj.shape[0] - 1
    if vwgt is not None and len(vwgt) != n:
        raise ValueError("len(vwgt) != len(xadj) - 1")
    if adjwgt is not None and len(adjwgt) != adjncy.shape[0]:
        raise ValueError("len(adjwgt) != len(adjncy)")
    try:
        return pymetis.csr_graph(xadj, adjncy, vwgt, adjwgt)
    except ValueError as e:
        raise MetisError(-2, f"Input Error: {e}") from None


def _shift(values, numbering):
    return [int(v) + (1 if numbering == 1 else 0) for v in values]


def part_graph(xadj, adjncy, nparts, vwgt=None, vsize=None, adjwgt=None, tpwgts=None, ubvec=None,
               options=None, recursive=False):
    """Partition a graph into ``nparts`` parts: ``(objval, part)``, where
    ``objval`` is the edge cut.

    >>> from klpart.compat.nxmetis import metis
    >>> xadj, adjncy = [0, 2, 4, 6, 8], [1, 3, 0, 2, 1, 3, 2, 0]
    >>> metis.part_graph(xadj, adjncy, 2)[0]
    2
    """
    from .. import pymetis

    if nparts < 2:
        raise ValueError("nparts < 2")
    opts = _to_pymetis(options, "part")
    g = _graph(xadj, adjncy, vwgt, adjwgt, opts.numbering)
    n = g.num_nodes
    if vsize is not None and len(vsize) != n:
        raise ValueError("len(vsize) != len(xadj) - 1")
    targets = None
    if tpwgts is not None:
        if len(tpwgts) % nparts != 0:
            raise ValueError("len(tpwgts) % nparts != 0")
        if len(tpwgts) != nparts:
            raise MetisError(-2, "klpart cannot honour it: tpwgts with several constraints (ncon > 1)")
        targets = [float(t) for t in tpwgts]
    if ubvec is not None:
        if len(ubvec) != 1:
            raise ValueError("len(ubvec) != ncon")
        if not ubvec[0] > 1.0:
            raise MetisError(-2, "Input Error: Incorrect ubvec.")
        opts.ufactor = int(round((float(ubvec[0]) - 1.0) * 1000))
    if nparts > n:
        raise MetisError(-2, f"Input Error: nparts = {nparts} is more than the {n} vertices")
    cut, labels = pymetis.partition_graph(g, int(nparts), targets, opts, bool(recursive))
    return cut, _shift(labels.tolist(), opts.numbering)


def node_nd(xadj, adjncy, vwgt=None, options=None):
    """Fill-reducing ordering: ``(perm, iperm)`` lists (row i of the
    reordered matrix is row ``perm[i]``).

    >>> from klpart.compat.nxmetis import metis
    >>> perm, iperm = metis.node_nd([0, 1, 3, 4], [1, 0, 2, 1])
    >>> sorted(perm)
    [0, 1, 2]
    """
    from ..._rng import kernel_state
    from ...ordering import nd_order

    opts = _to_pymetis(options, "order")
    g = _graph(xadj, adjncy, vwgt, None, opts.numbering)
    eps = 0.2 if opts.ufactor == -1 else opts.ufactor / 1000.0
    nseps = 1 if opts.nseps == -1 else opts.nseps
    pfactor = 0 if opts.pfactor == -1 else opts.pfactor
    order = nd_order(g, eps, kernel_state(0 if opts.seed == -1 else opts.seed), 120,
                      opts.compress != 0, nseps, pfactor)
    iperm = np.empty_like(order)
    iperm[order] = np.arange(order.shape[0])
    return _shift(order.tolist(), opts.numbering), _shift(iperm.tolist(), opts.numbering)


def compute_vertex_separator(xadj, adjncy, vwgt=None, options=None):
    """A vertex separator: ``(sepsize, part)`` with ``part[i]`` 0 or 1 for
    the two sides and 2 for the separator.

    >>> from klpart.compat.nxmetis import metis
    >>> metis.compute_vertex_separator([0, 1, 3, 5, 6], [1, 0, 2, 1, 3, 2])[0]
    1
    """
    from ...ordering import vertex_separator

    opts = _to_pymetis(options, "order")
    g = _graph(xadj, adjncy, vwgt, None, opts.numbering)
    if g.num_nodes == 0:
        return 0, []
    eps = 0.2 if opts.ufactor == -1 else opts.ufactor / 1000.0
    nseps = 1 if opts.nseps == -1 else opts.nseps
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # g has no labels, so the three lists hold row ids
        sep, side0, side1 = vertex_separator(
            g, imbalance=eps, trials=nseps, seed=0 if opts.seed == -1 else opts.seed
        )
    where = np.empty(g.num_nodes, np.int64)
    where[sep] = 2
    where[side0] = 0
    where[side1] = 1
    sepsize = g.node_weights[where == 2].sum()
    return int(sepsize), [int(w) for w in where.tolist()]
