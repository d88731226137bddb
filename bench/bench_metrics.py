"""klpart.metrics.report on ~1M-edge graphs, against nx.community.modularity.

Two cases, both with an 8-block partition into vertical slabs of the point
coordinates (a realistic, geometric partition):

* scipy: a Delaunay mesh (``klpart.datasets.delaunay_graph``) given as a
  ``scipy.sparse.csr_array``; target: ``report`` (conversion included) in
  <= 0.15 s.
* networkx: ``nx.random_geometric_graph`` given as an ``nx.Graph`` and the
  partition as a list of sets; target: ``report`` (conversion included, every
  metric) >= 3x faster than ``nx.community.modularity`` alone.

Kernels are compiled first (warm-up); every time is the median of several
in-process runs, each after ``gc.collect()`` so that neither side pays for
the other's garbage.  Each klpart total is split into conversion
(``as_csr_graph``) and metrics on the converted graph.

    python bench/bench_metrics.py
    python bench/bench_metrics.py --rgg-nodes 100000     # denser RGG, same edge count
    python bench/bench_metrics.py --repeats 9 --json results.json
"""

import argparse
import json
import math
import sys
from pathlib import Path

import networkx as nx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine_summary, timed  # noqa: E402

K = 8


def slabs(x, k=K):
    """Block of each point: its vertical slab among k equal ones."""
    return np.minimum((np.asarray(x) * k).astype(np.int64), k - 1)


def bench_scipy(n, seed, repeats, nx_repeats):
    from klpart import metrics
    from klpart.convert import as_csr_graph
    from klpart.datasets import delaunay_graph

    g, points = delaunay_graph(n, seed=seed, return_positions=True)
    A = g.to_scipy()
    labels = slabs(points[:, 0])
    metrics.report(A, labels)  # warm-up: compile / load the kernels
    r, t_total = timed(lambda: metrics.report(A, labels), repeats)
    g2, t_conv = timed(lambda: as_csr_graph(A), repeats)
    _, t_metrics = timed(lambda: metrics.report(g2, labels), repeats)
    row = {
        "case": "scipy csr_array",
        "graph": f"Delaunay n={n}",
        "n": g.num_nodes,
        "m": g.num_edges,
        "t_report": t_total,
        "t_conversion": t_conv,
        "t_metrics": t_metrics,
        "target": "<= 0.15 s",
        "met": t_total <= 0.15,
        "modularity": r.modularity,
    }
    if nx_repeats:
        G = g.to_networkx()
        blocks = [set(np.flatnonzero(labels == b).tolist()) for b in range(K)]
        q, t_nx = timed(lambda: nx.community.modularity(G, blocks), nx_repeats)
        row["t_nx_modularity"] = t_nx
        row["speedup"] = t_nx / t_total
        row["modularity_diff"] = abs(q - r.modularity)
    return row


def bench_networkx(n, edges, seed, repeats, nx_repeats, radius=None):
    from klpart import metrics
    from klpart.convert import as_csr_graph

    if radius is None:
        # expected edges ~ C(n, 2) * pi r^2 (the border loses ~1 %)
        radius = math.sqrt(2 * edges / (math.pi * n * (n - 1)))
    G = nx.random_geometric_graph(n, radius, seed=seed)
    pos = nx.get_node_attributes(G, "pos")
    labels = slabs([pos[u][0] for u in G])
    blocks = [set() for _ in range(K)]
    for u, b in zip(G, labels.tolist()):
        blocks[b].add(u)
    metrics.report(G, blocks)  # warm-up
    r, t_total = timed(lambda: metrics.report(G, blocks), repeats)
    g, t_conv = timed(lambda: as_csr_graph(G), repeats)
    _, t_metrics = timed(lambda: metrics.report(g, blocks), repeats)
    q, t_nx = timed(lambda: nx.community.modularity(G, blocks), nx_repeats)
    return {
        "case": "nx.Graph",
        "graph": f"RGG n={n} r={radius:.5f}",
        "n": G.number_of_nodes(),
        "m": G.number_of_edges(),
        "t_report": t_total,
        "t_conversion": t_conv,
        "t_metrics": t_metrics,
        "t_nx_modularity": t_nx,
        "speedup": t_nx / t_total,
        "target": ">= 3x nx modularity",
        "met": t_nx / t_total >= 3,
        "modularity": r.modularity,
        "modularity_diff": abs(q - r.modularity),
    }


def markdown(rows):
    def ms(x):
        return f"{x * 1e3:.0f} ms" if x is not None else "-"

    lines = [
        "| input | graph | n | m | klpart report | of which conversion | metrics on CSRGraph "
        "| nx modularity | speed-up | target | met |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        speedup = f"{r['speedup']:.1f}x" if "speedup" in r else "-"
        lines.append(
            f"| {r['case']} | {r['graph']} | {r['n']:,} | {r['m']:,} | {ms(r['t_report'])} "
            f"| {ms(r['t_conversion'])} | {ms(r['t_metrics'])} | {ms(r.get('t_nx_modularity'))} "
            f"| {speedup} | {r['target']} | {'yes' if r['met'] else 'NO'} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edges", type=int, default=1_000_000, help="target edge count")
    parser.add_argument("--delaunay-nodes", type=int, default=None, help="default: edges / 3")
    parser.add_argument("--rgg-nodes", type=int, default=330_000)
    parser.add_argument("--rgg-radius", type=float, default=None, help="default: sized to --edges")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=7, help="klpart runs per timing (>= 5)")
    parser.add_argument(
        "--nx-repeats", type=int, default=3, help="NetworkX runs (0: skip it on the mesh)"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = parser.parse_args(argv)

    print(machine_summary())
    rows = [
        bench_scipy(
            args.delaunay_nodes or args.edges // 3, args.seed, args.repeats, args.nx_repeats
        ),
        bench_networkx(
            args.rgg_nodes,
            args.edges,
            args.seed,
            args.repeats,
            max(args.nx_repeats, 1),
            args.rgg_radius,
        ),
    ]
    print(f"k = {K} slab blocks; medians of {args.repeats} klpart runs, "
          f"{max(args.nx_repeats, 1)} NetworkX runs; conversion included in 'klpart report'")
    print()
    print(markdown(rows))
    for r in rows:
        if "modularity_diff" in r:
            print(f"\n{r['case']}: modularity {r['modularity']:.12f}, "
                  f"|klpart - networkx| = {r['modularity_diff']:.1e}", end="")
    print()
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
