"""Kernels for moving a node of a contiguous block together with what its
removal cuts off from the block (see
:func:`klpart.multilevel.constraints._move_pieces`)."""

import numpy as np
from numba import njit


@njit(cache=True)
def detach_group(indptr, indices, edge_weights, labels, block, node, node_weights, movable, seen, queue, group,
                 conn):
    """The nodes that leave ``block`` when ``node`` leaves it and the block
    keeps only its heaviest remaining piece.

    Every piece of ``block`` without ``node`` touches ``node`` when the
    block is connected, so one search from each neighbour of ``node`` in
    the block finds them all.  ``group[:count]`` receives ``node`` and the
    nodes of every piece but the heaviest; ``conn[b]`` the edge weight from
    the group to block ``b`` (``conn[block]``: to the nodes that stay).

    Parameters
    ----------
    indptr, indices, edge_weights : ndarray
        CSR adjacency.
    labels : ndarray of int64
    block, node : int
        ``labels[node] == block``.
    node_weights : ndarray of float64
    movable : ndarray of uint8
        0 for pinned nodes.
    seen : ndarray of int64, shape (n,)
        All -1 on entry; all -1 again on return.
    queue, group : ndarray of int64, shape (n,)
        Scratch and output.
    conn : ndarray of float64, shape (k,)
        Output (overwritten).

    Returns
    -------
    (int, float)
        ``count`` and the group's node weight; ``count`` is -1 when the
        group would hold a pinned node.
    """
    conn[:] = 0.0
    seen[node] = -2
    pieces = 0
    best_piece, best_weight = -1, -1.0
    visited = 0  # queue[:visited] lists every node searched (for the reset)
    # weight of each piece, stored at the queue position of its first node
    starts = np.empty(indptr[node + 1] - indptr[node] + 1, np.int64)
    weights = np.empty(indptr[node + 1] - indptr[node] + 1, np.float64)
    for e in range(indptr[node], indptr[node + 1]):
        u = indices[e]
        if labels[u] != block or seen[u] != -1:
            continue
        start = visited
        seen[u] = pieces
        queue[visited] = u
        visited += 1
        head = start
        weight = 0.0
        while head < visited:
            x = queue[head]
            head += 1
            weight += node_weights[x]
            for f in range(indptr[x], indptr[x + 1]):
                y = indices[f]
                if labels[y] == block and seen[y] == -1:
                    seen[y] = pieces
                    queue[visited] = y
                    visited += 1
        starts[pieces] = start
        weights[pieces] = weight
        if weight > best_weight:
            best_piece, best_weight = pieces, weight
        pieces += 1
    count = 0
    shed = node_weights[node]
    group[count] = node
    count += 1
    pinned = movable[node] == 0
    for i in range(visited):
        x = queue[i]
        if seen[x] != best_piece:
            group[count] = x
            count += 1
            shed += node_weights[x]
            if movable[x] == 0:
                pinned = True
    # edge weight from the group to every block; the nodes that stay are
    # the best piece (and nodes of the block the searches never reached)
    for i in range(count):
        x = group[i]
        for f in range(indptr[x], indptr[x + 1]):
            y = indices[f]
            if labels[y] != block:
                conn[labels[y]] += edge_weights[f]
            elif seen[y] == best_piece or seen[y] == -1:
                conn[block] += edge_weights[f]
    for i in range(visited):
        seen[queue[i]] = -1
    seen[node] = -1
    if pinned:
        return -1, shed
    return count, shed


@njit(cache=True)
def block_pieces(indptr, indices, labels):
    """Connected pieces of every block: ``(count, piece)`` with ``piece[u]``
    in ``0..count-1``, numbered in order of their smallest node; two nodes
    share a piece when a path inside their block joins them.

    A search that follows only edges inside a block, without building the
    subgraph of those edges first (the contiguity check runs at every level
    of the hierarchy, and on connected blocks this is all it does).
    """
    n = indptr.shape[0] - 1
    piece = np.empty(n, np.int64)
    for u in range(n):
        piece[u] = -1
    queue = np.empty(n, np.int64)
    count = 0
    for s in range(n):
        if piece[s] >= 0:
            continue
        block = labels[s]
        piece[s] = count
        queue[0] = s
        head, tail = 0, 1
        while head < tail:
            x = queue[head]
            head += 1
            for e in range(indptr[x], indptr[x + 1]):
                y = indices[e]
                if piece[y] < 0 and labels[y] == block:
                    piece[y] = count
                    queue[tail] = y
                    tail += 1
        count += 1
    return count, piece
