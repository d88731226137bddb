"""Kernels of :mod:`klpart.metrics`: partition summaries, set cuts and the
contingency table of two labelings.

Array contract shared by the graph kernels: ``indptr`` int64 (n + 1),
``indices`` int32 (nnz) with no diagonal entries and a symmetric structure,
``weights`` int64 or float64 (nnz), ``loops`` the summed self-loop weight per
node (length n, or length 0 when the graph has no self-loops), ``part`` int64
(n) with values in ``[0, k)``.  Inputs are only read.  Nothing here validates:
the API layer (:mod:`klpart.metrics`, :mod:`klpart.nx_metrics`) has done it.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def partition_summary(indptr, indices, weights, loops, node_weights, part, k, detail):
    """Every per-block quantity of a partition in one pass over the CSR arrays.

    Parameters are as in the module contract; ``node_weights`` is int64 or
    float64 (n); ``detail`` (bool) also computes the boundary, communication
    volume and connected-component counts (it costs a union-find).

    Returns
    -------
    size : int64 (k)
        Nodes per block.
    node_weight : node_weights.dtype (k)
        Summed node weight per block.
    internal : weights.dtype (k)
        Summed weight of the stored entries with both ends in the block:
        twice the block's internal edge weight (self-loops excluded).
    external : weights.dtype (k)
        Summed weight of the entries leaving the block (its cut).
    loop : loops.dtype (k)
        Summed self-loop weight of the block's nodes.
    loop_nodes : int
        Number of nodes with a positive self-loop weight.
    cut_entries : int
        Number of stored entries whose ends are in different blocks (twice
        the number of cut edges).
    boundary : int64 (k)
        Nodes of the block with a neighbour in another block (0 unless
        ``detail``).
    comm : int64 (k)
        Sum over the block's nodes of the number of distinct other blocks
        among their neighbours (0 unless ``detail``).
    components : int64 (k)
        Connected components of the subgraph induced by the block (0 unless
        ``detail``).
    """
    n = indptr.shape[0] - 1
    has_loops = loops.shape[0] > 0
    size = np.zeros(k, np.int64)
    node_weight = np.zeros(k, node_weights.dtype)
    internal = np.zeros(k, weights.dtype)
    external = np.zeros(k, weights.dtype)
    loop = np.zeros(k, loops.dtype)
    boundary = np.zeros(k, np.int64)
    comm = np.zeros(k, np.int64)
    components = np.zeros(k, np.int64)
    loop_nodes = 0
    cut_entries = 0
    # mark[c] == u: block c already counted among u's neighbouring blocks
    mark = np.full(k if detail else 0, -1, np.int64)
    # union-find over intra-block edges, union by size with path halving
    parent = np.arange(n if detail else 0)
    csize = np.ones(n if detail else 0, np.int64)
    for u in range(n):
        b = part[u]
        size[b] += 1
        node_weight[b] += node_weights[u]
        if has_loops:
            lw = loops[u]
            loop[b] += lw
            if lw > 0:
                loop_nodes += 1
        s_in = 0  # numba unifies it with the weights' dtype
        s_out = 0
        n_out = 0
        distinct = 0
        if detail:
            ru = u
            while parent[ru] != ru:
                parent[ru] = parent[parent[ru]]
                ru = parent[ru]
            # hot loop written flat: no helper calls per entry
            for p in range(indptr[u], indptr[u + 1]):
                v = indices[p]
                c = part[v]
                if c == b:
                    s_in += weights[p]
                    if v > u:
                        rv = v
                        while parent[rv] != rv:
                            parent[rv] = parent[parent[rv]]
                            rv = parent[rv]
                        if rv != ru:
                            if csize[ru] < csize[rv]:
                                parent[ru] = rv
                                csize[rv] += csize[ru]
                                ru = rv
                            else:
                                parent[rv] = ru
                                csize[ru] += csize[rv]
                else:
                    s_out += weights[p]
                    n_out += 1
                    if mark[c] != u:
                        mark[c] = u
                        distinct += 1
            if distinct > 0:
                boundary[b] += 1
                comm[b] += distinct
        else:
            for p in range(indptr[u], indptr[u + 1]):
                if part[indices[p]] == b:
                    s_in += weights[p]
                else:
                    s_out += weights[p]
                    n_out += 1
        internal[b] += s_in
        external[b] += s_out
        cut_entries += n_out
    if detail:
        for u in range(n):
            if parent[u] == u:
                components[part[u]] += 1
    return (
        size,
        node_weight,
        internal,
        external,
        loop,
        loop_nodes,
        cut_entries,
        boundary,
        comm,
        components,
    )


@njit(cache=True)
def set_cut(indptr, indices, weights, loops, in_s, in_t):
    """Weight between two node sets, counted as NetworkX's ``cut_size`` does.

    ``in_s`` and ``in_t`` are bool (n) membership masks; the sets may
    overlap.  An edge {u, v} counts once when (u in S and v in T) or (v in S
    and u in T); a self-loop counts (once) when its node is in both sets.

    Returns ``(edge_weight, loop_weight)`` in the dtypes of ``weights`` and
    ``loops``.
    """
    n = indptr.shape[0] - 1
    total = 0
    for u in range(n):
        su = in_s[u]
        tu = in_t[u]
        if not (su or tu):
            continue
        s = 0
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            # the test is symmetric in (u, v), so the edge is seen from both
            # ends (v is in S or T): count it from the smaller one
            if v > u and ((su and in_t[v]) or (tu and in_s[v])):
                s += weights[p]
        total += s
    loop_total = 0
    if loops.shape[0] > 0:
        for u in range(n):
            if in_s[u] and in_t[u]:
                loop_total += loops[u]
    return total, loop_total


@njit(cache=True)
def rows_volume(indptr, weights, loops, rows):
    """Summed degree (self-loops excluded) and summed self-loop weight of the
    nodes ``rows`` (int64, repeats counted repeatedly)."""
    deg = 0
    loop_total = 0
    has_loops = loops.shape[0] > 0
    for i in range(rows.shape[0]):
        u = rows[i]
        for p in range(indptr[u], indptr[u + 1]):
            deg += weights[p]
        if has_loops:
            loop_total += loops[u]
    return deg, loop_total


@njit(cache=True)
def neighbourhood_size(indptr, indices, loops, rows):
    """Number of distinct nodes adjacent to at least one node of ``rows``
    (int64); a node with a positive self-loop weight is its own neighbour."""
    n = indptr.shape[0] - 1
    seen = np.zeros(n, np.bool_)
    has_loops = loops.shape[0] > 0
    count = 0
    for i in range(rows.shape[0]):
        u = rows[i]
        if has_loops and loops[u] > 0 and not seen[u]:
            seen[u] = True
            count += 1
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if not seen[v]:
                seen[v] = True
                count += 1
    return count


@njit(cache=True)
def node_boundary_size(indptr, indices, in_s):
    """Number of nodes outside S (bool mask ``in_s``) adjacent to S."""
    n = indptr.shape[0] - 1
    count = 0
    for u in range(n):
        if in_s[u]:
            continue
        for p in range(indptr[u], indptr[u + 1]):
            if in_s[indices[p]]:
                count += 1
                break
    return count


@njit(cache=True)
def contingency(a, b, ka, kb, dense):
    """The non-zero cells of the contingency table of two labelings.

    ``a`` and ``b`` are int64 (N) with values in ``[0, ka)`` and ``[0, kb)``.
    With ``dense`` the table is counted in a ``ka * kb`` array (the caller
    checks that it is small), otherwise by sorting the cell codes.

    Returns ``(rows, cols, counts, row_sums, col_sums)``: int64 arrays, the
    first three listing the non-zero cells in row-major order, the last two
    the marginals (length ka and kb, zeros allowed).
    """
    N = a.shape[0]
    row_sums = np.zeros(ka, np.int64)
    col_sums = np.zeros(kb, np.int64)
    for i in range(N):
        row_sums[a[i]] += 1
        col_sums[b[i]] += 1
    if dense:
        table = np.zeros(ka * kb, np.int64)
        for i in range(N):
            table[a[i] * kb + b[i]] += 1
        cells = 0
        for c in range(ka * kb):
            if table[c] > 0:
                cells += 1
        rows = np.empty(cells, np.int64)
        cols = np.empty(cells, np.int64)
        counts = np.empty(cells, np.int64)
        j = 0
        for c in range(ka * kb):
            if table[c] > 0:
                rows[j] = c // kb
                cols[j] = c % kb
                counts[j] = table[c]
                j += 1
        return rows, cols, counts, row_sums, col_sums
    codes = np.empty(N, np.int64)
    for i in range(N):
        codes[i] = a[i] * kb + b[i]
    codes.sort()
    cells = 0
    for i in range(N):
        if i == 0 or codes[i] != codes[i - 1]:
            cells += 1
    rows = np.empty(cells, np.int64)
    cols = np.empty(cells, np.int64)
    counts = np.zeros(cells, np.int64)
    j = -1
    for i in range(N):
        if i == 0 or codes[i] != codes[i - 1]:
            j += 1
            rows[j] = codes[i] // kb
            cols[j] = codes[i] % kb
        counts[j] += 1
    return rows, cols, counts, row_sums, col_sums


@njit(cache=True)
def _margin_sums(sums, log_n):
    """``(sum c (log N - log c), sum C(c, 2))`` over the non-zero counts ``c``
    of one margin (row or column sums) of a contingency table."""
    h = 0.0
    pairs = 0
    for i in range(sums.shape[0]):
        c = sums[i]
        if c > 0:
            h += c * (log_n - np.log(c))
            pairs += c * (c - 1) // 2
    return h, pairs


@njit(cache=True)
def agreement_sums(rows, cols, counts, row_sums, col_sums, N):
    """Entropies, mutual information (natural log) and pair counts of a
    contingency table given as from :func:`contingency`.

    Returns ``(h_a, h_b, mi, pairs_cells, pairs_a, pairs_b)`` where the
    ``pairs_*`` are the sums of C(count, 2) over cells, rows and columns
    (int64; exact while N < 2**32).  Entropies are written as
    sum p (log N - log c) so that equal labelings give MI == H term by term.
    """
    log_n = np.log(N)
    h_a, pairs_a = _margin_sums(row_sums, log_n)
    h_b, pairs_b = _margin_sums(col_sums, log_n)
    mi = 0.0
    pairs_cells = 0
    for t in range(counts.shape[0]):
        c = counts[t]
        # grouped so that a cell equal to its row and column reproduces the
        # entropy term exactly
        mi += c * ((log_n - np.log(row_sums[rows[t]])) - (np.log(col_sums[cols[t]]) - np.log(c)))
        pairs_cells += c * (c - 1) // 2
    return h_a / N, h_b / N, mi / N, pairs_cells, pairs_a, pairs_b
