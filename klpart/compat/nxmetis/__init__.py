"""networkx-metis's API over klpart's engine: ``from klpart.compat import
nxmetis``, or ``sys.modules["nxmetis"] = klpart.compat.nxmetis`` (plus
``nxmetis.metis``, ``nxmetis.types``, ``nxmetis.exceptions``) for code that
imports ``nxmetis``.

Functions: :func:`partition`, :func:`vertex_separator`,
:func:`node_nested_dissection`; options: :class:`MetisOptions`.  Errors are
raised as networkx-metis raises them: ``nx.NetworkXNotImplemented`` for
directed graphs and multigraphs, ``nx.NetworkXError`` for bad input and for
options klpart cannot honour (the message names the option).
"""

import functools
import itertools

from . import exceptions, metis, types

__all__ = ["node_nested_dissection", "partition", "vertex_separator", "MetisOptions"]

MetisOptions = types.MetisOptions


def _undirected_simple(func):
    @functools.wraps(func)
    def wrapper(G, *args, **kwargs):
        import networkx as nx

        if G.is_directed():
            raise nx.NetworkXNotImplemented("not implemented for directed type")
        if G.is_multigraph():
            raise nx.NetworkXNotImplemented("not implemented for multigraph type")
        try:
            return func(G, *args, **kwargs)
        except (ValueError, TypeError, exceptions.MetisError) as e:
            raise nx.NetworkXError(*e.args) from e

    return wrapper


def _convert_graph(G):
    index = {u: i for i, u in enumerate(G)}
    xadj = [0]
    adjncy = []
    for u in G:
        adjncy.extend(index[v] for v in G[u])
        xadj.append(len(adjncy))
    return xadj, adjncy


def _node_weights(G, key):
    w = [G.nodes[u].get(key, 1) for u in G] if key is not None else None
    return None if w is None or all(x == 1 for x in w) else w


@_undirected_simple
def node_nested_dissection(G, weight="weight", options=None):
    """A fill-reducing node ordering (a list of the nodes of ``G``).

    >>> import networkx as nx
    >>> from klpart.compat import nxmetis
    >>> sorted(nxmetis.node_nested_dissection(nx.path_graph(5)))
    [0, 1, 2, 3, 4]
    """
    if len(G) == 0:
        return []
    xadj, adjncy = _convert_graph(G)
    perm = metis.node_nd(xadj, adjncy, _node_weights(G, weight), options)[0]
    nodes = list(G)
    return [nodes[i] for i in perm]


@_undirected_simple
def partition(G, nparts, node_weight="weight", node_size="size", edge_weight="weight", tpwgts=None,
              ubvec=None, options=None, recursive=False):
    """Partition ``G`` into ``nparts`` parts: ``(objval, parts)``, the edge
    cut and a list of node lists.

    >>> import networkx as nx
    >>> from klpart.compat import nxmetis
    >>> objval, parts = nxmetis.partition(nx.cycle_graph(8), 2)
    >>> objval, sorted(len(p) for p in parts)
    (2, [4, 4])
    """
    import networkx as nx

    if nparts < 1:
        raise nx.NetworkXError("nparts is less than one.")
    if nparts == 1:
        return 0, [list(G)]
    if len(G) == 0:
        return 0, [[] for _ in range(nparts)]
    xadj, adjncy = _convert_graph(G)
    vwgt = _node_weights(G, node_weight)
    vsize = _node_weights(G, node_size)
    adjwgt = [G[u][v].get(edge_weight, 1) for u in G for v in G[u]]
    if all(w == 1 for w in adjwgt):
        adjwgt = None
    if tpwgts is not None:
        if len(tpwgts) != nparts:
            raise nx.NetworkXError("length of tpwgts is not equal to nparts.")
        ncon = len(tpwgts[0])
        if any(len(tpwgts[j]) != ncon for j in range(1, nparts)):
            raise nx.NetworkXError("lists in tpwgts are not of the same length.")
        if ubvec is not None and len(ubvec) != ncon:
            raise nx.NetworkXError("ubvec is not of the same length as tpwgts.")
        tpwgts = list(itertools.chain.from_iterable(tpwgts))
    objval, part = metis.part_graph(xadj, adjncy, nparts, vwgt, vsize, adjwgt, tpwgts, ubvec, options,
                                    recursive)
    parts = [[] for _ in range(nparts)]
    for u, i in zip(G, part):
        parts[i].append(u)
    return objval, parts


@_undirected_simple
def vertex_separator(G, weight="weight", options=None):
    """A vertex separator: ``(sep, part1, part2)`` lists of nodes.

    >>> import networkx as nx
    >>> from klpart.compat import nxmetis
    >>> sep, a, b = nxmetis.vertex_separator(nx.path_graph(7))
    >>> len(sep), sorted([len(a), len(b)])
    (1, [3, 3])
    """
    if len(G) == 0:
        return [], [], []
    xadj, adjncy = _convert_graph(G)
    part = metis.compute_vertex_separator(xadj, adjncy, _node_weights(G, weight), options)[1]
    groups = [[], [], []]
    for u, i in zip(G, part):
        groups[i].append(u)
    return groups[2], groups[0], groups[1]
