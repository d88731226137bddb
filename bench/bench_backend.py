"""klpart as a NetworkX backend: ``backend="klpart"`` against NetworkX itself.

Three parts (each can be skipped):

* ``kl``: ``nx.community.kernighan_lin_bisection(G, seed=s, backend="klpart")``
  against the default on the Walshaw graphs (``read_metis(path).to_networkx()``).
  The klpart time is given for the first call on a graph (conversion to CSR
  included: the graph's cache is cleared first) and for a second call, which
  finds the converted arrays in NetworkX's cache and converts nothing.
  Target: geomean speedup >= 30x over the graphs with >= 10k nodes.
* ``modularity``: ``nx.community.modularity(G, parts, backend="klpart")`` on a
  ~1M-edge random geometric graph with 8 slab blocks by x coordinate, first
  call and cached.  Target: >= 3x faster than NetworkX.
* ``threshold``: first-call time (conversion included) of the backend
  against NetworkX on growing grid graphs, per function: where the backend
  starts winning is the ``should_run`` threshold (``klpart._nx_info.MIN_SIZE``).

Kernels are compiled first (warm-up); klpart times are medians of several
in-process runs, NetworkX runs once per graph (``--nx-repeats``) where slow.

    python bench/bench_backend.py                     # everything (~6 min)
    python bench/bench_backend.py --parts kl --all    # every Walshaw graph
    python bench/bench_backend.py --parts threshold
"""

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WALSHAW_DIR, geomean, machine_summary  # noqa: E402

# a cached conversion is the point of the second call: don't warn about it
nx.config.warnings_to_ignore.add("cache")


def clock(func):
    gc.collect()
    t = time.perf_counter()
    out = func()
    return time.perf_counter() - t, out


def median_time(func, repeats, before=None):
    times = []
    out = None
    for _ in range(repeats):
        if before is not None:
            before()
        t, out = clock(func)
        times.append(t)
    return statistics.median(times), out


def clear_cache(G):
    G.__networkx_cache__.clear()


def warm_up():
    G = nx.grid_2d_graph(20, 20)
    nx.community.kernighan_lin_bisection(G, seed=0, backend="klpart")
    nx.community.kernighan_lin_bisection(G, seed=0, backend="klpart", tie_break="networkx")
    parts = [set(list(G)[:200]), set(list(G)[200:])]
    for name in FUNCTIONS:
        FUNCTIONS[name](G, parts, "klpart")


# --------------------------------------------------------------------------
# KL on the Walshaw graphs
# --------------------------------------------------------------------------
def bench_kl(args):
    from klpart import read_metis

    paths = sorted(WALSHAW_DIR.glob("*.graph"))
    rows = []
    for path in paths:
        g = read_metis(path)
        if g.num_nodes < args.min_nodes and not args.all:
            continue
        G = g.to_networkx()
        seed = 0
        kl = nx.community.kernighan_lin_bisection

        t_first, (A, B) = clock(lambda: kl(G, seed=seed, backend="klpart"))
        t_second, _ = median_time(lambda: kl(G, seed=seed, backend="klpart"), args.repeats)
        # best of a few first calls too (noise), each from an empty cache
        t_first = min(
            [t_first]
            + [
                median_time(lambda: kl(G, seed=seed, backend="klpart"), 1, lambda: clear_cache(G))[0]
                for _ in range(args.repeats - 1)
            ]
        )
        from klpart.convert import from_networkx

        t_conv, _ = median_time(lambda: from_networkx(G), args.repeats)
        t_nx, (C, D) = median_time(lambda: kl(G, seed=seed), args.nx_repeats)
        rows.append(
            dict(
                graph=path.stem,
                n=G.number_of_nodes(),
                m=G.number_of_edges(),
                cut_nx=nx.cut_size(G, C, D),
                cut_klpart=nx.cut_size(G, A, B),
                t_nx=t_nx,
                t_first=t_first,
                t_second=t_second,
                t_conv=t_conv,
            )
        )
        r = rows[-1]
        print(
            f"  {r['graph']}: NX {t_nx:.3f} s, klpart first {t_first:.4f} s, "
            f"second {t_second:.4f} s",
            file=sys.stderr,
        )
    print("\n### `nx.community.kernighan_lin_bisection(G, seed=0, backend=\"klpart\")` vs default\n")
    print(
        "| graph | n | m | cut NX | cut klpart | NX s | klpart 1st call s | speedup | "
        "klpart 2nd call s (cached) | speedup cached | conversion alone s |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['graph']} | {r['n']} | {r['m']} | {r['cut_nx']} | {r['cut_klpart']} | "
            f"{r['t_nx']:.3f} | {r['t_first']:.4f} | {r['t_nx'] / r['t_first']:.0f}x | "
            f"{r['t_second']:.4f} | {r['t_nx'] / r['t_second']:.0f}x | {r['t_conv']:.4f} |"
        )
    big = [r for r in rows if r["n"] >= 10_000]
    if big:
        print(
            f"\ngraphs with >= 10k nodes ({len(big)}): geomean speedup "
            f"{geomean([r['t_nx'] / r['t_first'] for r in big]):.0f}x first call, "
            f"{geomean([r['t_nx'] / r['t_second'] for r in big]):.0f}x cached; "
            f"geomean cut klpart/NX {geomean([r['cut_klpart'] / r['cut_nx'] for r in big]):.3f}; "
            f"second call / first call time "
            f"{geomean([r['t_second'] / r['t_first'] for r in big]):.2f} (geomean)"
        )


# --------------------------------------------------------------------------
# modularity on a 1M-edge graph
# --------------------------------------------------------------------------
def bench_modularity(args):
    t_gen, G = clock(lambda: nx.random_geometric_graph(args.rgg_nodes, args.rgg_radius, seed=1))
    pos = nx.get_node_attributes(G, "pos")
    parts = [set() for _ in range(8)]
    for u, (x, _) in pos.items():
        parts[min(int(x * 8), 7)].add(u)
    modularity = nx.community.modularity

    t_nx, q_nx = median_time(lambda: modularity(G, parts), args.nx_repeats)
    t_first, q_first = median_time(
        lambda: modularity(G, parts, backend="klpart"), args.repeats, lambda: clear_cache(G)
    )
    t_cached, q_cached = median_time(lambda: modularity(G, parts, backend="klpart"), args.repeats)
    # the conversion alone, for the record
    from klpart.convert import from_networkx

    t_conv, _ = median_time(lambda: from_networkx(G), args.repeats)
    print(
        f"\n### `nx.community.modularity(G, parts, backend=\"klpart\")`: random geometric graph "
        f"n={G.number_of_nodes()}, m={G.number_of_edges()}, 8 slabs (generated in {t_gen:.1f} s)\n"
    )
    print("| | time s | speedup vs NX | modularity |")
    print("|---|---:|---:|---:|")
    print(f"| NetworkX | {t_nx:.3f} | 1.0x | {q_nx!r} |")
    print(f"| klpart, 1st call (conversion included) | {t_first:.3f} | {t_nx / t_first:.1f}x | {q_first!r} |")
    print(f"| klpart, cached conversion | {t_cached:.4f} | {t_nx / t_cached:.0f}x | {q_cached!r} |")
    print(f"| (conversion alone, `from_networkx`) | {t_conv:.3f} | | |")
    print(f"\n|klpart - NX| = {abs(q_first - q_nx):.2e}")


# --------------------------------------------------------------------------
# should_run threshold
# --------------------------------------------------------------------------

FUNCTIONS = {
    "kernighan_lin_bisection": lambda G, parts, b: nx.community.kernighan_lin_bisection(
        G, seed=0, backend=b
    ),
    "modularity": lambda G, parts, b: nx.community.modularity(G, parts, backend=b),
    "partition_quality": lambda G, parts, b: nx.community.partition_quality(G, parts, backend=b),
    "is_partition": lambda G, parts, b: nx.community.is_partition(G, parts, backend=b),
    "cut_size": lambda G, parts, b: nx.cut_size(G, parts[0], backend=b),
    "volume": lambda G, parts, b: nx.volume(G, parts[0], backend=b),
    "normalized_cut_size": lambda G, parts, b: nx.normalized_cut_size(G, parts[0], backend=b),
    "conductance": lambda G, parts, b: nx.conductance(G, parts[0], backend=b),
    "edge_expansion": lambda G, parts, b: nx.edge_expansion(G, parts[0], backend=b),
    "mixing_expansion": lambda G, parts, b: nx.mixing_expansion(G, parts[0], backend=b),
    "node_expansion": lambda G, parts, b: nx.node_expansion(G, parts[0], backend=b),
    "boundary_expansion": lambda G, parts, b: nx.boundary_expansion(G, parts[0], backend=b),
}


def per_call(func, budget, before=None):
    """Median per-call time, looping small calls until ``budget`` seconds."""
    times = []
    start = time.perf_counter()
    while len(times) < 3 or (time.perf_counter() - start < budget and len(times) < 200):
        if before is not None:
            before()
        t = time.perf_counter()
        func()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _crossover(sizes, ratios):
    """Smallest size from which klpart is never slower (None: never)."""
    for i in range(len(sizes)):
        if all(r <= 1.0 for r in ratios[i:]):
            return sizes[i]
    return None


def bench_threshold(args):
    sides = [2, 4, 6, 10, 16, 24, 40, 64, 100, 160]
    graphs = []
    for k in sides:
        G = nx.grid_2d_graph(k, k)
        nodes = list(G)
        parts = [set(nodes[: len(nodes) // 2]), set(nodes[len(nodes) // 2 :])]
        graphs.append((G, parts, G.number_of_nodes() + G.number_of_edges()))
    sizes = [size for _, _, size in graphs]
    print(
        "\n### should_run threshold: backend time / NetworkX time on k x k grid graphs "
        "(S = first half of the nodes)\n"
    )
    print("first: first call on the graph (conversion included); cached: conversion cached.\n")
    print("| function | call | " + " | ".join(str(size) for size in sizes) + " | crossover (n + m) |")
    print("|---|---|" + "---:|" * (len(sizes) + 1))
    suggested = {}
    for name, call in FUNCTIONS.items():
        first, cached = [], []
        for G, parts, size in graphs:
            if name == "kernighan_lin_bisection" and size > 20_000:
                first.append(0.0)  # NetworkX takes seconds here; klpart wins by far
                cached.append(0.0)
                continue
            t_nx = per_call(lambda: call(G, parts, "networkx"), args.budget)
            t_first = per_call(
                lambda: call(G, parts, "klpart"), args.budget, before=lambda: clear_cache(G)
            )
            call(G, parts, "klpart")
            t_cached = per_call(lambda: call(G, parts, "klpart"), args.budget)
            first.append(t_first / t_nx)
            cached.append(t_cached / t_nx)
        suggested[name] = (_crossover(sizes, first), _crossover(sizes, cached))
        for label, ratios, cross in (("first", first, suggested[name][0]), ("cached", cached, suggested[name][1])):
            print(
                f"| {name} | {label} | "
                + " | ".join(f"{r:.2f}" if r else "-" for r in ratios)
                + f" | {cross if cross is not None else 'never'} |"
            )
    print("\nratio < 1: the backend is faster than NetworkX.")
    print("suggested (first call, cached) thresholds:", suggested)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", default="kl,modularity,threshold")
    parser.add_argument("--repeats", type=int, default=5, help="klpart runs per measurement")
    parser.add_argument("--nx-repeats", type=int, default=1, help="NetworkX runs per measurement")
    parser.add_argument("--min-nodes", type=int, default=10_000, help="KL: smallest graph")
    parser.add_argument("--all", action="store_true", help="KL: every Walshaw graph")
    parser.add_argument("--budget", type=float, default=0.1, help="threshold: s per measurement")
    parser.add_argument("--rgg-nodes", type=int, default=330_000)
    parser.add_argument("--rgg-radius", type=float, default=0.00242)
    args = parser.parse_args(argv)
    parts = set(args.parts.split(","))

    print(machine_summary())
    t, _ = clock(warm_up)
    print(f"warm-up (kernels compiled or loaded): {t:.2f} s")
    if "threshold" in parts:
        bench_threshold(args)
    if "kl" in parts:
        bench_kl(args)
    if "modularity" in parts:
        bench_modularity(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
