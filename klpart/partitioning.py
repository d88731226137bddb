"""``klpart.partition``: multilevel graph partitioning and its result.

(The module is not called ``partition``: importing a submodule of that name
would shadow the function in the ``klpart`` namespace.)
"""

import math
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

from . import _check
from ._rng import kernel_state
from ._timing import PhaseClock
from .config import PartitionConfig, preset as _preset
from .convert import as_csr_graph

__all__ = ["partition", "PartitionResult"]


@dataclass(eq=False)
class PartitionResult:
    """A partition of a graph's nodes into ``k`` blocks.

    Attributes
    ----------
    labels : ndarray of int64
        Block (0 .. k-1) of each node, in the graph's node order (``list(G)``
        for NetworkX input, row order for matrices).
    k : int
    cut : int or float
        Total weight of the edges between different blocks (self-loops never
        count).
    block_weights : list
        Total node weight of each block.
    max_block_weights : list
        The balance bound of each block: ``(1 + imbalance) * ceil(total / k)``
        (rounded down for integer node weights), or ``(1 + imbalance) *
        target_i`` with target weights.
    imbalance : float
        ``max_i block_weight_i / target_i - 1`` where ``target_i`` is
        ``total / k`` or the given target weight.
    balanced : bool
        Every block within its bound.
    components_per_block : list of int
        Connected components of the subgraph induced by each block
        (computed when first read).
    history : list of dict
        One entry per level (and V-cycle): ``cycle``, ``level`` (0 = the input
        graph), ``nodes``, ``edges``, the ``cut`` after refinement there and
        ``passes``, the cut after each FM pass at that level.
    timings : dict
        Seconds per phase of the call: ``"validation"`` (argument checks),
        ``"conversion"`` (input to :class:`CSRGraph`), ``"components"`` (finding connected pieces),
        ``"coarsening"``, ``"initial"`` (partition of the coarsest graph),
        ``"refinement"`` (FM over all levels), ``"local_fm"`` and ``"flows"``
        (when the config runs them), ``"balance"`` (the final balance check
        and repair), ``"anytime"`` (with a ``time_limit``), ``"result"`` (this
        object's statistics) and ``"total"``, the wall time of the whole
        call.  The phases sum to nearly the total; what is left is
        validation and bookkeeping.
    """

    labels: np.ndarray
    k: int
    cut: object
    block_weights: list
    max_block_weights: list
    imbalance: float
    history: list = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    _nodes: list = field(default=None, repr=False)
    _graph: object = field(default=None, repr=False)
    _components: list = field(default=None, repr=False)

    @property
    def components_per_block(self):
        """Connected components of the subgraph induced by each block
        (computed on first access: a graph traversal a caller may not need)."""
        if self._components is None:
            from .metrics import components_per_block

            self._components = components_per_block(self._graph, self.labels, k=self.k)
        return self._components

    @property
    def balanced(self):
        """True when every block weighs at most its bound."""
        return all(w <= m for w, m in zip(self.block_weights, self.max_block_weights))

    @property
    def blocks(self):
        """The blocks as a list of sets of nodes (NetworkX community style)."""
        nodes = self._nodes if self._nodes is not None else range(len(self.labels))
        out = [set() for _ in range(self.k)]
        for u, b in zip(nodes, self.labels.tolist()):
            out[b].add(u)
        return out

    def __repr__(self):
        return (
            f"PartitionResult(k={self.k}, cut={self.cut}, imbalance={self.imbalance:.4f}, "
            f"block_weights={self.block_weights})"
        )


def partition(
    G,
    k=2,
    *,
    imbalance=0.03,
    weight="weight",
    node_weight=None,
    target_weights=None,
    preset="default",
    config=None,
    seed=0,
    time_limit=None,
    progress=False,
):
    """Partition a graph into ``k`` blocks of bounded weight with a small cut.

    Multilevel scheme: coarsen by heavy-edge matching, bisect the coarsest
    graph (best of several grown bisections), then project back level by
    level refining with Fiduccia-Mattheyses moves.

    Parameters
    ----------
    G : nx.Graph, nx.MultiGraph, scipy sparse matrix/array, CSRGraph, ...
        Undirected graph (anything :func:`klpart.as_csr_graph` accepts).
    k : int, default 2
        Number of blocks, 1 <= k <= number of nodes.
    imbalance : float, default 0.03
        Every block weighs at most ``(1 + imbalance) * ceil(total / k)``
        (or ``(1 + imbalance) * target_i``).
    weight : str, callable or None, default "weight"
        Edge weights (NetworkX rules; see :func:`klpart.as_csr_graph`).
    node_weight : str, array_like or None
        Node weights: attribute name, sequence in node order, or unit.
    target_weights : sequence of numbers, optional
        Desired weight of each block: absolute weights summing to the total
        node weight, or fractions summing to 1.
    preset : {"fast", "default", "strong"}
        Effort level (see :mod:`klpart.config`).
    config : PartitionConfig, optional
        Full settings; overrides ``preset``.
    seed : int, random.Random, numpy Generator or None, default 0
        Same seed, same partition, in every process.  The default is a
        fixed seed, so repeated calls agree (as METIS and KaHIP do);
        ``None`` draws fresh entropy, giving a different partition per call.
    time_limit : float, optional
        Anytime mode: keep improving the partition (V-cycles from the best,
        combines of good partitions, see :mod:`klpart.multilevel.anytime`)
        until this many seconds after the call started, and return the
        best found (never worse than without a limit; the limit is passed
        by at most one refinement step).  ``history`` then records
        ``{"phase": "anytime", "seconds": t, "cut": c}`` per improvement
        (see :func:`klpart.plot.anytime`).  ``None``: one deterministic run.
    progress : bool, default False
        With ``time_limit``, show a tqdm bar of the time used and the best
        cut so far.

    Returns
    -------
    PartitionResult

    Raises
    ------
    ValueError
        For k < 1 or k > n, a negative imbalance, target weights of the wrong
        length or sum, or a node heavier than every block's bound.

    Examples
    --------
    >>> import networkx as nx
    >>> import klpart
    >>> G = nx.grid_2d_graph(20, 20)
    >>> res = klpart.partition(G, 2, seed=0)
    >>> res.cut, res.balanced
    (20, True)
    >>> sorted(len(b) for b in res.blocks)
    [200, 200]

    References
    ----------
    .. [1] G. Karypis and V. Kumar, "A fast and high quality multilevel scheme
       for partitioning irregular graphs", SIAM J. Sci. Comput. 20 (1998).
    .. [2] C. M. Fiduccia and R. M. Mattheyses, "A linear-time heuristic for
       improving network partitions", 19th Design Automation Conf. (1982).
    """
    from .multilevel.anytime import check_time_limit, improve
    from .multilevel.components import component_partition
    from .multilevel.balance import explain_imbalance, fill_empty_blocks, rebalance

    started = time.perf_counter()
    clock = PhaseClock()
    with clock("validation"):
        cfg = _resolve_config(preset, config)
        limit = check_time_limit(time_limit)
    with clock("conversion"):
        g = as_csr_graph(G, weight=weight, node_weight=node_weight)
    with clock("validation"):
        n = g.num_nodes
        k = _check.check_k(k, n)
        eps = _check.check_imbalance(imbalance)
        total = g.total_node_weight
        targets = _check.check_targets(target_weights, k, total)
        integral = g.node_weights.dtype.kind == "i"
        bounds = _check.block_bounds(eps, targets, k, total, integral, target_weights is None)
        heaviest = g.node_weights.max().item() if n else 0
        if n and heaviest > max(bounds):
            u = int(np.argmax(g.node_weights))
            raise ValueError(
                f"node {list(g.labels())[u]!r} weighs {heaviest}, more than any block may weigh "
                f"({max(bounds)}); raise imbalance or the target weights"
            )

        state = kernel_state(seed)

    history = []
    if k == 1:
        labels = np.zeros(n, np.int64)
    else:
        labels = component_partition(g, k, targets, bounds, eps, cfg, state, history, clock)
    with clock("balance"):
        # the greedy scheme can miss balance or leave a block empty
        rebalance(g, labels, k, bounds, state)
        fill_empty_blocks(g, labels, k, bounds)
    if limit is not None and k > 1:
        with clock("anytime"):
            labels = improve(g, labels, k, targets, bounds, eps, cfg, state, started + limit, started, history,
                             progress)
            fill_empty_blocks(g, labels, k, bounds)
    with clock("result"):
        result = _result(g, labels, k, targets, bounds, history)
    result.timings = dict(clock.seconds, total=time.perf_counter() - started)
    if not result.balanced:
        warnings.warn(
            f"could not meet the balance bound: block weights {result.block_weights}, bounds "
            f"{result.max_block_weights}: {explain_imbalance(g, k, bounds)}; the result is the "
            "best found",
            RuntimeWarning,
            stacklevel=2,
        )
    return result


def _resolve_config(preset, config):
    if config is not None:
        if not isinstance(config, PartitionConfig):
            raise TypeError(f"config must be a PartitionConfig, got {type(config).__name__}")
        return config
    return _preset(preset)


def _cut_of_labels(g, labels):
    """The cut of a labelling as a Python int (integer weights) or float."""
    from ._kernels.kway import kway_cut

    cut = kway_cut(g.indptr, g.indices, g.edge_weights, np.asarray(labels, np.int64))
    return int(round(cut)) if g.edge_weights.dtype.kind == "i" else float(cut)


def _result(g, labels, k, targets, bounds, history):
    block_weights = np.bincount(labels, weights=g.node_weights, minlength=k)
    if g.node_weights.dtype.kind == "i":
        block_weights = block_weights.round().astype(np.int64)
    cut = _cut_of_labels(g, labels)
    ratios = [w / t if t > 0 else (math.inf if w > 0 else 0.0) for w, t in zip(block_weights.tolist(), targets)]
    return PartitionResult(
        labels=labels,
        k=k,
        cut=cut,
        block_weights=block_weights.tolist(),
        max_block_weights=list(bounds),
        imbalance=max(ratios) - 1 if ratios else 0.0,
        history=history,
        _nodes=g.nodes,
        _graph=g,
    )
