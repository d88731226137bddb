"""Seeds: NetworkX semantics at the API, one integer for the kernels.

NetworkX accepts ``None``, an int, a ``random.Random``, a NumPy ``Generator``
or ``RandomState`` (and the ``random`` / ``numpy.random`` modules, meaning
their global generators).  klpart accepts the same, with one deliberate
difference: ``None`` draws fresh entropy from a private generator instead of
advancing the global ``random`` state, so calling klpart never changes the
random numbers the rest of a program sees.
"""

import random
import secrets

__all__ = ["python_random", "kernel_seed", "shuffled_order", "kernel_state"]

_SEED_MASK = (1 << 63) - 1


def python_random(seed):
    """A ``random.Random``-like object, as ``nx.utils.create_py_random_state``
    builds it, except that ``None`` gives a fresh private generator.

    Raises ``ValueError`` (NetworkX's exception) for anything else.
    """
    if seed is None:
        return random.Random(secrets.randbits(64))
    if isinstance(seed, random.Random):
        return seed
    if isinstance(seed, int) and not isinstance(seed, bool):
        return random.Random(seed)
    from networkx.utils import create_py_random_state

    return create_py_random_state(seed)


def kernel_seed(seed):
    """Turn a NetworkX-style seed into a non-negative 63-bit integer.

    An int maps to itself (modulo 2**63), so ``seed=3`` means the same
    partition in every process; a generator object is advanced by one draw.

    Examples
    --------
    >>> from klpart._rng import kernel_seed
    >>> kernel_seed(7)
    7
    """
    if seed is None:
        return secrets.randbits(63)
    if isinstance(seed, int) and not isinstance(seed, bool):
        return seed & _SEED_MASK
    if isinstance(seed, random.Random):
        return seed.getrandbits(63)
    import numpy as np

    if isinstance(seed, np.integer):
        return int(seed) & _SEED_MASK
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, _SEED_MASK, dtype=np.int64))
    if isinstance(seed, np.random.RandomState):
        return int(seed.randint(0, _SEED_MASK, dtype=np.int64))
    return python_random(seed).getrandbits(63)


def shuffled_order(n, rng):
    """``list(range(n))`` shuffled by ``rng.shuffle``, as an int64 array.

    For a plain ``random.Random`` the shuffle runs in compiled code that
    replays CPython's algorithm and leaves ``rng`` in exactly the state
    ``rng.shuffle`` would; other generators (NumPy-backed wrappers) shuffle
    in Python.
    """
    import numpy as np

    if type(rng) is random.Random and n < 2**32:
        from ._kernels.rng import mt_shuffle_order

        version, internal, gauss = rng.getstate()
        mt = np.array(internal[:-1], dtype=np.uint32)
        pos = np.array([internal[-1]], dtype=np.int64)
        order = mt_shuffle_order(mt, pos, n)
        rng.setstate((version, tuple(mt.tolist()) + (int(pos[0]),), gauss))
        return order
    order = list(range(n))
    rng.shuffle(order)
    return np.asarray(order, dtype=np.int64)


def kernel_state(seed):
    """A fresh uint64[1] state for the kernels' generator (see
    :mod:`klpart._kernels.rng`) from a NetworkX-style seed."""
    import numpy as np

    return np.array([kernel_seed(seed)], dtype=np.uint64)
