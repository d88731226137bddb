"""``klpart.warmup()``: pay the kernels' compile (or cache-load) cost up front."""

__all__ = ["warmup"]


def warmup():
    """Compile, or load from Numba's on-disk cache, the kernels of the main
    entry points: the KL drop-in and :func:`klpart.partition` for two and
    for more blocks.

    The first call in a new environment compiles (tens of seconds, once per
    installation); later processes load the cached machine code (about a
    second).  A service calls this at start-up so that no request pays it.

    Returns
    -------
    None

    Examples
    --------
    >>> import klpart
    >>> klpart.warmup()
    """
    from .datasets import grid_graph
    from .nx_api import kernighan_lin_bisection
    from .partitioning import partition

    g = grid_graph(12, 12)
    kernighan_lin_bisection(g, seed=0)
    for k in (2, 3):
        partition(g, k, seed=0)
