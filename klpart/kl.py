"""The Kernighan-Lin pass driver shared by the NetworkX drop-in, the backend
and ``kl_trace``: chooses the priority structure and runs the passes of
:mod:`klpart._kernels.kl`."""

import numpy as np

__all__ = ["kl_refine", "KLTieBreak"]

KLTieBreak = ("lifo", "fifo", "networkx")


def _bucket_bound(indptr, weights):
    """Gain bound for gain buckets, or -1 when a heap is the better structure.

    Buckets cost O(bound) memory and set-up per pass, so they are used for
    integer weights whose largest weighted degree is within a small multiple
    of the graph size.
    """
    from ._kernels.kl import max_weighted_degree

    if weights.dtype.kind != "i":
        return -1
    bound = int(max_weighted_degree(indptr, weights))
    n = indptr.shape[0] - 1
    return bound if 2 * bound + 1 <= 4 * n + 1024 else -1


def kl_refine(indptr, indices, weights, side, max_iter=10, tie_break="lifo", structure="auto"):
    """Run up to ``max_iter`` NetworkX-style KL passes on ``side`` in place.

    Parameters
    ----------
    indptr, indices, weights : ndarray
        CSR arrays (int64, int32, int64 or float64), no self-loops.
    side : ndarray of int8
        1 for the first set of the partition, 0 for the second; updated.
    max_iter : int
        Maximum number of passes.
    tie_break : {"lifo", "fifo", "networkx"}
        Among equal gains prefer the node updated most recently ("lifo") or
        least recently ("fifo"); "networkx" replays NetworkX's heap exactly
        (same moves, same result as ``nx.community.kernighan_lin_bisection``).
    structure : {"auto", "buckets", "heap"}
        Priority structure for "lifo" and "fifo"; "auto" takes buckets for
        integer weights.

    Returns
    -------
    ndarray
        Cut change applied by each pass run (0 for a final pass that found
        nothing to improve).
    """
    from ._kernels.kl import kl_passes

    if tie_break not in KLTieBreak:
        raise ValueError(f"tie_break must be one of {KLTieBreak}, got {tie_break!r}")
    # NetworkX's replay never uses buckets: skip the bound (and its kernel)
    skip = structure == "heap" or (tie_break == "networkx" and structure == "auto")
    bound = -1 if skip else _bucket_bound(indptr, weights)
    if structure == "buckets" and bound < 0:
        raise ValueError("gain buckets need integer weights of moderate size")
    kind = 2 if tie_break == "networkx" else (0 if bound >= 0 else 1)
    max_iter = int(max_iter)
    history = np.zeros(max(max_iter, 0), weights.dtype)
    if max_iter <= 0:
        return history
    passes = kl_passes(
        indptr, indices, weights, side, max_iter, kind, tie_break == "lifo", bound, history
    )
    return history[:passes]
