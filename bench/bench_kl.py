"""klpart.kernighan_lin_bisection against NetworkX's, side by side.

For every graph and seed: NetworkX's KL and klpart's drop-in from the same
nx.Graph (conversion included), klpart from a CSRGraph (no conversion), the
cut of each, and the conversion cost against ``nx.to_scipy_sparse_array``.
Times are taken after warm-up (kernels compiled); each klpart time is the
median of ``--repeats`` runs; NetworkX runs once per seed (it is slow).

    python bench/bench_kl.py                       # all Walshaw graphs, seeds 0-4
    python bench/bench_kl.py --graphs 3elt crack --seeds 2
    python bench/bench_kl.py --startup             # compile time and warm-cache start-up only
    python bench/bench_kl.py --tie-breaks          # cut per KL tie-breaking rule
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WALSHAW_DIR, geomean, load_walshaw, machine_summary, timed  # noqa: E402

from klpart.datasets import delaunay_graph, grid_graph  # noqa: E402


GENERATED = {
    "delaunay5k": lambda: delaunay_graph(5000, seed=1),
    "delaunay20k": lambda: delaunay_graph(20000, seed=1),
    "grid100x100": lambda: grid_graph(100, 100),
}


def load(name):
    """A Walshaw graph by name, or one of the GENERATED graphs."""
    return GENERATED[name]() if name in GENERATED else load_walshaw(name)


def bench_graph(name, seeds, repeats, nx_limit):
    import klpart
    from klpart.convert import from_networkx

    g = load(name)
    G = g.to_networkx()
    entries = 2 * G.number_of_edges()
    _, t_ours_conv = timed(lambda: from_networkx(G), repeats)
    _, t_nx_conv = timed(lambda: nx.to_scipy_sparse_array(G), max(1, repeats // 2))
    row = {
        "graph": name,
        "n": G.number_of_nodes(),
        "m": G.number_of_edges(),
        "conv_ns": t_ours_conv / entries * 1e9,
        "nx_conv_ns": t_nx_conv / entries * 1e9,
    }
    cut_ratio, t_nx, t_end, t_csr, cuts_ours, cuts_nx = [], [], [], [], [], []
    for seed in seeds:
        (A, _), t1 = timed(lambda: klpart.kernighan_lin_bisection(G, seed=seed), repeats)
        (_, _), t2 = timed(lambda: klpart.kernighan_lin_bisection(g, seed=seed), repeats)
        ours = nx.cut_size(G, A)
        cuts_ours.append(ours)
        t_end.append(t1)
        t_csr.append(t2)
        if row["n"] <= nx_limit:
            (B, _), t3 = timed(lambda: nx.community.kernighan_lin_bisection(G, seed=seed))
            theirs = nx.cut_size(G, B)
            cuts_nx.append(theirs)
            t_nx.append(t3)
            cut_ratio.append(ours / theirs)
    row["cut_klpart"] = statistics.median(cuts_ours)
    row["t_klpart_nx"] = statistics.median(t_end)
    row["t_klpart_csr"] = statistics.median(t_csr)
    if t_nx:
        row["cut_networkx"] = statistics.median(cuts_nx)
        row["cut_ratio"] = geomean(cut_ratio)
        row["t_networkx"] = statistics.median(t_nx)
        row["speedup_nx"] = row["t_networkx"] / row["t_klpart_nx"]
        row["speedup_csr"] = row["t_networkx"] / row["t_klpart_csr"]
    return row


STARTUP_CODE = """
import time
t = time.perf_counter()
import networkx as nx, klpart
from klpart.datasets import delaunay_graph
G = delaunay_graph(1000, seed=0).to_networkx()
t1 = time.perf_counter()
klpart.kernighan_lin_bisection(G, seed=0)
print(t1 - t, time.perf_counter() - t1)
"""


def startup():
    """Cold first call (empty Numba cache) and a warm-cache new process."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        rows = []
        for label in ("cold (compiles kernels)", "warm cache, new process"):
            t = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", STARTUP_CODE], env=env, capture_output=True, text=True, check=True
            )
            total = time.perf_counter() - t
            imports, call = map(float, out.stdout.split())
            rows.append((label, total, imports, call))
    print("| process | wall total | imports + graph | first bisection |")
    print("|---|---:|---:|---:|")
    for label, total, imports, call in rows:
        print(f"| {label} | {total:.2f} s | {imports:.2f} s | {call:.2f} s |")


def tie_breaks(names, seeds):
    """Cut after 10 passes from NetworkX's start, per tie-breaking rule."""
    import random

    from klpart.kl import kl_refine
    from klpart.metrics import cut
    from klpart.nx_api import initial_side

    rules = ("lifo", "fifo", "networkx")
    print("| graph | " + " | ".join(f"cut ({r})" for r in rules) + " |")
    print("|---|" + "---:|" * len(rules))
    ratios = {r: [] for r in rules}
    for name in names:
        g = load(name)
        cuts = {r: [] for r in rules}
        for seed in seeds:
            for r in rules:
                # an int seed: the random.Random(seed) NetworkX makes from it
                side = initial_side(list(g.labels()), None, random.Random(seed))
                kl_refine(g.indptr, g.indices, g.edge_weights, side, 10, tie_break=r)
                cuts[r].append(cut(g, side, weight="weight"))
        med = {r: statistics.median(cuts[r]) for r in rules}
        for r in rules:
            ratios[r].append(med[r] / med["networkx"])
        print(f"| {name} | " + " | ".join(f"{med[r]:.0f}" for r in rules) + " |", flush=True)
    print("\ngeomean cut / networkx rule: " + ", ".join(f"{r} {geomean(ratios[r]):.3f}" for r in rules))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", nargs="*", default=None,
                        help=f"Walshaw names or {', '.join(GENERATED)} (default: all of both)")
    parser.add_argument("--seeds", type=int, default=5, help="seeds 0..N-1 (default 5)")
    parser.add_argument("--repeats", type=int, default=3, help="klpart runs per cell (median)")
    parser.add_argument("--nx-limit", type=int, default=10**6, help="skip NetworkX above this many nodes")
    parser.add_argument("--startup", action="store_true", help="only measure start-up")
    parser.add_argument("--tie-breaks", action="store_true", help="only compare KL tie-breaking rules")
    args = parser.parse_args()

    print(machine_summary())
    if args.startup:
        startup()
        return
    import klpart

    klpart.kernighan_lin_bisection(nx.path_graph(4), seed=0)  # warm-up: compile kernels
    names = args.graphs or sorted(p.stem for p in WALSHAW_DIR.glob("*.graph")) + list(GENERATED)
    if args.tie_breaks:
        tie_breaks(names, range(args.seeds))
        return
    rows = []
    print(
        "| graph | n | m | cut NX | cut klpart | cut ratio | NX s | klpart s (from nx) | speedup"
        " | klpart s (CSR) | speedup CSR | conv ns/entry | nx.to_scipy ns/entry |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in names:
        r = bench_graph(name, range(args.seeds), args.repeats, args.nx_limit)
        rows.append(r)
        print(
            f"| {r['graph']} | {r['n']} | {r['m']} | {r.get('cut_networkx', '-')} | {r['cut_klpart']} "
            f"| {r.get('cut_ratio', float('nan')):.3f} | {r.get('t_networkx', float('nan')):.3f} "
            f"| {r['t_klpart_nx']:.4f} | {r.get('speedup_nx', float('nan')):.0f}x "
            f"| {r['t_klpart_csr']:.4f} | {r.get('speedup_csr', float('nan')):.0f}x "
            f"| {r['conv_ns']:.0f} | {r['nx_conv_ns']:.0f} |",
            flush=True,
        )
    with_nx = [r for r in rows if "cut_ratio" in r and r["graph"] not in GENERATED]
    big = [r for r in with_nx if r["n"] >= 10_000]
    print()
    generated = [r for r in rows if "cut_ratio" in r and r["graph"] in GENERATED]
    if generated:
        print(f"generated graphs ({len(generated)}): geomean cut klpart/NetworkX "
              f"{geomean([r['cut_ratio'] for r in generated]):.3f}, speedup from nx.Graph "
              f"{geomean([r['speedup_nx'] for r in generated]):.0f}x")
    print(f"Walshaw: geomean cut klpart/NetworkX over {len(with_nx)} graphs x {args.seeds} seeds: "
          f"{geomean([r['cut_ratio'] for r in with_nx]):.3f}")
    if big:
        print(f"graphs with >= 10k nodes ({len(big)}): geomean speedup from nx.Graph "
              f"{geomean([r['speedup_nx'] for r in big]):.0f}x, from CSR "
              f"{geomean([r['speedup_csr'] for r in big]):.0f}x")
    print(f"conversion: {np.median([r['conv_ns'] for r in rows]):.0f} ns/entry (klpart) vs "
          f"{np.median([r['nx_conv_ns'] for r in rows]):.0f} ns/entry (nx.to_scipy_sparse_array), median over graphs")


if __name__ == "__main__":
    main()
