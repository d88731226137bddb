"""k-way kernels: cut of a labelling, induced subgraphs."""

import numpy as np
from numba import njit


@njit(cache=True)
def kway_cut(indptr, indices, weights, labels):
    """Total weight of edges whose ends have different labels (float64)."""
    total = 0.0
    for u in range(indptr.shape[0] - 1):
        b = labels[u]
        for p in range(indptr[u], indptr[u + 1]):
            if labels[indices[p]] != b:
                total += weights[p]
    return total / 2.0


@njit(cache=True)
def induced_subgraph(indptr, indices, weights, node_weights, nodes):
    """The subgraph induced by ``nodes`` (int64 array of distinct rows).

    Row i of the result is node ``nodes[i]``.  Returns (indptr, indices,
    weights, node_weights).
    """
    n = indptr.shape[0] - 1
    local = np.full(n, -1, np.int64)
    for i in range(nodes.shape[0]):
        local[nodes[i]] = i
    m = nodes.shape[0]
    sub_indptr = np.zeros(m + 1, np.int64)
    count = 0
    for i in range(m):
        u = nodes[i]
        for p in range(indptr[u], indptr[u + 1]):
            if local[indices[p]] >= 0:
                count += 1
        sub_indptr[i + 1] = count
    sub_indices = np.empty(count, indices.dtype)
    sub_weights = np.empty(count, weights.dtype)
    sub_node_weights = np.empty(m, node_weights.dtype)
    q = 0
    for i in range(m):
        u = nodes[i]
        sub_node_weights[i] = node_weights[u]
        for p in range(indptr[u], indptr[u + 1]):
            j = local[indices[p]]
            if j >= 0:
                sub_indices[q] = j
                sub_weights[q] = weights[p]
                q += 1
    return sub_indptr, sub_indices, sub_weights, sub_node_weights
