"""Indexed binary max-heaps for refinement kernels.

Two heaps (one per side of a bisection, or one per block pair) share one
array: heap ``s`` lives in ``heap[s * n : s * n + size[s]]`` and ``pos[x]``
is the slot of node x in its heap (-1 when absent).  Priority is
``key[x]``; among equal keys the larger ``stamp[x]`` comes first, so callers
that stamp nodes with a clock get "most recently updated first" ties.
"""

import numpy as np
from numba import njit


# One compiled routine moves a node along its heap path (_sift); the pq_*
# operations around it are a few statements each, inlined into the callers
# (Numba IR level).  Six compiled operations (each re-optimizing the sift
# loops it called) cost about 3 s of a cold start; one costs about 0.4 s.
# _before and _place are inlined into _sift.
@njit(cache=True, inline='always')
def _before(a, b, key, stamp):
    ka = key[a]
    kb = key[b]
    if ka != kb:
        return ka > kb
    return stamp[a] > stamp[b]


@njit(cache=True, inline='always')
def _place(heap, pos, base, i, x):
    """Node x into slot i of the heap at ``base``."""
    heap[base + i] = x
    pos[x] = i


@njit(cache=True)
def _sift(heap, base, size, i, pos, key, stamp, up):
    """Move the node in slot i of the heap at ``base`` (``size`` nodes) up
    towards the root while it comes before its parent (``up``), or down
    while a child comes before it.  ``up`` is a typed boolean at every call
    site (``np.bool_``): a literal would compile a second specialisation."""
    x = heap[base + i]
    if up:
        # parents that x must pass move down one level
        while i > 0 and _before(x, heap[base + ((i - 1) >> 1)], key, stamp):
            parent = (i - 1) >> 1
            _place(heap, pos, base, i, heap[base + parent])
            i = parent
    else:
        while True:
            child = 2 * i + 1
            if child >= size:
                break
            if child + 1 < size and _before(heap[base + child + 1], heap[base + child], key, stamp):
                child += 1
            y = heap[base + child]
            if not _before(y, x, key, stamp):
                break
            _place(heap, pos, base, i, y)
            i = child
    _place(heap, pos, base, i, x)


@njit(cache=True, inline='always')
def pq_push(heap, size, pos, key, stamp, s, n, x):
    """Insert node x (key and stamp already set) into heap s."""
    i = size[s]
    size[s] = i + 1
    heap[s * n + i] = x
    _sift(heap, s * n, i + 1, i, pos, key, stamp, np.bool_(True))


@njit(cache=True, inline='always')
def pq_pop(heap, size, pos, key, stamp, s, n):
    """Remove and return the first node of heap s (which must not be empty)."""
    base = s * n
    x = heap[base]
    pos[x] = -1
    last = size[s] - 1
    size[s] = last
    if last > 0:
        heap[base] = heap[base + last]
        _sift(heap, base, last, np.int64(0), pos, key, stamp, np.bool_(False))
    return x


@njit(cache=True, inline='always')
def pq_remove(heap, size, pos, key, stamp, s, n, x):
    """Remove node x from heap s."""
    base = s * n
    i = pos[x]
    pos[x] = -1
    last = size[s] - 1
    size[s] = last
    if i != last:
        y = heap[base + last]
        _place(heap, pos, base, i, y)
        _sift(heap, base, last, i, pos, key, stamp, np.bool_(False))
        _sift(heap, base, last, pos[y], pos, key, stamp, np.bool_(True))


@njit(cache=True, inline='always')
def pq_update(heap, size, pos, key, stamp, s, n, x):
    """Restore heap order after key[x] or stamp[x] changed."""
    _sift(heap, s * n, size[s], pos[x], pos, key, stamp, np.bool_(True))
    _sift(heap, s * n, size[s], pos[x], pos, key, stamp, np.bool_(False))


@njit(cache=True, inline='always')
def pq_increase(heap, size, pos, key, stamp, s, n, x):
    """Restore order after x got a better (key, stamp): it can only rise."""
    _sift(heap, s * n, size[s], pos[x], pos, key, stamp, np.bool_(True))


@njit(cache=True, inline='always')
def pq_decrease(heap, size, pos, key, stamp, s, n, x):
    """Restore order after x's key dropped: it can only sink."""
    _sift(heap, s * n, size[s], pos[x], pos, key, stamp, np.bool_(False))
