"""Kernels of the final balancing step (:mod:`klpart.multilevel.balance`).

Array contract: ``indptr`` int64, ``indices`` int32, ``edge_weights`` int64
or float64 (symmetric CSR, no self-loops), ``node_weights`` int64 or float64,
``labels`` int64 block ids in ``[0, k)`` (modified in place where said),
``bounds`` of the node weights' dtype (the largest weight each block may
have).  Nothing here raises or prints; a kernel that cannot reach its goal
says so in its return value and leaves ``labels`` valid.
"""

import numpy as np
from numba import njit

from .rng import below


@njit(cache=True)
def block_weights(labels, node_weights, k):
    """Total node weight of each block (node weights' dtype)."""
    bw = np.zeros(k, node_weights.dtype)
    for u in range(labels.shape[0]):
        bw[labels[u]] += node_weights[u]
    return bw


@njit(cache=True, inline='always')
def overload(bw, bounds):
    """Sum of the excess weight over all blocks (0 when balanced), in the
    blocks' dtype.  Inlined: the balancing and k-way FM kernels call it with
    their own dtypes, and an inlined helper adds no specialisation."""
    # zero of the blocks' dtype; a literal 0 would unify with it in a
    # called kernel, but inlined it types the callers' results as a literal
    # int (one more specialisation of k-way FM's _search)
    s = bw[0] - bw[0]
    for b in range(bw.shape[0]):
        if bw[b] > bounds[b]:
            s += bw[b] - bounds[b]
    return s


# _connections and _reset are inlined (Numba IR level): no compiles of their
# own on a cold start (~0.4 s together)
@njit(cache=True, inline='always')
def _connections(indptr, indices, edge_weights, labels, u, conn, touched):
    """Fill ``conn[b]`` with the weight from ``u`` to block ``b`` for the
    blocks of its neighbours; returns how many blocks were touched (listed
    in ``touched``).  The caller resets them."""
    nt = 0
    for p in range(indptr[u], indptr[u + 1]):
        b = labels[indices[p]]
        if conn[b] == 0:
            touched[nt] = b
            nt += 1
        conn[b] += edge_weights[p]
    return nt


@njit(cache=True, inline='always')
def _reset(conn, touched, nt):
    for i in range(nt):
        conn[touched[i]] = 0


@njit(cache=True)
def greedy_moves(indptr, indices, edge_weights, node_weights, labels, k, bounds):
    """Move nodes out of overloaded blocks into blocks with room, best cut
    change first, until balanced or no move helps.

    A move of ``u`` from ``b`` to ``t`` is allowed when ``t`` stays within
    its bound; among the moves of a round the one of largest gain (cut
    decrease) is taken, ties to the heavier node when that alone brings
    ``b`` within its bound, else to the lighter one.  Returns True when
    balanced.
    """
    n = labels.shape[0]
    bw = block_weights(labels, node_weights, k)
    conn = np.zeros(k, edge_weights.dtype)
    touched = np.empty(k, np.int64)
    for _ in range(n + 1):
        if overload(bw, bounds) <= 0:
            return True
        best_u = -1
        best_t = -1
        best_gain = -np.inf
        best_fix = False
        best_w = node_weights[0] if n else node_weights.sum()
        for u in range(n):
            b = labels[u]
            if bw[b] <= bounds[b]:
                continue
            w = node_weights[u]
            if w <= 0:
                continue
            nt = _connections(indptr, indices, edge_weights, labels, u, conn, touched)
            internal = conn[b]
            fix = bw[b] - w <= bounds[b]
            for t in range(k):
                if t == b or bw[t] + w > bounds[t]:
                    continue
                gain = conn[t] - internal
                better = False
                if best_u < 0:
                    better = True
                elif fix and not best_fix:
                    better = True
                elif fix == best_fix:
                    if gain > best_gain:
                        better = True
                    elif gain == best_gain:
                        # fixing moves: the lighter node moving costs less
                        # room; otherwise move the heavier to fix faster
                        if (fix and w < best_w) or ((not fix) and w > best_w):
                            better = True
                if better:
                    best_u = u
                    best_t = t
                    best_gain = gain
                    best_fix = fix
                    best_w = w
            _reset(conn, touched, nt)
        if best_u < 0:
            return False
        bw[labels[best_u]] -= node_weights[best_u]
        bw[best_t] += node_weights[best_u]
        labels[best_u] = best_t
    return overload(bw, bounds) <= 0


@njit(cache=True)
def pair_swaps(indptr, indices, edge_weights, node_weights, labels, k, bounds, max_pairs):
    """Swap a node of an overloaded block with a lighter node of another
    block when that lowers the total overload, best overload reduction
    first (then best cut change).  At most ``max_pairs`` candidate pairs
    are examined per swap.  Returns True when balanced."""
    n = labels.shape[0]
    bw = block_weights(labels, node_weights, k)
    for _ in range(n + 1):
        over = overload(bw, bounds)
        if over <= 0:
            return True
        best_u = -1
        best_v = -1
        best_red = over - over
        examined = 0
        for u in range(n):
            b = labels[u]
            if bw[b] <= bounds[b]:
                continue
            for v in range(n):
                t = labels[v]
                if t == b or node_weights[v] >= node_weights[u]:
                    continue
                d = node_weights[u] - node_weights[v]
                nb = bw[b] - d
                ntw = bw[t] + d
                # overload after the swap (only blocks b and t change)
                after = over
                if bw[b] > bounds[b]:
                    after -= bw[b] - bounds[b]
                if nb > bounds[b]:
                    after += nb - bounds[b]
                if bw[t] > bounds[t]:
                    after -= bw[t] - bounds[t]
                if ntw > bounds[t]:
                    after += ntw - bounds[t]
                red = over - after
                if red > best_red:
                    best_red = red
                    best_u = u
                    best_v = v
                examined += 1
                if examined >= max_pairs:
                    break
            if examined >= max_pairs:
                break
        if best_u < 0:
            return False
        b = labels[best_u]
        t = labels[best_v]
        d = node_weights[best_u] - node_weights[best_v]
        bw[b] -= d
        bw[t] += d
        labels[best_u] = t
        labels[best_v] = b
    return overload(bw, bounds) <= 0


@njit(cache=True)
def repack(indptr, indices, edge_weights, node_weights, labels, k, bounds, order, keep, out):
    """Bin packing: place the nodes in ``order`` one by one into ``out``.

    A node stays in its current block (``labels``) when ``keep`` and that
    block has room; otherwise it goes to the block with room it is most
    connected to among the nodes already placed, ties to the block with the
    most room left (worst fit spreads the weight).  Returns True when every
    node found room (``out`` is then a balanced assignment).
    """
    n = labels.shape[0]
    bw = np.zeros(k, node_weights.dtype)
    conn = np.zeros(k, edge_weights.dtype)
    touched = np.empty(k, np.int64)
    for i in range(n):
        out[i] = -1
    for i in range(n):
        u = order[i]
        w = node_weights[u]
        b = labels[u]
        if keep and bw[b] + w <= bounds[b]:
            out[u] = b
            bw[b] += w
            continue
        nt = 0
        for p in range(indptr[u], indptr[u + 1]):
            t = out[indices[p]]
            if t < 0:
                continue
            if conn[t] == 0:
                touched[nt] = t
                nt += 1
            conn[t] += edge_weights[p]
        best = -1
        for t in range(k):
            if bw[t] + w > bounds[t]:
                continue
            if best < 0 or conn[t] > conn[best] or (
                conn[t] == conn[best] and bounds[t] - bw[t] > bounds[best] - bw[best]
            ):
                best = t
        _reset(conn, touched, nt)
        if best < 0:
            return False
        out[u] = best
        bw[best] += w
    return True


@njit(cache=True)
def exhaustive(node_weights, labels, k, bounds, order, max_steps, out):
    """Depth-first search for a balanced assignment (nodes in ``order``,
    heaviest first; each tries its current block first, then the others).
    Stops after ``max_steps`` assignments tried.  Returns 1 when ``out`` is
    balanced, 0 when no balanced assignment exists, -1 when the step limit
    was hit first."""
    n = labels.shape[0]
    bw = np.zeros(k, node_weights.dtype)
    choice = np.full(n, -1, np.int64)  # position in the block list tried
    steps = 0
    depth = 0
    # suffix sums of the remaining weights prune branches early
    rest = np.zeros(n + 1, node_weights.dtype)
    for i in range(n - 1, -1, -1):
        rest[i] = rest[i + 1] + node_weights[order[i]]
    room_total = bounds.sum()
    if rest[0] > room_total:
        return 0
    while depth >= 0:
        if depth == n:
            for i in range(n):
                out[order[i]] = _block_of_choice(choice[i], labels[order[i]])
            return 1
        u = order[depth]
        w = node_weights[u]
        # undo the previous choice at this depth
        if choice[depth] >= 0:
            prev = _block_of_choice(choice[depth], labels[u])
            bw[prev] -= w
        placed = False
        c = choice[depth] + 1
        while c < k:
            t = _block_of_choice(c, labels[u])
            if bw[t] + w <= bounds[t]:
                placed = True
                break
            c += 1
        steps += 1
        if steps > max_steps:
            return -1
        if placed:
            choice[depth] = c
            bw[_block_of_choice(c, labels[u])] += w
            depth += 1
        else:
            choice[depth] = -1
            depth -= 1
    return 0


@njit(cache=True)
def _block_of_choice(c, current):
    """Choice 0 is the current block, then the others in increasing order."""
    if c == 0:
        return current
    t = c - 1
    return t if t < current else t + 1


def _move_workspace(labels, node_weights, edge_weights, k):
    """What the single-move loops start from: block weights (node weights'
    dtype), block sizes (int64), and the zeroed connection buffer
    (edge weights' dtype) with its touched list (int64) of length k.
    Python (the drivers below run once per call), so one kernel less to
    compile on a cold start."""
    bw = block_weights(labels, node_weights, k)
    size = np.bincount(labels, minlength=k).astype(np.int64, copy=False)
    conn = np.zeros(k, edge_weights.dtype)
    touched = np.empty(k, np.int64)
    return bw, size, conn, touched


def improve(indptr, indices, edge_weights, node_weights, labels, k, bounds, passes):
    """Passes of single moves with a positive gain that keep every block
    within its bound (and never empty a block); returns the cut decrease."""
    bw, size, conn, touched = _move_workspace(labels, node_weights, edge_weights, k)
    return _improve(indptr, indices, edge_weights, node_weights, labels, bounds, passes, bw, size, conn, touched)


@njit(cache=True)
def _improve(indptr, indices, edge_weights, node_weights, labels, bounds, passes, bw, size, conn, touched):
    """The passes of :func:`improve` over its workspace (:func:`_move_workspace`)."""
    n = labels.shape[0]
    total = edge_weights[0:0].sum()
    for _ in range(passes):
        moved = False
        for u in range(n):
            b = labels[u]
            if size[b] <= 1:
                continue
            w = node_weights[u]
            nt = _connections(indptr, indices, edge_weights, labels, u, conn, touched)
            best = -1
            best_gain = conn[b] - conn[b]
            for i in range(nt):
                t = touched[i]
                if t == b or bw[t] + w > bounds[t]:
                    continue
                gain = conn[t] - conn[b]
                if gain > best_gain:
                    best_gain = gain
                    best = t
            _reset(conn, touched, nt)
            if best >= 0:
                labels[u] = best
                bw[b] -= w
                bw[best] += w
                size[b] -= 1
                size[best] += 1
                total += best_gain
                moved = True
        if not moved:
            break
    return total


def fill_empty(indptr, indices, edge_weights, node_weights, labels, k, bounds, state):
    """Give every empty block a node: the node whose move raises the cut
    least (its connection to its own block; nodes of blocks with a single
    node are never taken) among those that fit the empty block's bound and
    whose move keeps balance; ties broken at random.  When no node fits the
    bound, the block stays empty.  Returns the number of blocks still
    empty."""
    bw, size, conn, touched = _move_workspace(labels, node_weights, edge_weights, k)
    return _fill_empty(indptr, indices, edge_weights, node_weights, labels, bounds, state, bw, size, conn, touched)


@njit(cache=True)
def _fill_empty(indptr, indices, edge_weights, node_weights, labels, bounds, state, bw, size, conn, touched):
    """The search of :func:`fill_empty` over its workspace (:func:`_move_workspace`)."""
    n = labels.shape[0]
    k = bw.shape[0]
    empty_left = 0
    for t in range(k):
        if size[t] > 0:
            continue
        best = -1
        best_cost = conn[t] - conn[t]  # a zero of the edge weights' type, without a sum kernel
        ties = 0
        for u in range(n):
            b = labels[u]
            if size[b] <= 1 or bw[t] + node_weights[u] > bounds[t]:
                continue
            nt = _connections(indptr, indices, edge_weights, labels, u, conn, touched)
            cost = conn[b] - conn[t]
            _reset(conn, touched, nt)
            # prefer nodes of overloaded blocks: the move then also helps balance
            if best < 0 or cost < best_cost:
                best = u
                best_cost = cost
                ties = 1
            elif cost == best_cost:
                ties += 1
                if below(state, ties) == 0:
                    best = u
        if best < 0:
            empty_left += 1
            continue
        b = labels[best]
        labels[best] = t
        bw[b] -= node_weights[best]
        bw[t] += node_weights[best]
        size[b] -= 1
        size[t] += 1
    return empty_left
