"""Settings of the multilevel partitioner: one frozen dataclass per phase.

Presets are deltas of :data:`DEFAULT` made with ``dataclasses.replace`` (the
idea of KaMinPar's ``presets.cc``): reading a preset tells you exactly what
it changes.  Values reach the kernels as arguments, never as globals (Numba
would freeze globals into its cached machine code).

Examples
--------
>>> from klpart.config import preset
>>> preset("strong").initial.tries > preset("default").initial.tries
True
>>> from dataclasses import replace
>>> cfg = replace(preset("default"), restarts=3)
>>> cfg.restarts
3
"""

from dataclasses import dataclass, field, replace

__all__ = [
    "CoarseningConfig",
    "InitialConfig",
    "RefinementConfig",
    "PartitionConfig",
    "DEFAULT",
    "PRESETS",
    "preset",
]


@dataclass(frozen=True)
class CoarseningConfig:
    """How the graph is shrunk.

    Attributes
    ----------
    algorithm : {"matching", "clustering"}
        Heavy-edge matching (pairs of nodes) or size-constrained label
        propagation clustering (groups of any size; shrinks irregular graphs
        faster).
    lp_iterations : int
        Sweeps of label propagation per level (clustering only).
    rating : {"expansion", "weight"}
        Edge rating of the matching: ``w^2 / (c(u) c(v))`` prefers heavy
        edges between light nodes (keeps coarse node weights even);
        ``"weight"`` is METIS's heavy-edge rating.
    contraction_limit : int
        A bisection stops coarsening once the graph has at most this many
        nodes per block.
    kway_contraction_limit : int
        The same for more than two blocks, the bisections of their initial
        partition included (see :meth:`coarsest_size`).
    min_shrink : float
        Stop when a level keeps more than this fraction of its nodes.
    max_node_weight_factor : float
        A coarse node may weigh at most ``factor * total / limit``: keeps the
        coarsest graph balanceable.
    two_hop : bool
        Pair leftover single nodes that share a neighbour when a matching
        shrinks the graph too little (star-like graphs).
    """

    algorithm: str = "matching"
    lp_iterations: int = 5
    rating: str = "expansion"
    contraction_limit: int = 80
    # 64, not 80: the k-way initial partition (recursive bisection of the
    # coarsest graph) is a third to a half of a k = 16 run.  README run,
    # 80 -> 64: k = 16 time 2.43 -> 2.22x METIS's (fast 2.00 -> 1.69x) and
    # k = 4 1.91 -> 1.80x (fast 1.59 -> 1.45x), cuts within 0.5%; at k = 64
    # it saved 1-2% and the cut rose 0.6% (fast 0.8%): 5 of the 14 dev
    # graphs have under 64 * 80 nodes, so their coarsest graph is nearly
    # the input either way.  Bisections keep 80: there it saved nothing in the fast
    # preset and its k = 2 cut rose 1.6%
    kway_contraction_limit: int = 64
    min_shrink: float = 0.95
    max_node_weight_factor: float = 1.5
    two_hop: bool = True

    def __post_init__(self):
        from ._check import check_config

        check_config(self, "coarsening")

    def coarsest_size(self, k):
        """Nodes the coarsest graph of a ``k``-block partition may have.

        >>> CoarseningConfig().coarsest_size(2), CoarseningConfig().coarsest_size(16)
        (160, 1024)
        """
        return (self.contraction_limit if k <= 2 else self.kway_contraction_limit) * k


@dataclass(frozen=True)
class InitialConfig:
    """Bisection of the coarsest graph: best of ``tries`` grown bisections,
    each refined by up to ``fm_passes`` FM passes."""

    tries: int = 4
    fm_passes: int = 8
    stall_limit: int = 50

    def __post_init__(self):
        from ._check import check_config

        check_config(self, "initial")


@dataclass(frozen=True)
class RefinementConfig:
    """Refinement at every level while uncoarsening.

    Attributes
    ----------
    algorithm : {"fm", "kl"}
        ``"fm"``: boundary FM with rollback; ``"kl"``: NetworkX-style KL
        pair passes (keep node counts per side), followed by FM for balance.
    max_passes : int
        Passes per level (each stops early when it finds nothing).
    stall_limit : int
        Moves without improvement before a pass gives up.
    coarse_stall_limit : int
        Two-way FM on a level of n nodes gives up after
        ``max(coarse_stall_limit, n // 100)`` moves without improvement (at
        most ``stall_limit``): on coarse levels, where ``stall_limit``
        reaches most of the graph, a pass stops once its search is lost, as
        METIS scales its limit with the level.  0 = always ``stall_limit``.
    local_rounds : int
        Rounds of localized FM on the input graph after the global passes
        (many short searches seeded at boundary nodes; 0 = off).
    local_stall_limit : int
        Moves without improvement before a localized search gives up.
    flow_rounds : int
        Bisection only: rounds of flow-based refinement (a minimum s-t cut in
        a corridor around the cut) on the input graph; 0 = off.
    kway_flow_rounds : int
        More than two blocks: rounds of flow refinement between each pair
        of adjacent blocks (the bisection flow step on the subgraph the two
        induce) on the input graph; 0 = off.
    pieces_flow_rounds : int
        A graph in pieces whose largest components had to be split: after
        the whole components are packed around them, flow refinement
        between every two adjacent blocks of the whole graph, up to this
        many rounds per pair (a pair stops at the first round that finds
        nothing); 0 = off.  The cut of such a graph lies all in its split
        components, whose partitions were made before the packing settled
        the room each block has left.  Skipped when the whole components
        weigh less than the imbalance slack (a mesh and a few isolated
        nodes): the rooms are then what the split saw.
    flow_alpha : float
        Initial corridor size, in units of the balance slack: 1 keeps every
        re-split feasible, larger corridors find more and are shrunk when
        their best cut breaks the bound.
    flow_depth : int
        The corridor reaches at most this many hops from the cut (0: no
        limit); keeps flows cheap on large graphs, where the slack alone
        would allow corridors of hundreds of thousands of nodes.
    """

    algorithm: str = "fm"
    max_passes: int = 4
    stall_limit: int = 100
    coarse_stall_limit: int = 25
    local_rounds: int = 1
    local_stall_limit: int = 20
    flow_rounds: int = 1
    kway_flow_rounds: int = 0
    pieces_flow_rounds: int = 8
    flow_alpha: float = 4.0
    flow_depth: int = 6

    def __post_init__(self):
        from ._check import check_config

        check_config(self, "refinement")


@dataclass(frozen=True)
class PartitionConfig:
    """Everything :func:`klpart.partition` does, phase by phase.

    Attributes
    ----------
    vcycles : int
        Extra V-cycles after the first: coarsen again keeping the current
        blocks apart, refine back up (the result never gets worse).
    restarts : int
        Independent multilevel runs (different random choices); the best
        result is kept.
    alternate_coarsening : bool
        Odd restarts use the other coarsening algorithm (matching <->
        clustering): each suits other graphs, the best restart keeps the
        better.
    debug : bool
        After every phase, recompute the cut and the block ids from the
        labels, and check contraction (total node weight, cuts of projected
        labellings), raising ``AssertionError`` on any mismatch.  Also on
        with the environment variable ``KLPART_DEBUG=1``.  Costs time.
    """

    coarsening: CoarseningConfig = field(default_factory=CoarseningConfig)
    initial: InitialConfig = field(default_factory=InitialConfig)
    refinement: RefinementConfig = field(default_factory=RefinementConfig)
    vcycles: int = 0
    restarts: int = 1
    alternate_coarsening: bool = False

    def __post_init__(self):
        from ._check import check_config

        check_config(self, "")
    debug: bool = False


DEFAULT = PartitionConfig()

PRESETS = {
    "fast": replace(
        DEFAULT,
        initial=replace(DEFAULT.initial, tries=4, fm_passes=4),
        # coarse_stall_limit=0: fast has no flows or localized FM to repair a
        # pass cut short (30x25 grid, 30 seeds: mean cut 27.5 -> 28.0 with 25)
        refinement=replace(DEFAULT.refinement, max_passes=3, stall_limit=50, coarse_stall_limit=0, local_rounds=0,
                           flow_rounds=0, pieces_flow_rounds=0),
    ),
    "default": DEFAULT,
    "strong": replace(
        DEFAULT,
        # the larger coarsest k-way graph: strong spends time on the cut
        coarsening=replace(DEFAULT.coarsening, kway_contraction_limit=80),
        initial=replace(DEFAULT.initial, tries=16),
        refinement=replace(
            DEFAULT.refinement,
            max_passes=10,
            stall_limit=200,
            coarse_stall_limit=0,
            local_rounds=4,
            local_stall_limit=50,
            flow_rounds=8,
            # k > 2: pairwise flows between adjacent blocks (dev graphs,
            # seeds 0-1: k=4 cut -0.95% at 1.33x time, k=16 -0.66% at 1.10x)
            kway_flow_rounds=8,
            flow_alpha=16.0,
            flow_depth=20,
        ),
        vcycles=1,
        restarts=3,
    ),
}


def preset(name):
    """The :class:`PartitionConfig` of a preset name ("fast", "default", "strong")."""
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; choose one of {sorted(PRESETS)}") from None
