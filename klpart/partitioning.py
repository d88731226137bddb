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

__all__ = ["partition", "repartition", "PartitionResult"]


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
        Total node weight of each block (with several balance constraints,
        a list per block with its weight on each).
    max_block_weights : list
        The balance bound of each block (per constraint likewise): ``(1 + imbalance) * ceil(total / k)``
        (rounded down for integer node weights), or ``(1 + imbalance) *
        target_i`` with target weights.
    imbalance : float
        ``max_i block_weight_i / target_i - 1`` where ``target_i`` is
        ``total / k`` or the given target weight.
    balanced : bool
        Every block within its bound.
    volume : int
        Total communication volume (computed when first read).
    moved, migrated : int, float or None
        Set by :func:`repartition`: nodes whose block changed, and the sum
        of their sizes.
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
    moved: int = None
    migrated: float = None
    _nodes: list = field(default=None, repr=False)
    _graph: object = field(default=None, repr=False)
    _components: list = field(default=None, repr=False)

    @property
    def nodes(self):
        """The node labels of the partitioned graph in label order (None
        when it had none: row numbers)."""
        return self._nodes

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
        """True when every block weighs at most its bound (on every
        constraint)."""
        return bool(np.all(np.asarray(self.block_weights) <= np.asarray(self.max_block_weights)))

    @property
    def volume(self):
        """Total communication volume: per node, the number of other blocks
        among its neighbours, summed (unit node sizes)."""
        from .metrics import communication_volume

        return communication_volume(self._graph, self.labels, k=self.k)

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
    contiguous=False,
    fixed=None,
    objective="cut",
    node_size=None,
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
    imbalance : float or sequence of float, default 0.03
        Every block weighs at most ``(1 + imbalance) * ceil(total / k)``
        (or ``(1 + imbalance) * target_i``).  With several balance
        constraints, one value per constraint (METIS ``ubvec``) or one for
        all.
    weight : str, callable or None, default "weight"
        Edge weights (NetworkX rules; see :func:`klpart.as_csr_graph`).
    node_weight : str, array_like, list or None
        Node weights: attribute name, sequence in node order, or unit.
        Several balance constraints (METIS ``ncon``): a list of attribute
        names, a list of weight sequences or an ``(n, c)`` array; every
        block is then within its bound on every constraint.
    target_weights : sequence of numbers, optional
        Desired weight of each block: absolute weights summing to the total
        node weight, or fractions summing to 1 (with several constraints:
        fractions, the same for every constraint).
    contiguous : bool, default False
        Every block induces a connected subgraph (METIS ``contig``); the
        graph must be connected.
    fixed : dict or array_like, optional
        Pinned nodes: a dict node -> block, or a sequence in node order with
        a block id per pinned node and -1 (or None) for free ones.  Pinned
        nodes end in their block; the rest is optimised around them.
    objective : {"cut", "volume"}, default "cut"
        What to minimise: the edge cut, or the total communication volume
        (METIS ``objtype=vol``: per node, ``node_size`` times the number of
        other blocks among its neighbours).
    node_size : str, array_like or None
        Data size of each node for the volume objective (METIS ``vsize``);
        unit sizes by default.
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
        length or sum, a node heavier than every block's bound, pinned nodes
        that alone overload their block, ``contiguous=True`` on a
        disconnected graph, or an unknown objective.

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

    started = time.perf_counter()
    clock = PhaseClock()
    with clock("validation"):
        cfg = _resolve_config(preset, config)
        limit = check_time_limit(time_limit)
        _check.check_objective(objective)
        if not isinstance(contiguous, (bool, np.bool_)):
            raise TypeError(f"contiguous must be True or False, got {contiguous!r}")
    g, weights = _convert(G, weight, node_weight, clock)
    with clock("validation"):
        k = _check.check_k(k, g.num_nodes)
        problem = _Problem(g, k, imbalance, target_weights, weights)
        problem.heaviest_node_fits()
        cons = problem.constraints(G, fixed, bool(contiguous), objective, node_size)
        if cons is not None and limit is not None:
            raise ValueError("time_limit does not combine with contiguous, fixed, several node weights or "
                             "objective='volume' yet; leave it out")
        state = kernel_state(seed)
    history = []
    hook = None
    if cons is not None and cons.contiguous and k > 1:
        from .multilevel.constraints import contiguity_hook

        hook = contiguity_hook(k, problem.bounds, cfg, state)
    labels = _partition_labels(problem, cfg, state, history, clock, hook)
    if limit is not None and k > 1:
        with clock("anytime"):
            labels = improve(g, labels, k, problem.targets, problem.bounds, problem.eps, cfg, state, started + limit,
                             started, history, progress)
            _fill_empty(problem, labels)
    if cons is not None and k > 1:
        from .multilevel.constraints import constrained_partition

        labels = constrained_partition(g, k, cons, labels, cfg, state, history, clock)
    return _finish(problem, labels, history, clock, started, cons)


def repartition(
    G,
    old_labels,
    k=None,
    *,
    imbalance=0.03,
    weight="weight",
    node_weight=None,
    target_weights=None,
    migration_cost=1.0,
    node_size=None,
    contiguous=False,
    fixed=None,
    objective="cut",
    preset="default",
    config=None,
    seed=0,
):
    """A new balanced partition close to ``old_labels`` (adaptive repartitioning).

    After node weights or edges change (adaptive meshes, load balancing in
    time-stepping codes), the old partition is out of balance.  A fresh
    :func:`partition` would balance it too, but moves most nodes to other
    blocks; ``repartition`` starts from the old blocks and minimises
    ``cut + migration_cost * (size of the nodes that change block)``
    under the balance bound (as ParMETIS's adaptive repartitioning trades
    communication against redistribution).

    Parameters
    ----------
    G : graph
        The graph as it is now (anything :func:`partition` accepts).
    old_labels : array_like of int
        Block of every node in the old partition, in node order.
    k : int, optional
        Number of blocks; ``max(old_labels) + 1`` by default.
    imbalance, weight, node_weight, target_weights, contiguous, fixed, objective, preset, config, seed
        As in :func:`partition`.
    migration_cost : float, default 1.0
        Cost of moving one unit of node size to another block, in units of
        edge weight (or of communication volume with
        ``objective="volume"``): 0 ignores migration, large values move
        only what balance requires.
    node_size : str, array_like or None
        Data size of each node (ParMETIS ``vsize``): what a move migrates
        and, with ``objective="volume"``, what a node sends.  Unit sizes by
        default.

    Returns
    -------
    PartitionResult
        Its ``moved`` attribute counts the nodes whose block changed and
        ``migrated`` sums their sizes.

    Examples
    --------
    Node weights change on one half of a grid; the new partition moves few
    nodes:

    >>> import networkx as nx
    >>> import numpy as np
    >>> import klpart
    >>> G = nx.grid_2d_graph(30, 30)
    >>> old = klpart.partition(G, 4).labels
    >>> w = np.where(np.arange(900) < 450, 2, 1)
    >>> res = klpart.repartition(G, old, node_weight=w)
    >>> res.balanced, res.moved < 300
    (True, True)
    """
    started = time.perf_counter()
    clock = PhaseClock()
    with clock("validation"):
        cfg = _resolve_config(preset, config)
        _check.check_objective(objective)
        if not _check.is_real(migration_cost) or not (0 <= float(migration_cost) < math.inf):
            raise ValueError(f"migration_cost must be a finite number >= 0, got {migration_cost!r}")
        if not isinstance(contiguous, (bool, np.bool_)):
            raise TypeError(f"contiguous must be True or False, got {contiguous!r}")
    g, weights = _convert(G, weight, node_weight, clock)
    with clock("validation"):
        n = g.num_nodes
        old = _check.check_labels(old_labels, n, name="old_labels")
        if k is None:
            k = int(old.max()) + 1 if n else 1
        k = _check.check_k(k, n)
        old = _check.check_labels(old, n, k, name="old_labels")
        problem = _Problem(g, k, imbalance, target_weights, weights)
        problem.heaviest_node_fits()
        cons = problem.constraints(G, fixed, bool(contiguous), objective, node_size, force=True)
        cons.old_labels = old
        cons.migration_cost = float(migration_cost)
        state = kernel_state(seed)
    history = []
    if k == 1:
        labels = np.zeros(n, np.int64)
    else:
        from .multilevel.constraints import constrained_partition

        labels = constrained_partition(g, k, cons, old, cfg, state, history, clock)
    result = _finish(problem, labels, history, clock, started, cons)
    result.moved = int(np.count_nonzero(labels != old))
    result.migrated = float(cons.sizes[labels != old].sum())
    return result


def _convert(G, weight, node_weight, clock):
    """The CSR graph and, for several balance constraints, the (n, c)
    weight matrix (the graph then carries their normalised sum)."""
    multi = _check.is_weight_matrix(node_weight)
    with clock("conversion"):
        g = as_csr_graph(G, weight=weight, node_weight=None if multi else node_weight)
    if not multi:
        return g, None
    with clock("validation"):
        weights = _check.node_weight_matrix(node_weight, G, g.labels())
    if weights.shape[1] == 1:
        column = _check.node_weight_array(weights[:, 0], g.labels())
        return _with_node_weights(g, column), None
    totals = weights.sum(axis=0)
    combined = (weights / np.where(totals > 0, totals, 1.0)).sum(axis=1)
    return _with_node_weights(g, combined), weights


def _with_node_weights(g, node_weights):
    from .graph import CSRGraph

    return CSRGraph(g.indptr, g.indices, g.edge_weights, node_weights, loop_weights=g.loop_weights, nodes=g.nodes,
                    validate=False)


class _Problem:
    """The balance side of a call: targets and bounds per constraint."""

    def __init__(self, g, k, imbalance, target_weights, weights):
        self.g, self.k, self.weights = g, k, weights
        count = 1 if weights is None else weights.shape[1]
        self.eps_all = _check.check_imbalances(imbalance, count)
        self.eps = min(self.eps_all)
        total = g.total_node_weight
        self.targets = _check.check_targets(target_weights, k, total)
        integral = g.node_weights.dtype.kind == "i"
        self.bounds = _check.block_bounds(self.eps, self.targets, k, total, integral, target_weights is None)
        if weights is None:
            self.bound_matrix = np.asarray(self.bounds, np.float64).reshape(k, 1)
            return
        fractions = [t / total if total > 0 else 1.0 / k for t in self.targets]
        columns = []
        for j, eps in enumerate(self.eps_all):
            col = weights[:, j]
            tot = float(col.sum())
            col_integral = bool(np.array_equal(col, np.floor(col)))
            columns.append(_check.block_bounds(eps, [f * tot for f in fractions], k, tot, col_integral,
                                               target_weights is None))
        self.bound_matrix = np.asarray(columns, np.float64).T.copy()

    def heaviest_node_fits(self):
        g = self.g
        if not g.num_nodes:
            return
        w = self.weights if self.weights is not None else g.node_weights.reshape(-1, 1).astype(np.float64)
        over = w > self.bound_matrix.max(axis=0)
        if over.any():
            u, j = (int(x) for x in np.argwhere(over)[0])
            which = f" on constraint {j}" if self.weights is not None else ""
            value = w[u, j].item() if self.weights is not None else g.node_weights[u].item()
            raise ValueError(
                f"node {list(g.labels())[u]!r} weighs {value}{which}, more than any block may weigh "
                f"({self.bound_matrix[:, j].max().item():g}); raise imbalance or the target weights"
            )

    def constraints(self, G, fixed, contiguous, objective, node_size, force=False):
        """The :class:`Constraints` of the call, or None for a plain one."""
        from .multilevel.constraints import Constraints

        g, k = self.g, self.k
        nodes = g.labels()
        pins = None if fixed is None else _check.check_fixed(fixed, nodes, k)
        sizes = _check.node_size_array(node_size, G, nodes) if (node_size is not None or objective == "volume"
                                                                   or force) else None
        if not (force or contiguous or pins is not None or self.weights is not None or objective != "cut"):
            return None
        weights = self.weights if self.weights is not None else g.node_weights.astype(np.float64).reshape(-1, 1)
        if pins is not None:
            pinned = pins >= 0
            for j in range(weights.shape[1]):
                load = np.bincount(pins[pinned], weights=weights[pinned, j], minlength=k)
                over = np.flatnonzero(load > self.bound_matrix[:, j] * (1 + 1e-12))
                if over.size:
                    b = int(over[0])
                    which = f" on constraint {j}" if weights.shape[1] > 1 else ""
                    raise ValueError(
                        f"fixed: the nodes pinned to block {b} weigh {load[b]:g}{which}, more than its bound "
                        f"{self.bound_matrix[b, j]:g}; pin fewer nodes there or raise imbalance"
                    )
        if contiguous and k > 1 and g.num_nodes:
            from ._kernels.ordering import components

            count, _ = components(g.indptr, g.indices)
            if count > 1:
                raise ValueError(
                    f"contiguous=True needs a connected graph, and this one has {count} connected components "
                    "(a block cannot span two of them); partition the components separately"
                )
        return Constraints(
            weights=np.ascontiguousarray(weights, np.float64),
            max_block_weights=self.bound_matrix,
            fixed=pins,
            contiguous=contiguous,
            objective=objective,
            sizes=sizes if sizes is not None else np.ones(g.num_nodes, np.float64),
        )


def _partition_labels(problem, cfg, state, history, clock, level_hook=None):
    """The unconstrained multilevel partition (component-aware), balanced."""
    from .multilevel.balance import rebalance
    from .multilevel.components import component_partition

    g, k = problem.g, problem.k
    if k == 1:
        return np.zeros(g.num_nodes, np.int64)
    labels = component_partition(g, k, problem.targets, problem.bounds, problem.eps, cfg, state, history, clock,
                                 level_hook)
    with clock("balance"):
        # the greedy scheme can miss balance or leave a block empty
        rebalance(g, labels, k, problem.bounds, state)
        _fill_empty(problem, labels)
    return labels


def _fill_empty(problem, labels):
    from .multilevel.balance import fill_empty_blocks

    fill_empty_blocks(problem.g, labels, problem.k, problem.bounds)


def _finish(problem, labels, history, clock, started, cons):
    """The result object, its timings and the warnings a user must see."""
    from .multilevel.balance import explain_imbalance

    g, k = problem.g, problem.k
    with clock("result"):
        result = _result(g, labels, k, problem.targets, problem.bounds, history, problem.weights,
                         problem.bound_matrix)
    result.timings = dict(clock.seconds, total=time.perf_counter() - started)
    if not result.balanced:
        detail = explain_imbalance(g, k, problem.bounds) if problem.weights is None else "several constraints"
        warnings.warn(
            f"could not meet the balance bound: block weights {result.block_weights}, bounds "
            f"{result.max_block_weights}: {detail}; the result is the best found",
            RuntimeWarning,
            stacklevel=3,
        )
    if cons is not None and cons.contiguous and k > 1 and max(result.components_per_block) > 1:
        warnings.warn(
            f"could not make every block connected (components per block: {result.components_per_block}); "
            "pinned nodes of one block in separate places can force this",
            RuntimeWarning,
            stacklevel=3,
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


def _result(g, labels, k, targets, bounds, history, weights=None, bound_matrix=None):
    if weights is not None:
        # several constraints: per block a list with one weight per constraint
        per = np.stack([np.bincount(labels, weights=weights[:, j], minlength=k) for j in range(weights.shape[1])],
                       axis=1)
        totals = weights.sum(axis=0)
        fractions = np.asarray(targets, np.float64) / max(float(sum(targets)), 1e-300)
        ideal = fractions[:, None] * totals[None, :]
        ratio = np.where(ideal > 0, per / np.where(ideal > 0, ideal, 1), np.where(per > 0, math.inf, 0.0))
        as_number = [(lambda x: int(round(x))) if np.array_equal(weights[:, j], np.floor(weights[:, j])) else float
                     for j in range(weights.shape[1])]
        return PartitionResult(
            labels=labels,
            k=k,
            cut=_cut_of_labels(g, labels),
            block_weights=[[f(x) for f, x in zip(as_number, row)] for row in per.tolist()],
            max_block_weights=[[f(x) for f, x in zip(as_number, row)] for row in bound_matrix.tolist()],
            imbalance=float(ratio.max()) - 1 if ratio.size else 0.0,
            history=history,
            _nodes=g.nodes,
            _graph=g,
        )
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
