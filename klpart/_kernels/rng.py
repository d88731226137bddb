"""Random numbers inside kernels.

* :func:`mt_shuffle_order` replays CPython's ``random.Random.shuffle`` (the
  Mersenne Twister and its ``_randbelow`` rejection loop) so that the KL
  drop-in starts from NetworkX's split without a slow Python loop;
* :func:`next_u64` / :func:`below` are the kernels' own generator
  (splitmix64 over a one-element uint64 state array): deterministic per seed,
  independent of NumPy's and Python's global states.
"""

import numpy as np
from numba import njit

_N = 624
_M = 397


@njit(cache=True)
def mt_shuffle_order(mt, pos, n):
    """The permutation ``random.Random.shuffle`` applies to a list of length n.

    ``mt`` (uint32[624]) and ``pos`` (int64[1]) hold the generator state from
    ``Random.getstate()`` and are advanced exactly as CPython advances them
    (``pos[0]`` is CPython's ``mti``).  Valid for n < 2**32
    (``getrandbits(k)`` with k <= 32 uses one output).  The twister's
    regeneration and tempering are written out here, one kernel instead of
    three for the first call to compile.
    """
    upper = np.uint32(0x80000000)
    lower = np.uint32(0x7FFFFFFF)
    matrix = np.uint32(0x9908B0DF)
    # 0..n-1 by a loop: np.arange would compile one more implementation
    order = np.empty(n, np.int64)
    for i in range(n):
        order[i] = i
    for i in range(n - 1, 0, -1):
        bound = i + 1
        k = 0
        b = bound
        while b > 0:
            k += 1
            b >>= 1
        shift = np.uint32(32 - k)
        # _randbelow: draw getrandbits(k) until it is below bound
        while True:
            if pos[0] >= _N:
                # regenerate the whole state (CPython's genrand_uint32)
                for j in range(_N):
                    x = (mt[j] & upper) | (mt[(j + 1) % _N] & lower)
                    v = mt[(j + _M) % _N] ^ (x >> np.uint32(1))
                    if x & np.uint32(1):
                        v ^= matrix
                    mt[j] = v
                pos[0] = 0
            y = mt[pos[0]]
            pos[0] += 1
            y ^= y >> np.uint32(11)
            y ^= (y << np.uint32(7)) & np.uint32(0x9D2C5680)
            y ^= (y << np.uint32(15)) & np.uint32(0xEFC60000)
            y ^= y >> np.uint32(18)
            r = np.int64(y >> shift)
            if r < bound:
                break
        tmp = order[i]
        order[i] = order[r]
        order[r] = tmp
    return order


# inlined into below (its only kernel caller): one compile less
@njit(cache=True, inline='always')
def next_u64(state):
    """Next 64-bit output of splitmix64; ``state`` is a uint64[1] array."""
    state[0] += np.uint64(0x9E3779B97F4A7C15)
    z = state[0]
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def below(state, bound):
    """Uniform integer in [0, bound) (bound >= 1), as int64."""
    return np.int64(next_u64(state) % np.uint64(bound))


@njit(cache=True, inline='always')
def shuffle_prefix(order, m, state):
    """Shuffle ``order[:m]`` in place (Fisher-Yates, draws from ``below``).

    The one shuffle of the splitmix64 kernels: inlined (Numba IR level) so
    the hot callers pay no call and the helper no compile of its own."""
    for i in range(m - 1, 0, -1):
        j = below(state, i + 1)
        tmp = order[i]
        order[i] = order[j]
        order[j] = tmp


@njit(cache=True)
def chunked_permutation(state, n, chunk):
    """A random order of 0..n-1 that keeps some locality: the blocks of
    ``chunk`` consecutive ids come in random order (:func:`permutation` of
    the blocks), each shuffled inside (:func:`shuffle_prefix`), block after
    block."""
    count = (n + chunk - 1) // chunk
    blocks = permutation(state, count)
    order = np.empty(n, np.int64)
    q = 0
    for i in range(count):
        a = blocks[i] * chunk
        m = min(a + chunk, n) - a
        for j in range(m):
            order[q + j] = a + j
        shuffle_prefix(order[q:q + m], m, state)
        q += m
    return order


@njit(cache=True)
def permutation(state, n):
    """A uniformly random permutation of 0..n-1 (Fisher-Yates)."""
    # np.arange, not an empty array and a fill loop as in mt_shuffle_order:
    # measured 10-15% faster here, and this runs at every coarsening level
    order = np.arange(n)
    shuffle_prefix(order, n, state)
    return order
