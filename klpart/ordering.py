"""METIS's other half: vertex separators, nested-dissection orderings and
mesh partitioning.

* :func:`vertex_separator` - a small set of nodes whose removal splits the
  graph into two balanced sides with no edge between them;
* :func:`nested_dissection` - a fill-reducing elimination order for sparse
  Cholesky / LU (METIS ``NodeND``);
* :func:`partition_mesh` - finite-element meshes (element -> node arrays)
  partitioned through their dual or nodal graph (METIS ``PartMesh*``);
  :func:`mesh_dual_graph` and :func:`mesh_nodal_graph` build those graphs.

The separator engine starts from klpart's multilevel edge bisection (FM on
every level, flows on the finest), takes a minimum vertex cover of its cut
edges (Konig's theorem) and refines it by node-based FM moves of separator
nodes (as METIS's two-sided node refinement); graphs of at most 100 nodes
get the best of several grown bisections, covered and refined the same way.  Nested dissection applies it recursively down to
pieces of at most ``leaf_size`` nodes, splits connected components apart and
first merges nodes with identical adjacency (supervariables); the resulting
separator tree is then ordered by one constrained approximate-minimum-degree
pass (leaves by AMD aware of their separator halo, each separator by minimum
degree after everything below it).  :func:`klpart.metrics.fill` counts the nonzeros of the
resulting Cholesky factor.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from ._rng import kernel_state
from .convert import as_csr_graph, is_networkx_graph
from .graph import CSRGraph

__all__ = [
    "vertex_separator",
    "nested_dissection",
    "partition_mesh",
    "mesh_dual_graph",
    "mesh_nodal_graph",
    "MeshPartitionResult",
]

_COARSEST = 100  # separators of graphs up to this size are computed directly
_INITIAL_TRIES = 8
_FM_PASSES = 8
_FM_STALL = 100
_LEAF_SIZE = 1000  # measured: 120/250/500/1000/2000/4000 with AMD leaves (see bench/results/ordering.md)
_ND_DEFAULT_SIZE = 3000  # dissection steps at least this large use the default preset
_ND_METHOD = "camd"  # "camd": one constrained AMD over the separator tree; "md": exact MD per leaf
_COMPRESS_RATIO = 0.85  # compress only when supervariables save >= 15% of the nodes


def _check_eps(imbalance, name="imbalance"):
    try:
        eps = float(imbalance)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {imbalance!r}") from None
    if not (eps >= 0 and math.isfinite(eps)):
        raise ValueError(f"{name} must be a finite number >= 0, got {imbalance!r}")
    return eps


def _check_positive_int(value, name, minimum=1):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return int(value)


# -- separator engine (arrays in, where out) --------------------------------


def _edge_bisection(g, eps, state, config):
    """Labels 0/1 (int64) of a multilevel edge bisection of ``g`` with sides
    of at most ``(1 + eps) * ceil(total / 2)``."""
    from ._check import balance_bound
    from .multilevel import multilevel_partition

    total = g.total_node_weight
    integral = g.node_weights.dtype.kind == "i"
    bound = float(balance_bound(eps, total / 2, 2, total, integral, True))
    targets = np.array([total / 2, total / 2], np.float64)
    return multilevel_partition(g, 2, targets, np.array([bound, bound]), eps, config, state)


def _separate(g, eps, state, trials=1, config=None):
    """``where`` (int64 0/1/2) of a vertex separator of CSRGraph ``g``.

    Small graphs: best of several grown bisections, each covered and
    refined by node FM.  Larger ones: the multilevel edge bisection (flows
    included), a minimum vertex cover of its cut edges (Konig), node FM on
    the graph itself; ``trials`` bisections, the best separator is kept.
    """
    from ._kernels.separator import better, cover_separator, initial_separator, node_fm, separator_weights
    from ._kernels.separator import sides_balanced

    vw = g.node_weights
    integral = vw.dtype.kind == "i"
    n = g.num_nodes
    if n <= _COARSEST:
        return initial_separator(
            g.indptr, g.indices, vw, eps, integral, _INITIAL_TRIES * max(trials, 1), _FM_PASSES, _FM_STALL, state
        )
    if config is None:
        from .config import preset

        config = preset("default")
    best = None
    best_key = None
    for _ in range(max(trials, 1)):
        side = _edge_bisection(g, eps, state, config)
        where = cover_separator(g.indptr, g.indices, side)
        node_fm(g.indptr, g.indices, vw, where, eps, integral, _FM_PASSES, _FM_STALL, state)
        pw = separator_weights(vw, where)
        key = (pw[2], abs(pw[0] - pw[1]), sides_balanced(pw[0], pw[1], eps, integral))
        if best is None or better(key[0], key[1], key[2], best_key[0], best_key[1], best_key[2]):
            best, best_key = where, key
    return best


def vertex_separator(G, *, imbalance=0.03, node_weight=None, trials=1, seed=0):
    """A small vertex separator: nodes whose removal leaves two balanced
    sides with no edge between them.

    The sides A and B each weigh at most ``(1 + imbalance)`` times half of
    their total (rounded up for integer node weights); the separator's weight
    (the sum of its node weights) is minimised.

    Parameters
    ----------
    G : nx.Graph, scipy sparse matrix/array, CSRGraph, ...
        Undirected graph (anything :func:`klpart.as_csr_graph` accepts);
        self-loops and edge weights play no role.
    imbalance : float, default 0.03
        Allowed imbalance of the two sides.
    node_weight : str, array_like or None
        Node weights (attribute name, sequence in node order, or unit).
    trials : int, default 1
        Independent edge bisections (graphs above 100 nodes); the smallest
        separator is kept.
    seed : int, random.Random, numpy Generator or None, default 0
        Same seed, same separator (``None``: a fresh random seed).

    Returns
    -------
    sep, A, B : lists
        Nodes of the separator and of the two sides, each in graph node order
        (node labels for NetworkX input, row ids otherwise).

    Raises
    ------
    TypeError, ValueError
        For a bad ``imbalance`` or ``trials`` or an unsupported graph.
    networkx.NetworkXNotImplemented
        For a directed NetworkX graph.

    Examples
    --------
    >>> import networkx as nx
    >>> import klpart
    >>> G = nx.grid_2d_graph(10, 10)
    >>> sep, A, B = klpart.vertex_separator(G, seed=0)
    >>> len(sep), len(A), len(B)
    (10, 45, 45)
    >>> any(v in set(B) for a in A for v in G[a])
    False

    References
    ----------
    .. [1] G. Karypis and V. Kumar, "A fast and high quality multilevel scheme
       for partitioning irregular graphs", SIAM J. Sci. Comput. 20 (1998).
    """
    eps = _check_eps(imbalance)
    trials = _check_positive_int(trials, "trials")
    g = as_csr_graph(G, weight=None, node_weight=node_weight)
    labels = list(g.labels()) if g.nodes is not None else None
    n = g.num_nodes
    if n == 0:
        return [], [], []
    state = kernel_state(seed)
    where = _separate(g, eps, state, trials)
    out = ([], [], [])
    for u, w in enumerate(where.tolist()):
        out[w].append(labels[u] if labels is not None else u)
    return out[2], out[0], out[1]


# -- nested dissection -------------------------------------------------------


def _nd_config(n):
    """Edge-bisection settings of a dissection step of ``n`` nodes: the top
    steps, whose separators dominate the fill, get the default preset (flows
    included); the many small steps get the fast one (time)."""
    from .config import preset

    return preset("default" if n >= _ND_DEFAULT_SIZE else "fast")


def nd_order(g, eps, state, leaf_size, compress, trials, pfactor=0, config=None, method=None):
    """Elimination order of a CSRGraph by nested dissection: the engine of
    :func:`nested_dissection`, without argument checks.

    :func:`nested_dissection` is the user's entry point; this one also takes
    METIS's ``pfactor`` and the strategy knobs, for ``klpart.compat``
    (pymetis and nxmetis ``node_nd``) and for tests.

    Parameters
    ----------
    g : CSRGraph
        Undirected graph; node weights are used, edge weights are not.
    eps : float
        Allowed imbalance of the two sides of each separator (>= 0).
    state : ndarray
        Kernel random state, ``klpart._rng.kernel_state(seed)``; advanced.
    leaf_size : int
        Subgraphs of at most this many nodes are not dissected further.
    compress : bool
        Merge nodes with identical neighbourhoods first (weighted
        supervariables).
    trials : int
        Edge bisections tried per separator; the smallest separator is kept.
    pfactor : int, default 0
        METIS's dense-row pruning: rows of degree above
        ``0.1 * pfactor * mean degree`` are ordered last (0: off).
    config : Config, optional
        Partitioning settings of each separator's edge bisection (by
        default chosen by subgraph size).
    method : {"camd", "md"}, optional
        "camd" (the default): the dissection only builds the separator tree;
        one constrained approximate minimum degree pass over the whole
        (compressed) graph then orders it, every separator in a later
        constraint set than everything below it (leaves see their separator
        halo, each separator is ordered by minimum degree after its
        subtree).  "md": every leaf ordered alone by exact minimum degree,
        separators in node order.

    Returns
    -------
    ndarray of int64
        ``order[i]`` is the row eliminated ``i``-th: a permutation of
        ``0..n-1``.

    Examples
    --------
    >>> import numpy as np
    >>> from klpart import grid_graph
    >>> from klpart._rng import kernel_state
    >>> from klpart.ordering import nd_order
    >>> order = nd_order(grid_graph(8, 8), 0.2, kernel_state(0), 16, True, 1, pfactor=0)
    >>> np.array_equal(np.sort(order), np.arange(64))
    True
    """
    from ._kernels.amd import amd_order
    from ._kernels.kway import induced_subgraph
    from ._kernels.ordering import components, compress as compress_kernel, minimum_degree

    n = g.num_nodes
    order = np.empty(n, np.int64)
    if n == 0:
        return order
    indptr, indices, vw = g.indptr, g.indices, g.node_weights
    ew = np.ones(indices.shape[0], np.int64)
    ids = np.arange(n, dtype=np.int64)
    hi_top = n
    # pruning of dense rows (METIS pfactor): ordered last
    if pfactor > 0 and n > 0:
        deg = np.diff(indptr)
        limit = 0.1 * pfactor * deg.mean()
        dense = deg > limit
        if dense.any() and not dense.all():
            keep = np.flatnonzero(~dense)
            order[n - dense.sum():] = np.flatnonzero(dense)
            hi_top = n - int(dense.sum())
            indptr, indices, ew, vw = induced_subgraph(indptr, indices, ew, vw, keep)
            ids = keep
    # supervariables: merge nodes with identical closed neighbourhoods
    members = None
    if compress and ids.shape[0] > 0:
        cmap, nc = compress_kernel(indptr, indices)
        if nc < _COMPRESS_RATIO * ids.shape[0]:
            from ._kernels.coarsen import contract

            indptr, indices, ew, vw = contract(indptr, indices, ew, vw, cmap, nc)
            members = (cmap, ids)
            ids = np.arange(nc, dtype=np.int64)
    if method is None:
        method = _ND_METHOD
    m = ids.shape[0]
    corder = np.empty(m, np.int64)
    depth = np.full(m, -1, np.int64)  # dissection depth of separator nodes, -1: leaf
    stack = [(indptr, indices, ew, vw, np.arange(m, dtype=np.int64), 0, m, True, 0)]
    while stack:
        ip, ix, w, nw, loc, lo, hi, check_cc, dep = stack.pop()
        k = loc.shape[0]
        if k == 0:
            continue
        if k <= leaf_size:
            if method == "md":
                corder[lo:hi] = loc[minimum_degree(ip, ix, nw)]
            continue
        if check_cc:
            count, comp = components(ip, ix)
            if count > 1:
                pieces = np.argsort(comp, kind="stable")
                sizes = np.bincount(comp, minlength=count)
                start = lo
                offset = 0
                for c in range(count):
                    nodes = pieces[offset : offset + sizes[c]]
                    offset += sizes[c]
                    sip, six, sw, snw = induced_subgraph(ip, ix, w, nw, nodes)
                    stack.append((sip, six, sw, snw, loc[nodes], start, start + sizes[c], False, dep))
                    start += sizes[c]
                continue
        sub = CSRGraph(ip, ix, w, nw, validate=False)
        where = _separate(sub, eps, state, trials, config if config is not None else _nd_config(k))
        side_a = np.flatnonzero(where == 0)
        side_b = np.flatnonzero(where == 1)
        sep = np.flatnonzero(where == 2)
        if sep.shape[0] == k or (side_a.shape[0] == 0 and side_b.shape[0] == 0):
            corder[lo:hi] = loc
            continue
        corder[hi - sep.shape[0] : hi] = loc[sep]
        depth[loc[sep]] = dep
        a_hi = lo + side_a.shape[0]
        for nodes, s_lo, s_hi in ((side_b, a_hi, hi - sep.shape[0]), (side_a, lo, a_hi)):
            if nodes.shape[0]:
                sip, six, sw, snw = induced_subgraph(ip, ix, w, nw, nodes)
                stack.append((sip, six, sw, snw, loc[nodes], s_lo, s_hi, True, dep + 1))
    if method != "md":
        top = int(depth.max()) + 1 if m else 0
        cset = np.where(depth >= 0, top - depth, 0).astype(np.int64)
        mult = np.ones(m, np.int64) if members is None else np.bincount(members[0], minlength=m).astype(np.int64)
        corder = amd_order(indptr, indices, mult, cset)
    if members is not None:
        cmap, kept = members
        # expand supervariables: members take consecutive positions
        rank_c = np.empty(m, np.int64)
        rank_c[corder] = np.arange(m)
        fine_order = np.argsort(rank_c[cmap], kind="stable")
        order[:hi_top] = kept[fine_order]
    else:
        order[:hi_top] = ids[corder]
    return order


def nested_dissection(
    G,
    *,
    node_weight=None,
    return_inverse=False,
    imbalance=0.4,
    leaf_size=_LEAF_SIZE,
    compress=True,
    trials=1,
    seed=0,
):
    """A fill-reducing elimination order by multilevel nested dissection.

    The graph (or the structure of a symmetric matrix) is split by a vertex
    separator (:func:`vertex_separator`'s engine), the two sides are ordered
    recursively and the separator is ordered last.  Pieces of at most
    ``leaf_size`` nodes are ordered by approximate minimum degree (AMD, with
    the separators around them kept for later), each separator by minimum
    degree once its subtree is eliminated; connected components are ordered
    separately; nodes with identical adjacency are merged into
    weighted supervariables first (``compress``).

    Parameters
    ----------
    G : nx.Graph, scipy sparse matrix/array, CSRGraph, ...
        Undirected graph or symmetric matrix (the diagonal and the values are
        ignored: only the structure matters).
    node_weight : str, array_like or None
        Node weights: separators minimise their summed weight.
    return_inverse : bool, default False
        Return ``(perm, iperm)`` arrays as METIS does instead of the order.
    imbalance : float, default 0.4
        Allowed imbalance of the two sides of each separator (measured:
        with AMD-ordered leaves, 0.3-0.4 gives less fill than 0.05-0.2).
    leaf_size : int, default 1000
        Pieces up to this size are not dissected further (AMD orders them).
    compress : bool, default True
        Merge nodes with identical closed neighbourhoods first.
    trials : int, default 1
        Separators tried per dissection step (METIS ``nseps``).
    seed : int, random.Random, numpy Generator or None, default 0
        Same seed, same order (``None``: a fresh random seed).

    Returns
    -------
    order : list or ndarray
        The elimination order: NetworkX input gives a list of nodes, other
        inputs an int64 array of row ids (``order[i]`` is eliminated i-th).
    perm, iperm : ndarray of int64
        With ``return_inverse=True``: ``perm[i]`` is the row (position in
        ``list(G)``) eliminated i-th (METIS's ``perm``) and ``iperm[r]`` the
        position of row r, so ``A[perm][:, perm]`` is the reordered matrix.

    Raises
    ------
    TypeError, ValueError
        For bad parameters, an asymmetric or non-square matrix.

    Examples
    --------
    >>> import networkx as nx
    >>> import klpart
    >>> from klpart.metrics import fill
    >>> G = nx.grid_2d_graph(30, 30)
    >>> order = klpart.nested_dissection(G, seed=0)
    >>> sorted(order) == sorted(G)
    True
    >>> fill(G, order) < fill(G, list(G)) / 2   # far below the natural order's
    True
    >>> perm, iperm = klpart.nested_dissection(G, return_inverse=True, seed=0)
    >>> bool((perm[iperm] == range(900)).all())
    True

    References
    ----------
    .. [1] A. George, "Nested dissection of a regular finite element mesh",
       SIAM J. Numer. Anal. 10 (1973).
    .. [2] G. Karypis and V. Kumar, "A fast and high quality multilevel scheme
       for partitioning irregular graphs", SIAM J. Sci. Comput. 20 (1998).
    """
    eps = _check_eps(imbalance)
    leaf_size = _check_positive_int(leaf_size, "leaf_size")
    trials = _check_positive_int(trials, "trials")
    if not isinstance(compress, (bool, np.bool_)):
        raise TypeError(f"compress must be True or False, got {compress!r}")
    g = as_csr_graph(G, weight=None, node_weight=node_weight)
    state = kernel_state(seed)
    order = nd_order(g, eps, state, leaf_size, bool(compress), trials)
    if return_inverse:
        iperm = np.empty_like(order)
        iperm[order] = np.arange(order.shape[0])
        return order, iperm
    if is_networkx_graph(G):
        labels = list(g.labels())
        return [labels[i] for i in order.tolist()]
    return order


# -- meshes ------------------------------------------------------------------


def _element_node_matrix(cells, num_nodes=None, name="cells"):
    """CSR (elements x nodes) of ones, from a 2-D array or ragged lists."""
    import scipy.sparse as sp

    if isinstance(cells, np.ndarray) and cells.ndim == 2:
        arr = cells
        lengths = np.full(arr.shape[0], arr.shape[1], np.int64)
        flat = arr.reshape(-1)
    else:
        try:
            rows = [np.asarray(c).reshape(-1) for c in cells]
        except TypeError:
            raise TypeError(f"{name} must be a 2-D array or a sequence of node-id sequences") from None
        lengths = np.array([r.shape[0] for r in rows], np.int64)
        flat = np.concatenate(rows) if rows else np.zeros(0, np.int64)
    if flat.size and flat.dtype.kind not in "iu":
        if flat.dtype.kind == "f" and np.all(np.isfinite(flat)) and np.all(flat == np.round(flat)):
            flat = flat.astype(np.int64)
        else:
            raise TypeError(f"{name} must hold integer node ids, got dtype {flat.dtype}")
    flat = flat.astype(np.int64, copy=False)
    if flat.size and flat.min() < 0:
        e = int(np.searchsorted(np.cumsum(lengths), int(np.argmax(flat < 0)), side="right"))
        raise ValueError(f"{name}: element {e} has a negative node id")
    if np.any(lengths == 0):
        raise ValueError(f"{name}: element {int(np.argmax(lengths == 0))} has no nodes")
    nn = int(flat.max()) + 1 if flat.size else 0
    if num_nodes is not None:
        if nn > num_nodes:
            raise ValueError(f"{name} refers to node {nn - 1}, but num_nodes is {num_nodes}")
        nn = int(num_nodes)
    ne = lengths.shape[0]
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    M = sp.csr_array((np.ones(flat.shape[0], np.int64), flat, indptr), shape=(ne, nn))
    M.sum_duplicates()
    M.data[:] = 1
    return M


def _graph_of(A):
    import scipy.sparse as sp

    A = sp.csr_array(A)
    A.setdiag(0)
    A.eliminate_zeros()
    A.sort_indices()
    A.data[:] = 1
    return CSRGraph(A.indptr, A.indices, A.data.astype(np.int64), validate=False)


def mesh_dual_graph(cells, ncommon=1, num_nodes=None):
    """The dual graph of a mesh: elements joined when they share at least
    ``ncommon`` nodes.

    Parameters
    ----------
    cells : 2-D array or sequence of sequences of int
        Node ids of each element (elements may have different sizes).
    ncommon : int, default 1
        Shared nodes needed for an edge (2 for faces of triangles/quads in
        2-D, 3 for tetrahedra, 4 for hexahedra).
    num_nodes : int, optional
        Number of mesh nodes (default: largest id + 1).

    Returns
    -------
    CSRGraph
        One node per element, unit weights.

    Examples
    --------
    >>> from klpart.ordering import mesh_dual_graph
    >>> g = mesh_dual_graph([[0, 1, 4, 3], [1, 2, 5, 4], [3, 4, 7, 6]], ncommon=2)
    >>> g.num_nodes, g.num_edges
    (3, 2)
    """
    ncommon = _check_positive_int(ncommon, "ncommon")
    M = _element_node_matrix(cells, num_nodes)
    C = (M @ M.T).tocsr()
    C.data = np.where(C.data >= ncommon, 1, 0)
    return _graph_of(C)


def mesh_nodal_graph(cells, num_nodes=None):
    """The nodal graph of a mesh: nodes joined when they belong to a common
    element.

    Examples
    --------
    >>> from klpart.ordering import mesh_nodal_graph
    >>> g = mesh_nodal_graph([[0, 1, 2], [1, 2, 3]])
    >>> g.num_nodes, g.num_edges
    (4, 5)
    """
    M = _element_node_matrix(cells, num_nodes)
    return _graph_of((M.T @ M).tocsr())


@dataclass(eq=False)
class MeshPartitionResult:
    """A mesh partition: a block for every element and every node.

    Attributes
    ----------
    element_labels, node_labels : ndarray of int64
    k : int
    cut : int
        Cut of the partitioned graph (dual: element pairs in different blocks;
        nodal: node pairs).
    kind : {"dual", "nodal"}
    graph_result : PartitionResult
        The partition of the dual or nodal graph itself.
    """

    element_labels: np.ndarray
    node_labels: np.ndarray
    k: int
    cut: int
    kind: str
    graph_result: object = field(default=None, repr=False)


def _assign_by_majority(M, labels, k, sizes_hint):
    """Row i of incidence M takes the block most of its columns have; ties
    go to the block with the fewest rows so far (in row order)."""
    import scipy.sparse as sp

    rows = M.shape[0]
    onehot = sp.csr_array((np.ones(labels.shape[0]), labels, np.arange(labels.shape[0] + 1)), shape=(labels.shape[0], k))
    counts = (M @ onehot).toarray()
    best = counts.max(axis=1)
    ties = (counts == best[:, None]).sum(axis=1) > 1
    out = counts.argmax(axis=1).astype(np.int64)
    sizes = np.bincount(out[~ties], minlength=k).astype(np.int64)
    for r in np.flatnonzero(ties).tolist():
        cand = np.flatnonzero(counts[r] == best[r])
        b = int(cand[np.argmin(sizes[cand])])
        out[r] = b
        sizes[b] += 1
    del sizes_hint, rows
    return out


def partition_mesh(
    cells,
    k,
    *,
    kind="dual",
    ncommon=1,
    num_nodes=None,
    imbalance=0.03,
    target_weights=None,
    preset="default",
    seed=0,
):
    """Partition a finite-element mesh into ``k`` blocks.

    ``kind="dual"`` partitions the elements through the dual graph (elements
    sharing at least ``ncommon`` nodes are adjacent) and gives each node the
    block of one of its elements (the least loaded one among its elements'
    blocks); ``kind="nodal"`` partitions the nodes through the nodal graph
    and gives each element the block most of its nodes are in.

    Parameters
    ----------
    cells : 2-D array or sequence of sequences of int
        Node ids of each element.
    k : int
        Number of blocks.
    kind : {"dual", "nodal"}, default "dual"
    ncommon : int, default 1
        For the dual graph (METIS's default is 1 too).
    num_nodes : int, optional
        Number of mesh nodes (default: largest id + 1).
    imbalance, target_weights, preset, seed
        As in :func:`klpart.partition`.

    Returns
    -------
    MeshPartitionResult

    Raises
    ------
    TypeError, ValueError
        For malformed cells, an unknown kind, bad k or ncommon.

    Examples
    --------
    >>> import klpart
    >>> cells = [[r * 11 + c, r * 11 + c + 1, (r + 1) * 11 + c + 1, (r + 1) * 11 + c]
    ...          for r in range(10) for c in range(10)]
    >>> res = klpart.partition_mesh(cells, 2, kind="dual", ncommon=2, seed=0)
    >>> sorted(int(x) for x in __import__("numpy").bincount(res.element_labels))
    [50, 50]
    >>> res.cut
    10
    """
    from .partitioning import partition

    if kind not in ("dual", "nodal"):
        raise ValueError(f"kind must be 'dual' or 'nodal', got {kind!r}")
    ncommon = _check_positive_int(ncommon, "ncommon")
    M = _element_node_matrix(cells, num_nodes)
    if kind == "dual":
        C = (M @ M.T).tocsr()
        C.data = np.where(C.data >= ncommon, 1, 0)
        g = _graph_of(C)
    else:
        g = _graph_of((M.T @ M).tocsr())
    res = partition(g, k, imbalance=imbalance, target_weights=target_weights, preset=preset, seed=seed)
    labels = res.labels
    if kind == "dual":
        elements = labels
        nodes = _assign_by_majority(M.T.tocsr(), elements, res.k, None) if M.shape[1] else np.zeros(0, np.int64)
        # nodes in no element: block 0
        isolated = np.diff(M.T.tocsr().indptr) == 0
        nodes[isolated] = 0
    else:
        nodes = labels
        elements = _assign_by_majority(M, nodes, res.k, None)
    return MeshPartitionResult(
        element_labels=np.asarray(elements, np.int64),
        node_labels=np.asarray(nodes, np.int64),
        k=res.k,
        cut=res.cut,
        kind=kind,
        graph_result=res,
    )
