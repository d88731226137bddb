"""Look inside a Kernighan-Lin run: every pass, every move, the best prefix.

:func:`kl_trace` runs the same passes as :func:`klpart.kernighan_lin_bisection`
(same start for the same seed, same moves) and records them, for teaching and
for :func:`klpart.plot.gain_curve`.  The drop-in itself returns only the two
sets, exactly like NetworkX.
"""

from dataclasses import dataclass, field

import numpy as np

__all__ = ["kl_trace", "KLTrace", "KLPass"]


@dataclass
class KLPass:
    """One KL pass.

    Attributes
    ----------
    pairs : list of tuple
        ``(u, v)`` per step: u left the second set, v left the first set
        (NetworkX's order of moves).
    running : ndarray
        Change of the cut after each step (negative = better).
    best : int
        Number of steps kept (0: the pass changed nothing and KL stopped).
    cut_before, cut_after : number
        Cut at the start and at the end of the pass.
    """

    pairs: list
    running: np.ndarray
    best: int
    cut_before: object
    cut_after: object

    @property
    def gains(self):
        """Cut reduction of each single step (``-diff(running)``)."""
        return -np.diff(np.concatenate([[0], self.running]))


@dataclass
class KLTrace:
    """All passes of a KL run and the resulting partition."""

    passes: list = field(default_factory=list)
    partition: tuple = (set(), set())

    @property
    def cuts(self):
        """Cut before the first pass and after each pass."""
        return [self.passes[0].cut_before] + [p.cut_after for p in self.passes] if self.passes else []


def kl_trace(G, partition=None, max_iter=10, weight="weight", seed=None, tie_break="lifo"):
    """Run Kernighan-Lin like :func:`klpart.kernighan_lin_bisection` and record it.

    Parameters are those of :func:`klpart.kernighan_lin_bisection`, plus
    ``tie_break`` (``"lifo"``: klpart's rule, ``"networkx"``: NetworkX's heap
    order, which reproduces NetworkX's run move for move).

    Returns
    -------
    KLTrace
        ``passes`` (one :class:`KLPass` each, including the last one that
        found nothing) and ``partition`` (the same two sets the drop-in
        returns).

    Examples
    --------
    >>> import networkx as nx
    >>> from klpart import kl_trace
    >>> t = kl_trace(nx.barbell_graph(4, 0), seed=3)
    >>> t.cuts[-1], len(t.passes[0].pairs)
    (1, 4)
    """
    from ._kernels.kway import kway_cut as cut_of
    from ._kernels.kl import kl_pass
    from .nx_api import two_sets, kl_inputs

    if tie_break not in ("lifo", "networkx"):
        raise ValueError(f"tie_break must be 'lifo' or 'networkx', got {tie_break!r}")
    nodes, side, indptr, indices, weights = kl_inputs(G, partition, weight, seed)

    def cut():
        value = cut_of(indptr, indices, weights, side)
        return int(round(value)) if weights.dtype.kind == "i" else float(value)

    n = len(nodes)
    half = n // 2 + 1
    moves0 = np.empty(half, np.int64)
    moves1 = np.empty(half, np.int64)
    running = np.zeros(half, weights.dtype)
    # the heap gives the same moves as the buckets for "lifo" (tested)
    structure = 1 if tie_break == "lifo" else 2
    trace = KLTrace()
    for _ in range(max(int(max_iter), 0)):
        before = cut()
        count, keep, _ = kl_pass(indptr, indices, weights, side, structure, True, -1, moves0, moves1, running)
        pairs = [(nodes[a], nodes[b]) for a, b in zip(moves0[:count].tolist(), moves1[:count].tolist())]
        trace.passes.append(KLPass(pairs, running[:count].copy(), keep, before, cut()))
        if keep == 0:
            break
    trace.partition = two_sets(nodes, side)
    return trace
