"""Coarsening kernels: matchings and contraction.

A coarsening step maps every fine node to a coarse node (``cmap``), then
:func:`contract` builds the coarse graph: node weights summed, parallel
edges merged with summed weights, edges inside a coarse node dropped.
"""

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from .csr import gather_connections
from .rng import chunked_permutation, permutation

RATING_WEIGHT = 0  # heavy edge: w(u, v)
RATING_EXPANSION = 1  # w(u, v)^2 / (c(u) c(v)): heavy edges between light nodes
# nodes per chunk of label propagation's visiting order (rng.chunked_permutation).
# The matching keeps a fully random order: chunked, its level-0 run was 35%
# faster on finan512, wing and t60k, but the bench's cut geomeans (seeds 0-2)
# rose 1.1% at k = 2 and 1.5% at k = 4 for no visible end-to-end gain.
LP_CHUNK = 256

# how many coarse rows ahead contract fetches a row pointer / an adjacency
_AHEAD_POINTER = 16
_AHEAD_ROW = 8


@intrinsic
def _prefetch(typingctx, arr, idx):
    """Hint the CPU to load the cache line of ``arr[idx]`` (LLVM's
    ``llvm.prefetch``; no effect on results, ``idx`` must be in bounds)."""
    sig = types.void(arr, idx)

    def codegen(context, builder, signature, args):
        aryty, idxty = signature.args
        ary = context.make_array(aryty)(context, builder, args[0])
        i = context.cast(builder, args[1], idxty, types.intp)
        ptr = cgutils.get_item_pointer2(
            context, builder, ary.data, cgutils.unpack_tuple(builder, ary.shape),
            cgutils.unpack_tuple(builder, ary.strides), aryty.layout, [i], wraparound=False, boundscheck=False,
        )
        i8p = ir.IntType(8).as_pointer()
        i32 = ir.IntType(32)
        fn = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [i8p, i32, i32, i32]), "llvm.prefetch.p0i8"
        )
        # read, high locality, data cache
        builder.call(fn, [builder.bitcast(ptr, i8p), ir.Constant(i32, 0), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return sig, codegen


@njit(cache=True)
def heavy_edge_matching(indptr, indices, weights, node_weights, group, max_node_weight, rating, state):
    """Match each node with an unmatched neighbour of best rating.

    Nodes are visited in random order (``state``: the kernels' RNG).  A pair
    is allowed only if its combined weight is at most ``max_node_weight`` and
    both nodes are in the same ``group`` (int64; the current blocks during a
    V-cycle; an empty array puts all nodes in one group).
    Returns ``(cmap, nc)``: coarse ids numbered in fine-node order (keeps the
    coarse graph's memory layout close to the fine one's).
    """
    n = indptr.shape[0] - 1
    # an empty group array means one group for all (the first V-cycle): no
    # random read of group[v] per edge then
    grouped = group.shape[0] > 0
    # equal node weights (the input level of an unweighted graph, the largest
    # level): every pair has the same weight and rating denominator, so the
    # random read of node_weights[v] per edge is skipped; the values used are
    # the same, hence the same decisions
    uniform = n > 0
    for u in range(1, n):
        if node_weights[u] != node_weights[0]:
            uniform = False
            break
    # equal edge weights too (an unweighted input level): every allowed
    # neighbour rates the same, and the strict comparison below keeps the
    # first one, so the scan can stop there (METIS's random matching on such
    # levels); not with expansion ratings over unequal node weights
    first_wins = uniform or rating != RATING_EXPANSION
    for p in range(1, indices.shape[0]):
        if not first_wins:
            break
        if weights[p] != weights[0]:
            first_wins = False
    # np.empty and a fill loop: np.full with int32 would be one more Numba
    # implementation to compile on a cold start
    match = np.empty(n, np.int32)
    for u in range(n):
        match[u] = -1
    order = permutation(state, n)
    for i in range(n):
        u = order[i]
        if match[u] >= 0:
            continue
        best = -1
        best_rating = -1.0
        cu = node_weights[u]
        gu = group[u] if grouped else 0
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if match[v] >= 0 or (grouped and group[v] != gu):
                continue
            cv = cu if uniform else node_weights[v]
            if cu + cv > max_node_weight:
                continue
            w = weights[p]
            if rating == RATING_EXPANSION:
                r = (w * 1.0) * w / (max(cu, 1) * 1.0 * max(cv, 1))
            else:
                r = w * 1.0
            if r > best_rating:
                best_rating = r
                best = v
                if first_wins:
                    break
        if best >= 0:
            match[u] = best
            match[best] = u
        else:
            match[u] = u
    # int32 ids: contraction reads cmap at random, half the bytes help
    cmap = np.empty(n, np.int32)
    nc = 0
    for u in range(n):
        v = match[u]
        if v >= u:
            cmap[u] = nc
            if v != u:
                cmap[v] = nc
            nc += 1
    return cmap, nc


@njit(cache=True)
def two_hop_matching(indptr, indices, node_weights, group, max_node_weight, cmap, nc):
    """Pair up singletons that share a neighbour (the idea of METIS's 2-hop
    matching).

    On star-like graphs a matching leaves most leaves of a hub unmatched and
    coarsening stalls; here every node pairs its still-single neighbours two
    by two (``group`` as in :func:`heavy_edge_matching`).  Returns the new
    ``(cmap, nc)``.
    """
    n = indptr.shape[0] - 1
    grouped = group.shape[0] > 0  # empty: one group for all
    size = np.zeros(nc, np.int64)
    for u in range(n):
        size[cmap[u]] += 1
    partner = np.full(n, -1, np.int64)
    for u in range(n):
        if size[cmap[u]] == 1:
            partner[u] = u  # a singleton, still free
    for h in range(n):
        pending = -1
        for p in range(indptr[h], indptr[h + 1]):
            v = indices[p]
            if partner[v] != v:
                continue
            if pending < 0:
                pending = v
            elif grouped and group[pending] != group[v]:
                pending = v
            elif node_weights[pending] + node_weights[v] <= max_node_weight:
                partner[pending] = v
                partner[v] = pending
                pending = -1
    # renumber: a pair takes the id of its smaller member's original coarse node
    newmap = np.empty(n, np.int32)  # the dtype of heavy_edge_matching's cmap: one contract specialisation
    remap = np.full(nc, -1, np.int32)
    count = 0
    for u in range(n):
        c = cmap[u]
        q = partner[u]
        if q >= 0 and q != u and q < u:
            newmap[u] = newmap[q]
            continue
        if remap[c] < 0:
            remap[c] = count
            count += 1
        newmap[u] = remap[c]
    return newmap, count


@njit(cache=True)
def contract(indptr, indices, weights, node_weights, cmap, nc):
    """The coarse graph of ``cmap``: (indptr, indices, weights, node_weights).

    Rows of the result are unsorted; no duplicates, no diagonal entries.
    O(nnz) with one marker array over the coarse nodes.
    """
    n = indptr.shape[0] - 1
    # fine nodes grouped by coarse node (counting sort)
    start = np.zeros(nc + 1, np.int64)
    for u in range(n):
        start[cmap[u] + 1] += 1
    for c in range(nc):
        start[c + 1] += start[c]
    members = np.empty(n, np.int32)
    fill = start[:-1].copy()
    for u in range(n):
        c = cmap[u]
        members[fill[c]] = u
        fill[c] += 1

    cnode_weights = np.zeros(nc, node_weights.dtype)
    cindptr = np.empty(nc + 1, np.int64)
    cindices = np.empty(indices.shape[0], indices.dtype)
    cweights = np.empty(indices.shape[0], weights.dtype)
    # position of coarse neighbour cv in the current row if where[cv] >=
    # row_start: entries of earlier rows are below it, no reset per row
    where = np.empty(nc, np.int64)
    for c in range(nc):
        where[c] = -1
    q = 0
    cindptr[0] = 0
    for c in range(nc):
        # the last member of a coarse node lies anywhere in the fine graph
        # (a cache miss per array): fetch its row pointer and, a few rows
        # later, its adjacency ahead of use
        if c + _AHEAD_POINTER < nc:
            _prefetch(indptr, members[start[c + _AHEAD_POINTER + 1] - 1])
        if c + _AHEAD_ROW < nc:
            x = indptr[members[start[c + _AHEAD_ROW + 1] - 1]]
            if x < indices.shape[0]:
                _prefetch(indices, x)
                _prefetch(weights, x)
        row_start = q
        cw = cnode_weights[c]
        for k in range(start[c], start[c + 1]):
            u = members[k]
            cw += node_weights[u]
            for p in range(indptr[u], indptr[u + 1]):
                cv = cmap[indices[p]]
                if cv == c:
                    continue
                at = where[cv]
                if at >= row_start:
                    cweights[at] += weights[p]
                else:
                    where[cv] = q
                    cindices[q] = cv
                    cweights[q] = weights[p]
                    q += 1
        cnode_weights[c] = cw
        cindptr[c + 1] = q
    return cindptr, cindices[:q].copy(), cweights[:q].copy(), cnode_weights


@njit(cache=True)
def label_propagation_clustering(indptr, indices, weights, node_weights, group, max_cluster_weight, iterations, state):
    """Size-constrained label propagation (as in KaMinPar's coarsening).

    Every node starts as its own cluster; in random order each node joins
    the neighbouring cluster it is most strongly connected to, if that
    cluster stays within ``max_cluster_weight`` and lies in the node's
    ``group`` (empty: one group for all).  Stops after ``iterations`` sweeps or when under 1% of the
    nodes move.  Returns ``(cmap, nc)`` numbered in fine-node order.
    Clusters can grow far beyond pairs, so irregular graphs (stars, circuits)
    shrink quickly where a matching stalls.
    """
    n = indptr.shape[0] - 1
    grouped = group.shape[0] > 0  # empty: one group for all
    # int32 cluster ids: the per-edge random reads touch half the bytes
    cluster = np.empty(n, np.int32)
    cweight = np.empty(n, np.float64)
    for u in range(n):
        cluster[u] = u
        cweight[u] = node_weights[u]
    conn = np.zeros(n, np.float64)
    mark = np.full(n, -1, np.int64)
    touched = np.empty(n, np.int32)
    for it in range(iterations):
        # random order within chunks of consecutive nodes, chunks in random
        # order (as KaMinPar): neighbours of nearby nodes share cache lines
        order = chunked_permutation(state, n, LP_CHUNK)
        moved = 0
        for i in range(n):
            u = order[i]
            own = cluster[u]
            # a stamp new to this sweep: marks left by an earlier sweep
            # never pass for this node's
            stamp = it * n + u
            nt = gather_connections(indptr, indices, weights, cluster, u, mark, stamp, conn, touched, 0)
            best = own
            best_conn = conn[own] if mark[own] == stamp else 0.0
            wu = node_weights[u]
            for j in range(nt):
                c = touched[j]
                if c == own or (grouped and group[c] != group[u]) or cweight[c] + wu > max_cluster_weight:
                    continue
                if conn[c] > best_conn:
                    best = c
                    best_conn = conn[c]
            if best != own:
                cweight[own] -= wu
                cweight[best] += wu
                cluster[u] = best
                moved += 1
        if moved < max(1, n // 100):
            break
    cmap = np.full(n, -1, np.int32)  # int32 as every cmap: one contract specialisation
    nc = renumber(cluster, cmap)
    return cmap, nc


@njit(cache=True)
def renumber(ids, out):
    """Write to ``out[u]`` the rank of ``ids[u]`` among the distinct values of
    ``ids`` (each in [0, n)) in order of first appearance; returns how many
    there are.  ``out`` may be ``ids`` itself (renumbered in place)."""
    n = ids.shape[0]
    seen = np.full(n, -1, np.int64)
    nc = 0
    for u in range(n):
        c = ids[u]
        if seen[c] < 0:
            seen[c] = nc
            nc += 1
        out[u] = seen[c]
    return nc
