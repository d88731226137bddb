"""klpart's constraints (issue 17) against METIS through pymetis.

Five experiments, each a section of the output with a per-graph table, its
geometric means and one PASS/FAIL line per target:

1. ``contiguous``: ``klpart.partition(contiguous=True)`` against METIS
   ``contig=1`` on the connected graphs (k = 4, 16, 64): cut and time
   ratios, the most connected components of any block of each tool.
2. ``volume``: ``objective="volume"`` against METIS ``objtype=vol``
   (k = 4, 16, 64): communication volume and time ratios, both cuts.
3. ``fixed``: ``fixed=pins`` against the forced route (an unconstrained
   partition with the pinned nodes then moved to their blocks, no repair),
   for 2% random pins and for k BFS regions of 0.5% of the nodes (k = 2, 8);
   METIS's forced route for context (METIS has no fixed nodes).
4. ``multi``: two balance constraints (column 0 = 1, column 1 = degree)
   against klpart with one (unit weights), k = 4, 16; METIS for context.
5. ``repartition``: ``klpart.repartition`` after 10% of the nodes get weight
   5, against a fresh partition with the new weights (k = 16, 4): nodes
   moved (after the best relabelling of the blocks), cuts, balance.

Protocol (``bench/README.md``): each tool runs once on a small mesh before
any timing (klpart's kernels compiled, METIS warm); inputs are converted once
outside the timed region (METIS gets ``pymetis.zero_copy_dtype()`` arrays
through ``anchors.Metis``, and every call runs with ``warn_on_copies=True``
and warnings as errors, so a copying call stops the run); the same imbalance
and seed for every tool; a time is the median of ``--repeats`` runs
(``common.timed``); per (graph, k) the figures are medians over the seeds and
ratios are taken between those medians from the same run.  Every figure is
computed here, from labels, by one function applied to every tool's labels.

A klpart feature that is not implemented yet (the warm-up call raises, e.g.
TypeError for an unknown keyword) is reported as "klpart: not available" and
its experiment still runs the METIS side.

    python bench/bench_constraints.py                          # everything, ~10 minutes
    python bench/bench_constraints.py --quick                  # 3 small graphs, smoke test
    python bench/bench_constraints.py --graphs 3elt,crack --experiments volume --k 4,16
    python bench/bench_constraints.py --generated delaunay:2^12 --out /tmp/c.md
"""

import argparse
import datetime
import importlib.util
import inspect
import math
import shlex
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import connected_components

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from anchors import Metis, tool_versions  # noqa: E402
from common import WALSHAW_DIR, geomean, machine_summary, timed  # noqa: E402
from run import git_revision as _git_revision  # noqa: E402
from suite.graphs import DEFAULT_CACHE, parse_files, parse_generated  # noqa: E402

EXPERIMENTS = ("contiguous", "volume", "fixed", "multi", "repartition")
DEFAULT_KS = {
    "contiguous": (4, 16, 64),
    "volume": (4, 16, 64),
    "fixed": (2, 8),
    "multi": (4, 16),
    "repartition": (16, 4),
}
QUICK_GRAPHS = ("add20", "data", "uk")  # the three smallest dev graphs
QUICK_GENERATED = ("delaunay:2^11",)  # when the Walshaw graphs are not there
WARMUP_GENERATED = "delaunay:2000"  # the small mesh every tool runs on before any timing
DEFAULT_OUT = HERE / "results" / "constraints.md"

RANDOM_PIN_FRACTION = 0.02
REGION_FRACTION = 0.005
PERTURBED_FRACTION = 0.10
PERTURBED_WEIGHT = 5

# What pymetis 2025.2.2 can and cannot ask of METIS: read in its src/wrapper/wrapper.cpp
# (ncon = 1 and ubvec = NULL hard-coded, no vsize argument) and confirmed by calls on this machine.
PYMETIS_LIMITS = [
    "pymetis passes `ncon = 1` to METIS unconditionally: two balance constraints cannot be expressed "
    "(a `vweights` array of length 2n is not rejected; METIS reads its first n entries as one constraint), "
    "so the multi-constraint section shows METIS with one unit constraint, for context only.",
    "METIS has no fixed (pinned) nodes: only METIS's forced route is shown.",
    "METIS has no repartitioning with a migration cost (that is ParMETIS's AdaptiveRepart, not wrapped by "
    "pymetis): the repartition section is klpart only.",
    "`contig` and `objtype=vol` work only in METIS's k-way scheme (PartGraphRecursive rejects objtype=vol "
    "with 'Input Error: Incorrect objective type' and ignores contig), so those METIS calls pass "
    "`recursive=False` at every k; the other METIS calls keep pymetis's default (recursive bisection up to "
    "k = 8). pymetis 2025.2.2 passes no node sizes (`vsize`): the volume objective uses unit sizes, as "
    "klpart's `node_size=None`.",
]


# ---------------------------------------------------------------- figures
# One function per figure, applied to every tool's labels.


def edge_cut(g, labels):
    """Total weight of the edges whose ends are in different blocks.

    Parameters
    ----------
    g : klpart.CSRGraph
    labels : ndarray of int, shape (n,)
        The block of each node.

    Returns
    -------
    int
        Each crossing edge counted once, with its weight.
    """
    source = np.repeat(np.arange(g.num_nodes), np.diff(g.indptr))
    crossing = labels[source] != labels[g.indices]
    # every undirected edge is stored twice
    return int(g.edge_weights[crossing].sum()) // 2


def communication_volume(g, labels):
    """Sum over nodes u of the number of distinct blocks other than u's
    among u's neighbours (unit node sizes).

    Parameters
    ----------
    g : klpart.CSRGraph
    labels : ndarray of int, shape (n,)

    Returns
    -------
    int
    """
    labels = np.asarray(labels, np.int64)
    k = int(labels.max()) + 1 if labels.size else 1
    source = np.repeat(np.arange(g.num_nodes, dtype=np.int64), np.diff(g.indptr))
    neighbour_block = labels[g.indices]
    foreign = neighbour_block != labels[source]
    # a (node, foreign block) pair counts once however many edges lead there
    return int(np.unique(source[foreign] * k + neighbour_block[foreign]).size)


def components_per_block(g, labels, k):
    """Connected components of the subgraph induced by each block.

    Parameters
    ----------
    g : klpart.CSRGraph
    labels : ndarray of int, shape (n,)
    k : int

    Returns
    -------
    ndarray of int64, shape (k,)
        0 for an empty block.
    """
    n = g.num_nodes
    labels = np.asarray(labels, np.int64)
    source = np.repeat(np.arange(n), np.diff(g.indptr))
    inside = labels[source] == labels[g.indices]
    kept_indptr = np.concatenate([[0], np.cumsum(np.bincount(source[inside], minlength=n))])
    inner = sp.csr_array((np.ones(int(inside.sum()), np.int8), g.indices[inside], kept_indptr), shape=(n, n))
    _, component = connected_components(inner, directed=False)
    # each component lies inside one block: count distinct components per block
    pairs = np.unique(labels * n + component)
    return np.bincount(pairs // n, minlength=k).astype(np.int64)


def constraint_balance(weights, labels, k, imbalance):
    """Balance of one constraint: ``(max_b w_b / (total / k) - 1, within bound)``.

    The bound is the protocol's: every block weighs at most ``(1 +
    imbalance) * ceil(total / k)``.

    Parameters
    ----------
    weights : ndarray, shape (n,)
        The constraint's node weights.
    labels : ndarray of int, shape (n,)
    k : int
    imbalance : float

    Returns
    -------
    (float, bool)
    """
    block_weights = np.bincount(labels, weights=weights, minlength=k)
    total = float(np.sum(weights))
    bound = (1 + imbalance) * math.ceil(total / k)
    return float(block_weights.max() / (total / k) - 1), bool((block_weights <= bound + 1e-9).all())


def moved_nodes(old, new, k):
    """Nodes whose block changed: ``(raw count, count after the best relabelling)``.

    The best relabelling maps the new blocks onto the old ones to keep the
    most nodes in place (an assignment on the k x k overlap matrix), as a
    user free to rename blocks would.

    Parameters
    ----------
    old, new : ndarray of int, shape (n,)
    k : int

    Returns
    -------
    (int, int)
    """
    old = np.asarray(old, np.int64)
    new = np.asarray(new, np.int64)
    overlap = np.bincount(old * k + new, minlength=k * k).reshape(k, k)
    rows, cols = linear_sum_assignment(overlap, maximize=True)
    return int((old != new).sum()), int(old.size - overlap[rows, cols].sum())


def pins_kept(pins, labels):
    """Whether every pinned node (``pins >= 0``) is in its block."""
    pinned = pins >= 0
    return bool((labels[pinned] == pins[pinned]).all())


def is_connected(g):
    """Whether the graph has one connected component."""
    n = g.num_nodes
    adjacency = sp.csr_array((np.ones(g.indices.size, np.int8), g.indices, g.indptr), shape=(n, n))
    return connected_components(adjacency, directed=False)[0] == 1


# ---------------------------------------------------------------- inputs


def random_pins(n, k, rng, fraction=RANDOM_PIN_FRACTION):
    """``fraction`` of the nodes chosen at random, each pinned to a random block
    (int64, -1 = free)."""
    pins = np.full(n, -1, np.int64)
    chosen = rng.choice(n, size=max(1, round(fraction * n)), replace=False)
    pins[chosen] = rng.integers(0, k, size=chosen.size)
    return pins


def region_pins(g, k, rng, fraction=REGION_FRACTION):
    """For each block, a BFS ball of ``fraction`` of the nodes around a random
    free centre, pinned to that block; balls never take (nor cross) nodes
    already pinned, so they are disjoint (a ball stops early when its
    component runs out of free nodes)."""
    n = g.num_nodes
    size = max(1, round(fraction * n))
    pins = np.full(n, -1, np.int64)
    for block in range(k):
        free = np.flatnonzero(pins < 0)
        if free.size == 0:
            break
        centre = int(rng.choice(free))
        pins[centre] = block
        frontier, taken = [centre], 1
        while frontier and taken < size:
            following = []
            for u in frontier:
                for v in g.indices[g.indptr[u]:g.indptr[u + 1]].tolist():
                    if pins[v] < 0 and taken < size:
                        pins[v] = block
                        taken += 1
                        following.append(v)
            frontier = following
    return pins


def two_constraints(g):
    """Node weights ``(n, 2)`` int64: column 0 = 1, column 1 = degree."""
    return np.ascontiguousarray(np.stack([np.ones(g.num_nodes, np.int64), np.diff(g.indptr).astype(np.int64)], 1))


def perturbed_weights(n, rng):
    """Unit weights with ``PERTURBED_FRACTION`` of the nodes (at random) set to
    ``PERTURBED_WEIGHT`` (int64)."""
    weights = np.ones(n, np.int64)
    weights[rng.choice(n, size=max(1, round(PERTURBED_FRACTION * n)), replace=False)] = PERTURBED_WEIGHT
    return weights


def forced_route(labels, pins):
    """``labels`` with every pinned node moved to its block (no repair)."""
    forced = np.array(labels, np.int64)
    pinned = pins >= 0
    forced[pinned] = pins[pinned]
    return forced


# ---------------------------------------------------------------- running the tools


@dataclass
class Bench:
    """What every experiment shares: settings, loaded graphs, prepared METIS
    inputs, the warm-up graph, and a cache of unconstrained partitions."""

    imbalance: float
    preset: str
    seeds: list
    repeats: int
    graphs: dict  # name -> CSRGraph, in run order
    warmup_graph: object
    metis: dict = field(default_factory=dict)  # name -> prepared anchors.Metis (None without pymetis)
    plain: dict = field(default_factory=dict)  # (tool, graph, k, seed) -> (labels, seconds)
    notes: list = field(default_factory=list)

    def metis_for(self, name):
        """``anchors.Metis`` with the graph's arrays prepared (once), or None."""
        if name not in self.metis:
            self.metis[name] = _prepared_metis(self.graphs[name] if name != "warm-up" else self.warmup_graph)
        return self.metis[name]


def _prepared_metis(g):
    if importlib.util.find_spec("pymetis") is None:
        return None
    metis = Metis()
    metis.prepare(g, None)
    return metis


def metis_timed(bench, name, k, seed, recursive=None, **options):
    """``(labels, seconds)`` of one METIS call (median of ``repeats``).

    ``options`` are METIS options (``contig=1``, ``objtype=1``); the balance
    bound and seed are the bench's.  Warnings are errors: a copy of the
    input (``warn_on_copies``) stops the run rather than slowing METIS.
    """
    import pymetis

    metis = bench.metis_for(name)
    opts = pymetis.Options(ufactor=int(round(1000 * bench.imbalance)), seed=int(seed), **options)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (_, parts), seconds = timed(
            lambda: pymetis.part_graph(k, metis.adjacency, vweights=metis.vweights, eweights=metis.eweights,
                                       options=opts, recursive=recursive, warn_on_copies=True),
            bench.repeats,
        )
    return np.asarray(parts, np.int64), seconds


def klpart_timed(bench, function, *args, **kwargs):
    """``(labels, seconds)`` of one klpart call (median of ``repeats``) with
    the bench's imbalance, seed and preset.  klpart's balance warnings are
    silenced: balance is checked here from the labels."""
    kwargs.setdefault("imbalance", bench.imbalance)
    if "preset" in inspect.signature(function).parameters:
        kwargs["preset"] = bench.preset
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result, seconds = timed(lambda: function(*args, **kwargs), bench.repeats)
    return np.asarray(result.labels, np.int64), seconds


def plain_partition(bench, tool, name, k, seed):
    """The unconstrained partition of a tool (cached: experiments 3-5 share it)."""
    key = (tool, name, k, seed)
    if key not in bench.plain:
        if tool == "klpart":
            import klpart

            bench.plain[key] = klpart_timed(bench, klpart.partition, bench.graphs[name], k, seed=seed)
        else:
            bench.plain[key] = metis_timed(bench, name, k, seed)
    return bench.plain[key]


def warm_up(bench, label, call, ks):
    """Run ``call(k)`` once (untimed) on the warm-up graph for every k of the
    experiment (k can select code paths, hence kernels, of its own).

    Returns None when it worked, else a one-line reason ("TypeError: ...")
    for "klpart: not available"."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            for k in ks:
                call(k)
        return None
    except Exception as error:  # noqa: BLE001  (a missing feature may fail in any way)
        reason = f"{type(error).__name__}: {error}".splitlines()[0]
        print(f"  {label}: not available ({reason})", file=sys.stderr, flush=True)
        return reason


def open_section(bench, ks, head, label, call, metis_call=None):
    """Warm both tools up for an experiment and open its section.

    Parameters
    ----------
    bench : Bench
    ks : sequence of int
        The experiment's block counts.
    head : list of str
        The section's first lines: heading, targets, notes.
    label : str
        klpart's feature in the log ("klpart fixed").
    call : callable
        ``call(k)`` runs klpart's feature on the warm-up graph (``warm_up``).
    metis_call : callable, optional
        ``metis_call()`` warms METIS up; run only when pymetis is installed.

    Returns
    -------
    lines : list of str
        ``head``, then the "klpart: not available" note if the feature failed.
    unavailable : str or None
        ``warm_up``'s reason when it failed.
    has_metis : bool
        Whether pymetis is installed.
    """
    unavailable = warm_up(bench, label, call, ks)
    has_metis = bench.metis_for("warm-up") is not None
    if has_metis and metis_call is not None:
        metis_call()
    return head + _availability(unavailable), unavailable, has_metis


def over_seeds(bench, measure):
    """``measure(seed) -> dict`` for every seed, then per key: medians of
    numbers, ``all`` of booleans, the worst seed for keys ending ``_max``
    or ``_min``, None if any seed has None, distinct strings joined."""
    runs = [measure(seed) for seed in bench.seeds]
    out = {}
    for key in runs[0]:
        values = [run.get(key) for run in runs]
        if any(v is None for v in values):
            out[key] = None
        elif isinstance(values[0], (bool, np.bool_)):
            out[key] = all(values)
        elif isinstance(values[0], str):
            out[key] = "; ".join(dict.fromkeys(values))
        elif key.endswith("_max"):
            out[key] = max(values)
        elif key.endswith("_min"):
            out[key] = min(values)
        else:
            out[key] = statistics.median(values)
    return out


def guarded(cell, prefix, call):
    """Run a klpart measurement; an exception becomes ``cell[prefix + 'error']``
    (shown in the table, counted as a failure) instead of ending the run."""
    try:
        cell.update(call())
    except Exception as error:  # noqa: BLE001
        cell[f"{prefix}error"] = f"{type(error).__name__}: {error}".splitlines()[0]


# ---------------------------------------------------------------- formatting


def ratio(a, b):
    """``a / b``, or None when either is missing or b is not positive."""
    if a is None or b is None or b <= 0:
        return None
    return a / b


def fmt(value, spec=""):
    if value is None:
        return "n/a"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "**NO**"
    if isinstance(value, float) and spec == "" and value == int(value):
        return str(int(value))
    return format(value, spec)


def pct(value):
    return "n/a" if value is None else f"{100 * value:.2f}%"


def table(headers, rows):
    """A markdown table (right-aligned columns after the first two)."""
    align = ["---" if i < 2 else "---:" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def geomean_line(label, values):
    """``label: geomean over N cells`` (None values left out, and counted)."""
    present = [v for v in values if v is not None]
    missing = len(values) - len(present)
    if not present:
        return f"{label}: n/a"
    extra = f", {missing} cells without a value" if missing else ""
    return f"{label}: {geomean(present):.3f} over {len(present)} cells{extra}"


def verdict(ok, text, unavailable=None):
    """One PASS/FAIL line; "n/a" when klpart's feature is not available."""
    if unavailable:
        return f"- n/a: {text} -- klpart: not available ({unavailable})"
    return f"- {'PASS' if ok else 'FAIL'}: {text}"


def per_k_geomeans(cells, ks, key, label):
    lines = []
    for k in ks:
        values = [c[key] for c in cells if c["k"] == k]
        if values:
            lines.append("- " + geomean_line(f"{label}, k = {k}", values))
    lines.append("- " + geomean_line(f"{label}, all k", [c[key] for c in cells]))
    return lines


def errors_of(cells):
    """Lines listing the cells where a klpart call raised."""
    out = []
    for c in cells:
        for key, value in c.items():
            if key.endswith("error") and value:
                out.append(f"- error on {c['graph']} k={c['k']} ({key}): {value}")
    return out


# ---------------------------------------------------------------- experiments


@dataclass
class Versus:
    """What one klpart-against-METIS experiment (contiguous, volume) has of
    its own; ``klpart_against_metis`` runs any of them the same way.

    Attributes
    ----------
    name : str
        The experiment's name, in the progress lines and the warm-up label.
    heading : str
        The section's title line.
    targets : str
        The paragraph under the title: the targets and how METIS is called.
    klpart_options : dict
        Keywords of ``klpart.partition`` that ask for the feature.
    metis_options : dict
        METIS options that ask for it; METIS always runs k-way
        (``recursive=False``), the only scheme honouring them.
    figure : str
        The figure the main target judges (``"cut"`` or ``"volume"``): its
        ratio klpart/METIS has the first geometric means and verdict.
    bound : float
        The main target: the figure's ratio geomean at most this.
    columns : str
        The table's columns after graph and k, space-separated: a figure
        name gives two columns ("METIS x", "klpart x"), a name ending
        ``_ratio`` one column, klpart's figure over METIS's.
    extra_figures : dict
        Figures of one tool's labels beyond cut, time and balance:
        ``name -> f(g, labels, k)``.  Names ending ``_max`` or ``_min`` keep
        the worst seed (``over_seeds``).
    time_bound : float or None
        A target on the time ratio geomean, if the experiment has one.
    connected_only : bool
        Run only the connected graphs (the others are listed as skipped).
    notes : callable
        ``notes(cells) -> lines`` after the geometric means.
    first_verdicts : callable
        ``first_verdicts(cells, unavailable) -> lines`` before the others.
    """

    name: str
    heading: str
    targets: str
    klpart_options: dict
    metis_options: dict
    figure: str
    bound: float
    columns: str
    extra_figures: dict = field(default_factory=dict)
    time_bound: float = None
    connected_only: bool = False
    notes: object = lambda cells: []
    first_verdicts: object = lambda cells, unavailable: []


# Table headers of the figures both tools get ("METIS <header>", "klpart <header>").
VERSUS_HEADERS = {"cut": "cut", "volume": "volume", "time": "s", "components_max": "max comp./block",
                  "balanced": "balanced"}


def _versus_format(key):
    """The format of a klpart-against-METIS table column, by its cell key."""
    if key == "time_ratio":
        return ".2f"
    if key.endswith("_ratio"):
        return ".3f"
    return ".4f" if key.endswith("_time") else ""


def tool_figures(bench, versus, g, labels, k, seconds, tool):
    """Every figure of one tool's labels, keyed ``<tool>_<figure>``: cut,
    time, balance (the node weights, the bench's imbalance) and the
    experiment's extra figures."""
    figures = dict(cut=edge_cut(g, labels), time=seconds,
                   balanced=constraint_balance(g.node_weights, labels, k, bench.imbalance)[1])
    figures.update((name, figure(g, labels, k)) for name, figure in versus.extra_figures.items())
    return {f"{tool}_{name}": value for name, value in figures.items()}


def klpart_against_metis(bench, ks, versus):
    """The section of an experiment comparing one klpart feature with the
    METIS option for it, cell by cell (graph, k): the same figures of both
    tools' labels, their ratios, geometric means and verdicts.

    Parameters
    ----------
    bench : Bench
    ks : sequence of int
    versus : Versus
        What the experiment has of its own.

    Returns
    -------
    list of str
        The section's markdown lines.
    """
    import klpart

    head = [versus.heading, "", versus.targets, ""]
    graphs = [name for name, g in bench.graphs.items() if not versus.connected_only or is_connected(g)]
    skipped = [name for name in bench.graphs if name not in graphs]
    if skipped:
        head += [f"Skipped (not connected): {', '.join(skipped)}.", ""]

    def warm_metis():
        for k in ks:
            metis_timed(bench, "warm-up", k, 0, recursive=False, **versus.metis_options)

    lines, unavailable, has_metis = open_section(
        bench, ks, head, f"klpart {versus.name}",
        lambda k: klpart.partition(bench.warmup_graph, k, seed=0, **versus.klpart_options), warm_metis)
    names = ["cut", "time", "balanced", *versus.extra_figures]
    ratios = [column for column in versus.columns.split() if column.endswith("_ratio")]
    figure_ratio = f"{versus.figure}_ratio"
    cells = []
    for name in graphs:
        g = bench.graphs[name]
        for k in ks:
            if k > g.num_nodes:
                continue

            def measure(seed):
                cell = {f"{tool}_{figure}": None for tool in ("metis", "klpart") for figure in names}
                cell["klpart_error"] = ""
                if has_metis:
                    labels, seconds = metis_timed(bench, name, k, seed, recursive=False, **versus.metis_options)
                    cell.update(tool_figures(bench, versus, g, labels, k, seconds, "metis"))
                if not unavailable:
                    def run():
                        labels, seconds = klpart_timed(bench, klpart.partition, g, k, seed=seed,
                                                       **versus.klpart_options)
                        return tool_figures(bench, versus, g, labels, k, seconds, "klpart")
                    guarded(cell, "klpart_", run)
                return cell

            cell = dict(graph=name, k=k, **over_seeds(bench, measure))
            for key in ratios:
                figure = key.removesuffix("_ratio")
                cell[key] = ratio(cell[f"klpart_{figure}"], cell[f"metis_{figure}"])
            cells.append(cell)
            progress(f"{versus.name} {name} k={k}", cell,
                     (f"metis_{versus.figure}", f"klpart_{versus.figure}", figure_ratio, "time_ratio"))
    headers, keys = ["graph", "k"], []
    for column in versus.columns.split():
        if column in ratios:
            headers.append(column.replace("_", " "))
            keys.append(column)
        else:
            headers += [f"METIS {VERSUS_HEADERS[column]}", f"klpart {VERSUS_HEADERS[column]}"]
            keys += [f"metis_{column}", f"klpart_{column}"]
    rows = [[c["graph"], c["k"]] + [fmt(c[key], _versus_format(key)) for key in keys] for c in cells]
    lines.append(table(headers, rows))
    lines.append("")
    lines += per_k_geomeans(cells, ks, figure_ratio, f"{versus.figure} ratio klpart/METIS")
    lines += per_k_geomeans(cells, ks, "time_ratio", "time ratio klpart/METIS")
    lines += versus.notes(cells)
    lines += errors_of(cells)
    lines += ["", "Summary:"]
    lines += versus.first_verdicts(cells, unavailable)
    figure_g = _geomean_of(cells, figure_ratio)
    lines.append(verdict(figure_g is not None and figure_g <= versus.bound,
                         f"{versus.figure} ratio geomean {_show(figure_g)} <= {versus.bound:g}", unavailable))
    if versus.time_bound is not None:
        time_g = _geomean_of(cells, "time_ratio")
        lines.append(verdict(time_g is not None and time_g <= versus.time_bound,
                             f"time ratio geomean {_show(time_g, '.2f')} <= {versus.time_bound:g}", unavailable))
    lines.append(verdict(all(c["klpart_balanced"] for c in cells), "klpart balanced (3%) in every cell",
                         unavailable))
    return lines


def _metis_split_note(cells):
    """The line counting the cells where METIS ``contig=1`` left a block in pieces."""
    split = [c for c in cells if c["metis_components_max"] is not None and c["metis_components_max"] > 1]
    names = ", ".join(f"{c['graph']} k={c['k']}" for c in split)
    return [f"- METIS `contig=1` left a block in pieces in {len(split)} of {len(cells)} cells"
            + (f" ({names})" if split else "")]


def _connected_verdict(cells, unavailable):
    """The verdict on klpart's blocks being connected in every cell."""
    connected_ok = all(c["klpart_components_max"] == 1 and c["klpart_components_min"] == 1 for c in cells)
    return [verdict(connected_ok and bool(cells), f"every klpart block connected in all {len(cells)} cells",
                    unavailable)]


CONTIGUOUS = Versus(
    name="contiguous",
    heading="## 1. Contiguous blocks: `partition(contiguous=True)` vs METIS `contig=1`",
    targets="Targets: every klpart block connected; cut <= 0.97x METIS (geometric mean); "
            "time <= 2.5x METIS (geometric mean). METIS runs k-way (`recursive=False`): its "
            "recursive bisection ignores `contig`.",
    klpart_options=dict(contiguous=True), metis_options=dict(contig=1),
    figure="cut", bound=0.97, time_bound=2.5,
    columns="cut cut_ratio time time_ratio components_max balanced",
    # components counted twice per labels (max and min): cheap, and outside the timed calls
    extra_figures=dict(components_max=lambda g, labels, k: int(components_per_block(g, labels, k).max()),
                       components_min=lambda g, labels, k: int(components_per_block(g, labels, k).min())),
    connected_only=True, notes=_metis_split_note, first_verdicts=_connected_verdict,
)

VOLUME = Versus(
    name="volume",
    heading="## 2. Communication volume: `partition(objective=\"volume\")` vs METIS `objtype=vol`",
    targets="Target: volume <= 0.97x METIS (geometric mean). Volume = sum over nodes of the number of "
            "other blocks among the node's neighbours (unit node sizes). METIS runs k-way "
            "(`recursive=False`): its recursive bisection rejects `objtype=vol`.",
    klpart_options=dict(objective="volume"), metis_options=dict(objtype=1), figure="volume", bound=0.97,
    columns="volume volume_ratio cut time time_ratio balanced",
    extra_figures=dict(volume=lambda g, labels, k: communication_volume(g, labels)),
)


def experiment_contiguous(bench, ks):
    """Section 1: ``partition(contiguous=True)`` against METIS ``contig=1``."""
    return klpart_against_metis(bench, ks, CONTIGUOUS)


def experiment_volume(bench, ks):
    """Section 2: ``partition(objective="volume")`` against METIS ``objtype=vol``."""
    return klpart_against_metis(bench, ks, VOLUME)


def experiment_fixed(bench, ks):
    import klpart

    w = bench.warmup_graph
    heading = "## 3. Fixed nodes: `partition(fixed=pins)` vs the forced route"
    targets = (f"Pins: *random* = {RANDOM_PIN_FRACTION:.0%} of the nodes at random, each to a random block; "
               f"*regions* = per block a BFS ball of {REGION_FRACTION:.1%} of the nodes around a random free "
               "centre (balls disjoint). Forced route = the unconstrained partition with the pinned nodes "
               "then moved to their blocks (no repair). Targets: klpart keeps every pin; klpart balanced; "
               "cut ratio klpart/forced never above 1, geometric mean <= 0.95. METIS's forced route "
               "(METIS has no fixed nodes) for context.")
    lines, unavailable, has_metis = open_section(
        bench, ks, [heading, "", targets, ""], "klpart fixed",
        lambda k: klpart.partition(w, k, fixed=random_pins(w.num_nodes, k, np.random.default_rng(0)), seed=0),
        lambda: metis_timed(bench, "warm-up", 4, 0))
    for k in ks:
        klpart_timed(bench, klpart.partition, w, k, seed=0)
    cells = []
    for name, g in bench.graphs.items():
        for k in ks:
            if k > g.num_nodes:
                continue
            for kind in ("random", "regions"):

                def measure(seed):
                    # the pins depend on the seed, the kind and k, never on the tool
                    rng = np.random.default_rng([seed, k, 0 if kind == "random" else 1])
                    pins = random_pins(g.num_nodes, k, rng) if kind == "random" else region_pins(g, k, rng)
                    cell = dict(pinned=int((pins >= 0).sum()), forced_cut=None, forced_imbalance=None,
                                forced_balanced=None, plain_time=None, metis_forced_cut=None,
                                metis_forced_balanced=None, klpart_cut=None, klpart_time=None, kept=None,
                                klpart_imbalance=None, klpart_balanced=None, klpart_error="")
                    plain, plain_seconds = plain_partition(bench, "klpart", name, k, seed)
                    forced = forced_route(plain, pins)
                    imb, ok = constraint_balance(g.node_weights, forced, k, bench.imbalance)
                    cell.update(forced_cut=edge_cut(g, forced), forced_imbalance=imb, forced_balanced=ok,
                                plain_time=plain_seconds)
                    if has_metis:
                        metis_forced = forced_route(plain_partition(bench, "metis", name, k, seed)[0], pins)
                        cell.update(metis_forced_cut=edge_cut(g, metis_forced),
                                    metis_forced_balanced=constraint_balance(g.node_weights, metis_forced, k,
                                                                             bench.imbalance)[1])
                    if not unavailable:
                        def run():
                            labels, seconds = klpart_timed(bench, klpart.partition, g, k, fixed=pins, seed=seed)
                            imb, ok = constraint_balance(g.node_weights, labels, k, bench.imbalance)
                            return dict(klpart_cut=edge_cut(g, labels), klpart_time=seconds,
                                        kept=pins_kept(pins, labels), klpart_imbalance=imb, klpart_balanced=ok)
                        guarded(cell, "klpart_", run)
                    return cell

                cell = dict(graph=name, k=k, kind=kind, **over_seeds(bench, measure))
                cell["cut_ratio"] = ratio(cell["klpart_cut"], cell["forced_cut"])
                cell["time_ratio"] = ratio(cell["klpart_time"], cell["plain_time"])
                cells.append(cell)
                progress(f"fixed {name} k={k} {kind}", cell, ("forced_cut", "klpart_cut", "cut_ratio"))
    rows = [[c["graph"], c["k"], c["kind"], fmt(c["pinned"]), fmt(c["forced_cut"]), fmt(c["klpart_cut"]),
             fmt(c["cut_ratio"], ".3f"), fmt(c["kept"]), pct(c["klpart_imbalance"]), fmt(c["klpart_balanced"]),
             pct(c["forced_imbalance"]), fmt(c["forced_balanced"]), fmt(c["metis_forced_cut"]),
             fmt(c["metis_forced_balanced"]), fmt(c["plain_time"], ".4f"), fmt(c["klpart_time"], ".4f")]
            for c in cells]
    lines.append(table(["graph", "k", "pins", "pinned nodes", "forced cut (klpart)", "klpart fixed cut",
                        "cut ratio fixed/forced", "all pins kept", "klpart imbalance", "klpart balanced",
                        "forced imbalance", "forced balanced", "METIS forced cut", "METIS forced balanced",
                        "klpart plain s", "klpart fixed s"], rows))
    lines.append("")
    for kind in ("random", "regions"):
        lines += per_k_geomeans([c for c in cells if c["kind"] == kind], ks, "cut_ratio",
                                f"cut ratio fixed/forced ({kind} pins)")
    lines.append("- " + geomean_line("time ratio klpart fixed / klpart unconstrained, all cells",
                                     [c["time_ratio"] for c in cells]))
    lines += errors_of(cells)
    lines += ["", "Summary:"]
    lines.append(verdict(all(c["kept"] for c in cells), f"klpart keeps every pin in all {len(cells)} cells",
                         unavailable))
    lines.append(verdict(all(c["klpart_balanced"] for c in cells), "klpart balanced (3%) in every cell",
                         unavailable))
    worst = max((c["cut_ratio"] for c in cells if c["cut_ratio"] is not None), default=None)
    lines.append(verdict(worst is not None and worst <= 1 and all(c["cut_ratio"] is not None for c in cells),
                         f"cut ratio fixed/forced never above 1 (worst {_show(worst)})", unavailable))
    # a forced route over the bound is no feasible partition: show the
    # comparison with the feasible ones apart (the verdict above counts all)
    feasible = [c["cut_ratio"] for c in cells if c["cut_ratio"] is not None and c["forced_balanced"]]
    if feasible:
        lines.append(f"- (cells whose forced route is balanced: {len(feasible)} of {len(cells)}, "
                     f"worst ratio {_show(max(feasible))})")
    cut_g = _geomean_of(cells, "cut_ratio")
    lines.append(verdict(cut_g is not None and cut_g <= 0.95, f"cut ratio geomean {_show(cut_g)} <= 0.95",
                         unavailable))
    return lines


def experiment_multi(bench, ks):
    import klpart

    w = bench.warmup_graph
    heading = "## 4. Two balance constraints: `partition(node_weight=W)`, W = [1, degree]"
    targets = ("Targets: cut <= 1.10x klpart with one (unit) constraint (geometric mean); both constraints "
               "within 3% in every cell. METIS for context with ONE unit constraint (pymetis cannot pass "
               "two): its degree imbalance shows what ignoring the second constraint costs.")
    lines, unavailable, has_metis = open_section(
        bench, ks, [heading, "", targets, ""], "klpart two constraints",
        lambda k: klpart.partition(w, k, node_weight=two_constraints(w), seed=0),
        lambda: metis_timed(bench, "warm-up", 4, 0))
    for k in ks:
        klpart_timed(bench, klpart.partition, w, k, seed=0)
    cells = []
    for name, g in bench.graphs.items():
        weights = two_constraints(g)
        for k in ks:
            if k > g.num_nodes:
                continue

            def measure(seed):
                cell = dict(single_cut=None, single_time=None, single_imbalance_degree=None,
                            metis_cut=None, metis_time=None, metis_imbalance_unit=None,
                            metis_imbalance_degree=None, klpart_cut=None, klpart_time=None,
                            klpart_imbalance_unit=None, klpart_imbalance_degree=None, klpart_balanced=None,
                            klpart_error="")
                single, seconds = plain_partition(bench, "klpart", name, k, seed)
                cell.update(single_cut=edge_cut(g, single), single_time=seconds,
                            single_imbalance_degree=constraint_balance(weights[:, 1], single, k, bench.imbalance)[0])
                if has_metis:
                    labels, seconds = plain_partition(bench, "metis", name, k, seed)
                    cell.update(metis_cut=edge_cut(g, labels), metis_time=seconds,
                                metis_imbalance_unit=constraint_balance(weights[:, 0], labels, k, bench.imbalance)[0],
                                metis_imbalance_degree=constraint_balance(weights[:, 1], labels, k,
                                                                          bench.imbalance)[0])
                if not unavailable:
                    def run():
                        labels, seconds = klpart_timed(bench, klpart.partition, g, k, node_weight=weights, seed=seed)
                        unit = constraint_balance(weights[:, 0], labels, k, bench.imbalance)
                        degree = constraint_balance(weights[:, 1], labels, k, bench.imbalance)
                        return dict(klpart_cut=edge_cut(g, labels), klpart_time=seconds,
                                    klpart_imbalance_unit=unit[0], klpart_imbalance_degree=degree[0],
                                    klpart_balanced=unit[1] and degree[1])
                    guarded(cell, "klpart_", run)
                return cell

            cell = dict(graph=name, k=k, **over_seeds(bench, measure))
            cell["cut_ratio"] = ratio(cell["klpart_cut"], cell["single_cut"])
            cell["time_ratio"] = ratio(cell["klpart_time"], cell["single_time"])
            cells.append(cell)
            progress(f"multi {name} k={k}", cell, ("single_cut", "klpart_cut", "cut_ratio"))
    rows = [[c["graph"], c["k"], fmt(c["single_cut"]), fmt(c["klpart_cut"]), fmt(c["cut_ratio"], ".3f"),
             pct(c["klpart_imbalance_unit"]), pct(c["klpart_imbalance_degree"]), fmt(c["klpart_balanced"]),
             pct(c["single_imbalance_degree"]), fmt(c["single_time"], ".4f"), fmt(c["klpart_time"], ".4f"),
             fmt(c["metis_cut"]), pct(c["metis_imbalance_unit"]), pct(c["metis_imbalance_degree"]),
             fmt(c["metis_time"], ".4f")] for c in cells]
    lines.append(table(["graph", "k", "klpart 1-constraint cut", "klpart 2-constraint cut", "cut ratio",
                        "klpart imb. unit", "klpart imb. degree", "both within 3%",
                        "1-constraint imb. degree", "klpart 1-c. s", "klpart 2-c. s", "METIS (1 unit c.) cut",
                        "METIS imb. unit", "METIS imb. degree", "METIS s"], rows))
    lines.append("")
    lines += per_k_geomeans(cells, ks, "cut_ratio", "cut ratio 2-constraint / 1-constraint")
    lines.append("- " + geomean_line("time ratio 2-constraint / 1-constraint, all cells",
                                     [c["time_ratio"] for c in cells]))
    lines += errors_of(cells)
    lines += ["", "Summary:"]
    cut_g = _geomean_of(cells, "cut_ratio")
    lines.append(verdict(cut_g is not None and cut_g <= 1.10, f"cut ratio geomean {_show(cut_g)} <= 1.10",
                         unavailable))
    worst = [max(c["klpart_imbalance_unit"], c["klpart_imbalance_degree"]) for c in cells
             if c["klpart_imbalance_unit"] is not None and c["klpart_imbalance_degree"] is not None]
    lines.append(verdict(all(c["klpart_balanced"] for c in cells),
                         f"both constraints within 3% in every cell (largest imbalance "
                         f"{pct(max(worst)) if worst else 'n/a'})", unavailable))
    return lines


def experiment_repartition(bench, ks):
    import klpart

    w = bench.warmup_graph
    w_new = perturbed_weights(w.num_nodes, np.random.default_rng(0))
    heading = "## 5. Repartitioning: `repartition(old, node_weight=w_new)` vs a fresh partition"
    targets = (f"old = `partition(g, k)` (unit weights); w_new = {PERTURBED_FRACTION:.0%} of the nodes (at "
               f"random) set to weight {PERTURBED_WEIGHT}; fresh = `partition(g, k, node_weight=w_new)`; "
               "rep = `repartition(g, old, k, node_weight=w_new, migration_cost=1.0)`. Moved = nodes "
               "whose block differs from old after the best relabelling of the new blocks (assignment on "
               "the k x k overlap matrix), the same function for both; raw counts shown too. Targets: both "
               "balanced under w_new; moved ratio rep/fresh <= 0.3 and cut ratio rep/fresh <= 1.10 "
               "(geometric means). klpart only (METIS has no repartitioning).")
    for k in ks:
        klpart_timed(bench, klpart.partition, w, k, node_weight=w_new, seed=0)
    lines, unavailable, _ = open_section(
        bench, ks, [heading, "", targets, ""], "klpart repartition", lambda k: klpart.repartition(
            w, klpart.partition(w, k, seed=0).labels, k, node_weight=w_new, migration_cost=1.0, seed=0))
    cells = []
    for name, g in bench.graphs.items():
        for k in ks:
            if k > g.num_nodes:
                continue

            def measure(seed):
                cell = dict(old_cut=None, fresh_cut=None, fresh_time=None, fresh_moved_raw=None,
                            fresh_moved=None, fresh_balanced=None, rep_cut=None, rep_time=None,
                            rep_moved_raw=None, rep_moved=None, rep_balanced=None, fresh_error="", rep_error="")
                old, _ = plain_partition(bench, "klpart", name, k, seed)
                new_weights = perturbed_weights(g.num_nodes, np.random.default_rng([seed, k, 2]))
                cell["old_cut"] = edge_cut(g, old)

                def fresh():
                    labels, seconds = klpart_timed(bench, klpart.partition, g, k, node_weight=new_weights, seed=seed)
                    raw, relabelled = moved_nodes(old, labels, k)
                    return dict(fresh_cut=edge_cut(g, labels), fresh_time=seconds, fresh_moved_raw=raw,
                                fresh_moved=relabelled,
                                fresh_balanced=constraint_balance(new_weights, labels, k, bench.imbalance)[1])
                guarded(cell, "fresh_", fresh)
                if not unavailable:
                    def rep():
                        labels, seconds = klpart_timed(bench, klpart.repartition, g, old, k, node_weight=new_weights,
                                                       migration_cost=1.0, seed=seed)
                        raw, relabelled = moved_nodes(old, labels, k)
                        return dict(rep_cut=edge_cut(g, labels), rep_time=seconds, rep_moved_raw=raw,
                                    rep_moved=relabelled,
                                    rep_balanced=constraint_balance(new_weights, labels, k, bench.imbalance)[1])
                    guarded(cell, "rep_", rep)
                return cell

            cell = dict(graph=name, k=k, n=g.num_nodes, **over_seeds(bench, measure))
            # moved counts floored at 1 in the ratio, so that a repartition moving nothing still counts
            cell["moved_ratio"] = (None if cell["rep_moved"] is None or cell["fresh_moved"] is None
                                   else max(cell["rep_moved"], 1) / max(cell["fresh_moved"], 1))
            cell["cut_ratio"] = ratio(cell["rep_cut"], cell["fresh_cut"])
            cells.append(cell)
            progress(f"repartition {name} k={k}", cell, ("fresh_moved", "rep_moved", "moved_ratio", "cut_ratio"))
    rows = [[c["graph"], c["k"], fmt(c["old_cut"]), fmt(c["fresh_cut"]), fmt(c["rep_cut"]), fmt(c["cut_ratio"], ".3f"),
             fmt(c["fresh_moved_raw"]), fmt(c["fresh_moved"]), fmt(c["rep_moved_raw"]), fmt(c["rep_moved"]),
             fmt(c["moved_ratio"], ".3f"), fmt(c["fresh_balanced"]), fmt(c["rep_balanced"]),
             fmt(c["fresh_time"], ".4f"), fmt(c["rep_time"], ".4f")] for c in cells]
    lines.append(table(["graph", "k", "old cut", "fresh cut", "rep cut", "cut ratio rep/fresh", "fresh moved (raw)",
                        "fresh moved (relabelled)", "rep moved (raw)", "rep moved (relabelled)",
                        "moved ratio rep/fresh", "fresh balanced", "rep balanced", "fresh s", "rep s"], rows))
    lines.append("")
    lines += per_k_geomeans(cells, ks, "moved_ratio", "moved ratio rep/fresh")
    lines += per_k_geomeans(cells, ks, "cut_ratio", "cut ratio rep/fresh")
    lines += errors_of(cells)
    lines += ["", "Summary:"]
    lines.append(verdict(all(c["rep_balanced"] for c in cells), "repartition balanced (3%) under w_new in every cell",
                         unavailable))
    lines.append(f"- (fresh partition balanced in {sum(bool(c['fresh_balanced']) for c in cells)} of "
                 f"{len(cells)} cells)")
    moved_g = _geomean_of(cells, "moved_ratio")
    lines.append(verdict(moved_g is not None and moved_g <= 0.3, f"moved ratio geomean {_show(moved_g)} <= 0.3",
                         unavailable))
    cut_g = _geomean_of(cells, "cut_ratio")
    lines.append(verdict(cut_g is not None and cut_g <= 1.10, f"cut ratio geomean {_show(cut_g)} <= 1.10",
                         unavailable))
    return lines


EXPERIMENT_FUNCTIONS = {
    "contiguous": experiment_contiguous,
    "volume": experiment_volume,
    "fixed": experiment_fixed,
    "multi": experiment_multi,
    "repartition": experiment_repartition,
}


def _availability(unavailable):
    """The section's "klpart: not available" line (nothing when it is)."""
    return [f"**klpart: not available** ({unavailable}); the klpart columns are n/a.", ""] if unavailable else []


def _geomean_of(cells, key):
    """Geometric mean of ``key`` over the cells, or None when any cell lacks it
    (a target is judged on every cell or not at all)."""
    values = [c[key] for c in cells]
    if not values or any(v is None for v in values):
        return None
    return geomean(values)


def _show(value, spec=".3f"):
    return "n/a" if value is None else format(value, spec)


def progress(label, cell, keys):
    shown = " ".join(f"{key}={fmt(cell.get(key), '.3f') if isinstance(cell.get(key), float) else fmt(cell.get(key))}"
                     for key in keys)
    print(f"  {label}: {shown}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- command line


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graphs", help="comma-separated Walshaw names, METIS files or folders "
                                     f"(default: every *.graph in {WALSHAW_DIR})")
    ap.add_argument("--generated", nargs="*", default=[], metavar="FAMILY:SIZES",
                    help="generated graphs as in bench/run.py (delaunay:2^12 grid:100x100 rgg:2^14)")
    ap.add_argument("--experiments", default=",".join(EXPERIMENTS),
                    help=f"comma-separated subset of {','.join(EXPERIMENTS)}")
    ap.add_argument("--k", help="comma-separated block counts for every experiment "
                                "(default: each experiment's own)")
    ap.add_argument("--seeds", type=int, default=1, help="seeds 0 .. N-1 (default 1: seed 0)")
    ap.add_argument("--repeats", type=int, default=1, help="timed runs per call, median kept (default 1)")
    ap.add_argument("--imbalance", type=float, default=0.03)
    ap.add_argument("--preset", default="default", help="klpart preset (default 'default')")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help=f"markdown output (default {DEFAULT_OUT})")
    ap.add_argument("--cache", default=str(DEFAULT_CACHE), help="cache of generated graphs")
    ap.add_argument("--quick", action="store_true", help=f"smoke test: {', '.join(QUICK_GRAPHS)} only")
    args = ap.parse_args(argv)
    args.experiments = [e.strip() for e in args.experiments.split(",") if e.strip()]
    unknown = [e for e in args.experiments if e not in EXPERIMENTS]
    if unknown:
        ap.error(f"unknown experiments {unknown}; choose from {', '.join(EXPERIMENTS)}")
    if args.k:
        args.k = [int(x) for x in args.k.split(",")]
        if any(k < 2 for k in args.k):
            ap.error("--k wants block counts >= 2")
    if args.seeds < 1 or args.repeats < 1:
        ap.error("--seeds and --repeats want at least 1")
    return args


def graph_specs(args):
    """The GraphSpecs to run (``suite.graphs``: files, folders, names, generated)."""
    files = [s.strip() for s in args.graphs.split(",") if s.strip()] if args.graphs else []
    generated = list(args.generated)
    if args.quick and not files and not generated:
        if all((WALSHAW_DIR / f"{name}.graph").exists() for name in QUICK_GRAPHS):
            files = list(QUICK_GRAPHS)
        else:
            generated = list(QUICK_GENERATED)
    elif not files and not generated:
        files = [str(WALSHAW_DIR)]
    return parse_files(files, WALSHAW_DIR) + parse_generated(generated, cache=args.cache)


def main(argv=None):
    """Run the experiments; write and print the markdown.  Returns the text."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    started = time.perf_counter()
    import klpart

    specs = graph_specs(args)
    graphs = {spec.name: spec.load() for spec in specs}
    warmup_graph = parse_generated([WARMUP_GENERATED], cache=args.cache)[0].load()
    klpart.warmup()
    bench = Bench(imbalance=args.imbalance, preset=args.preset, seeds=list(range(args.seeds)),
                  repeats=args.repeats, graphs=graphs, warmup_graph=warmup_graph)

    versions = tool_versions(["klpart", "metis"])
    header = [
        "# klpart constraints against METIS (issue 17)",
        "",
        f"- {machine_summary()}",
        f"- versions: {', '.join(f'{p} {v}' for p, v in versions.items())}; klpart git {_git_revision() or '?'}",
        f"- run {datetime.datetime.now():%Y-%m-%d %H:%M:%S}: `python bench/bench_constraints.py"
        f"{' ' + shlex.join(argv) if argv else ''}`",
        f"- graphs ({len(graphs)}): {', '.join(f'{name} (n={g.num_nodes})' for name, g in graphs.items())}",
        f"- imbalance {args.imbalance:g} for every tool (METIS ufactor {int(round(1000 * args.imbalance))}); "
        f"seeds {', '.join(map(str, bench.seeds))}; klpart preset {args.preset!r}; a time is the median of "
        f"{args.repeats} timed run(s) after warm-up calls of each tool and feature on a 2000-node Delaunay mesh "
        "(klpart at every k of the experiment); "
        "per cell the figures are medians over seeds and ratios are ratios of those medians",
        "- balance: every block at most (1 + imbalance) * ceil(total / k) for each constraint; imbalance = "
        "max block weight / (total / k) - 1",
    ]
    if "pymetis" not in versions:
        header.append("- pymetis is not installed: every METIS column is n/a")
    header += ["", "What pymetis cannot express:", ""] + [f"- {limit}" for limit in PYMETIS_LIMITS]
    text_parts = ["\n".join(header)]
    print(text_parts[0] + "\n", flush=True)
    for experiment in args.experiments:
        ks = args.k or DEFAULT_KS[experiment]
        print(f"{experiment} ...", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        section = EXPERIMENT_FUNCTIONS[experiment](bench, ks)
        section.append(f"\n({experiment}: {time.perf_counter() - t0:.0f} s)")
        text_parts.append("\n".join(section))
        print(text_parts[-1] + "\n", flush=True)
    footer = f"Wall time of the whole run: {time.perf_counter() - started:.0f} s."
    text_parts.append(footer)
    print(footer, flush=True)
    text = "\n\n".join(text_parts) + "\n"
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(f"wrote {out}", file=sys.stderr)
    return text


if __name__ == "__main__":
    main()
