"""Structural kernels over CSR arrays: self-loops, sortedness, symmetry.

Array contract used throughout: ``indptr`` int64 of length n + 1, ``indices``
int32 of length nnz, ``weights`` int64 or float64 of length nnz.
"""

import numpy as np
from numba import njit


@njit(cache=True)
def count_self_loops(indptr, indices):
    """Number of stored diagonal entries."""
    count = 0
    for u in range(indptr.shape[0] - 1):
        for p in range(indptr[u], indptr[u + 1]):
            if indices[p] == u:
                count += 1
    return count


@njit(cache=True)
def split_self_loops(indptr, indices, weights, n_loops):
    """Copy the adjacency without its diagonal; sum the diagonal per node.

    Returns ``(indptr, indices, weights, loop_weights)``; the input arrays are
    only read.  ``n_loops`` is ``count_self_loops(indptr, indices)``.
    """
    n = indptr.shape[0] - 1
    nnz = indices.shape[0] - n_loops
    out_indptr = np.empty(n + 1, np.int64)
    out_indices = np.empty(nnz, indices.dtype)
    out_weights = np.empty(nnz, weights.dtype)
    loops = np.zeros(n, weights.dtype)
    q = 0
    out_indptr[0] = 0
    for u in range(n):
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if v == u:
                loops[u] += weights[p]
            else:
                out_indices[q] = v
                out_weights[q] = weights[p]
                q += 1
        out_indptr[u + 1] = q
    return out_indptr, out_indices, out_weights, loops


@njit(cache=True)
def first_unsorted_row(indptr, indices):
    """Index of the first row whose column indices are not strictly
    increasing (unsorted or duplicated), or -1."""
    for u in range(indptr.shape[0] - 1):
        for p in range(indptr[u] + 1, indptr[u + 1]):
            if indices[p] <= indices[p - 1]:
                return u
    return -1


@njit(cache=True)
def _find_in_row(indices, start, stop, target):
    """Binary search of a strictly increasing row; position or -1."""
    lo = start
    hi = stop
    while lo < hi:
        mid = (lo + hi) >> 1
        if indices[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    if lo < stop and indices[lo] == target:
        return lo
    return -1


@njit(cache=True)
def is_symmetric(indptr, indices, weights):
    """True when the matrix equals its transpose (structure and weights).

    Rows must be strictly increasing.  One linear sweep: scanning rows in
    increasing order, the entries (u, v) with v < u must meet the entries
    (v, u) with u > v of row v in row order, so a cursor per row suffices.
    """
    n = indptr.shape[0] - 1
    cursor = np.empty(n, np.int64)
    for v in range(n):
        p = indptr[v]
        while p < indptr[v + 1] and indices[p] <= v:
            p += 1
        cursor[v] = p
    for u in range(n):
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            if v >= u:
                break
            q = cursor[v]
            if q >= indptr[v + 1] or indices[q] != u or weights[q] != weights[p]:
                return False
            cursor[v] = q + 1
    for v in range(n):
        if cursor[v] != indptr[v + 1]:
            return False
    return True


@njit(cache=True)
def first_asymmetric_entry(indptr, indices, weights):
    """Position ``p`` of the first entry (u, v, w) whose mirror (v, u) is
    missing or has another weight, or -1 when the matrix is symmetric.

    Rows must be strictly increasing (see ``first_unsorted_row``).  Binary
    search per entry: use :func:`is_symmetric` first, this one to explain.
    """
    for u in range(indptr.shape[0] - 1):
        for p in range(indptr[u], indptr[u + 1]):
            v = indices[p]
            q = _find_in_row(indices, indptr[v], indptr[v + 1], u)
            if q < 0 or weights[q] != weights[p]:
                return p
    return -1


@njit(cache=True)
def mirror_position(indptr, indices, u, v):
    """Position of entry (u, v) in sorted rows, or -1."""
    return _find_in_row(indices, indptr[u], indptr[u + 1], v)


@njit(cache=True)
def weighted_degrees(indptr, weights):
    """Sum of the weights of each row."""
    n = indptr.shape[0] - 1
    out = np.zeros(n, weights.dtype)
    for u in range(n):
        s = out[u]
        for p in range(indptr[u], indptr[u + 1]):
            s += weights[p]
        out[u] = s
    return out


@njit(cache=True, inline='always')
def gather_connections(indptr, indices, weights, group, u, mark, stamp, conn, touched, nt):
    """Sum u's edge weights per group (block or cluster) of its neighbours.

    ``conn[c]`` is valid for the groups with ``mark[c] == stamp``: a group
    met for the first time gets that mark, a zero sum and a place in
    ``touched[nt:]``, so the scratch arrays never need clearing as long as
    every call uses a new stamp.  Returns the new length of ``touched``.
    Inlined (Numba IR level) into the coarsening and k-way FM loops."""
    for p in range(indptr[u], indptr[u + 1]):
        c = group[indices[p]]
        if mark[c] != stamp:
            mark[c] = stamp
            conn[c] = 0.0
            touched[nt] = c
            nt += 1
        conn[c] += weights[p]
    return nt
