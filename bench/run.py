"""Side-by-side partitioning benchmark: klpart against METIS, KaHIP, KaMinPar.

    python bench/run.py                                  # Walshaw graphs, k=2, 3 seeds
    python bench/run.py --tools klpart,metis,kahip-eco -k 2,4 --seeds 5
    python bench/run.py --graphs ../shared/graphs/walshaw/3elt.graph --quick

Every tool partitions the same CSR graph (converted once, outside the
timing); klpart's kernels are compiled by a warm-up before anything is
timed.  Each cell (graph x tool x k x seed) is one timed run; the summary
takes the median over seeds, then per graph the ratio to METIS, then the
geometric mean over graphs.  Results go to ``--out`` as results.csv and
results.md.
"""

import argparse
import csv
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from anchors import make_tools  # noqa: E402
from common import WALSHAW_DIR, geomean, load_walshaw, machine_summary  # noqa: E402

FIELDS = ["graph", "n", "m", "tool", "k", "seed", "cut", "imbalance", "balanced", "time"]


def graph_sources(specs):
    """(name, path) for each METIS file or folder of METIS files."""
    out = []
    for spec in specs:
        p = Path(spec)
        if p.is_dir():
            out.extend((f.stem, f) for f in sorted(p.glob("*.graph")))
        elif p.exists():
            out.append((p.stem, p))
        elif (WALSHAW_DIR / f"{spec}.graph").exists():
            out.append((spec, WALSHAW_DIR / f"{spec}.graph"))
        else:
            raise SystemExit(f"no graph file or folder {spec!r}")
    return out


def evaluate(graph, labels, k, imbalance):
    from klpart._kernels.kway import kway_cut

    labels = np.asarray(labels, np.int64)
    cut = kway_cut(graph.indptr, graph.indices, graph.edge_weights, labels)
    weights = np.bincount(labels, weights=graph.node_weights, minlength=k)
    total = graph.node_weights.sum()
    bound = math.floor((1 + imbalance) * math.ceil(total / k) + 1e-9)
    return float(cut), float(weights.max() / (total / k) - 1), bool(weights.max() <= bound)


def warm_up():
    import klpart
    from klpart.datasets import delaunay_graph

    g = delaunay_graph(500, seed=0)
    for k in (2, 3):
        klpart.partition(g, k, seed=0)
    klpart.kernighan_lin_bisection(g, seed=0)


def run_cells(sources, tools, ks, seeds, imbalance, out_rows, progress=True):
    for name, path in sources:
        graph = load_graph_file(path)
        for tool in tools:
            tool.prepare(graph, path)
            for k in ks:
                for seed in seeds:
                    t = time.perf_counter()
                    try:
                        labels = tool.run(k, imbalance, seed)
                    except ValueError as err:
                        print(f"  {name} {tool.name} k={k}: skipped ({err})", file=sys.stderr)
                        break
                    elapsed = time.perf_counter() - t
                    cut, imb, ok = evaluate(graph, labels, k, imbalance)
                    row = dict(graph=name, n=graph.num_nodes, m=graph.num_edges, tool=tool.name, k=k, seed=seed,
                               cut=cut, imbalance=round(imb, 6), balanced=ok, time=elapsed)
                    out_rows.append(row)
                    if progress:
                        flag = "" if ok else "  ** BALANCE VIOLATED **"
                        print(f"  {name:12s} {tool.name:14s} k={k:<3d} seed={seed} cut={cut:10.0f} "
                              f"imb={imb:6.3f} time={elapsed:8.4f}s{flag}", file=sys.stderr, flush=True)


def load_graph_file(path):
    if Path(path).parent == WALSHAW_DIR:
        return load_walshaw(Path(path).stem)
    from klpart import read_metis

    return read_metis(path)


def summarize(rows, reference="metis"):
    """Markdown: per graph and k, median cut and time per tool and the ratio
    to the reference tool; then geometric means of the ratios."""
    cells = {}
    for r in rows:
        cells.setdefault((r["graph"], int(r["k"]), r["tool"]), []).append(r)
    graphs = sorted({(r["graph"], int(r["n"])) for r in rows}, key=lambda x: x[1])
    ks = sorted({int(r["k"]) for r in rows})
    tools = list(dict.fromkeys(r["tool"] for r in rows))
    lines = []
    ratios = {(t, k): ([], []) for t in tools for k in ks}
    violations = [r for r in rows if str(r["balanced"]) in ("False", "false", "0")]
    for k in ks:
        lines.append(f"\n### k = {k}\n")
        head = "| graph | n | " + " | ".join(f"{t} cut | {t} time" for t in tools) + " |"
        lines.append(head)
        lines.append("|---|---:|" + "---:|---:|" * len(tools))
        for g, n in graphs:
            ref = cells.get((g, k, reference))
            ref_cut = statistics.median(float(r["cut"]) for r in ref) if ref else None
            ref_time = statistics.median(float(r["time"]) for r in ref) if ref else None
            parts = []
            for t in tools:
                c = cells.get((g, k, t))
                if not c:
                    parts.append("- | -")
                    continue
                cut = statistics.median(float(r["cut"]) for r in c)
                tm = statistics.median(float(r["time"]) for r in c)
                if ref_cut:
                    cr, tr = cut / ref_cut, tm / ref_time
                    ratios[(t, k)][0].append(cr)
                    ratios[(t, k)][1].append(tr)
                    parts.append(f"{cut:.0f} ({cr:.3f}) | {tm * 1e3:.1f} ms ({tr:.2f}x)")
                else:
                    parts.append(f"{cut:.0f} | {tm * 1e3:.1f} ms")
            lines.append(f"| {g} | {n} | " + " | ".join(parts) + " |")
    lines.append(f"\n### Geometric means over graphs (ratios to {reference}, medians over seeds)\n")
    lines.append("| tool | k | cut ratio | time ratio |")
    lines.append("|---|---:|---:|---:|")
    for t in tools:
        for k in ks:
            cr, tr = ratios[(t, k)]
            if cr:
                lines.append(f"| {t} | {k} | {geomean(cr):.3f} | {geomean(tr):.2f} |")
    lines.append(f"\nbalance violations: {len(violations)}"
                 + "".join(f"\n- {r['graph']} {r['tool']} k={r['k']} seed={r['seed']}: "
                           f"imbalance {float(r['imbalance']):.4f}" for r in violations))
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", nargs="*", default=[str(WALSHAW_DIR)],
                        help="METIS files, folders of them, or Walshaw names")
    parser.add_argument("--tools", default="klpart,klpart-strong,metis,kahip-fast,kahip-eco,kahip-strong,kaminpar")
    parser.add_argument("-k", default="2", help="comma-separated block counts")
    parser.add_argument("--imbalance", type=float, default=0.03)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--out", default="bench/out")
    parser.add_argument("--quick", action="store_true", help="two small graphs, one seed")
    args = parser.parse_args()

    if args.quick:
        args.graphs = ["add20", "3elt"]
        args.seeds = 1
    sources = graph_sources(args.graphs)
    tools, notes = make_tools(args.tools.split(","))
    for note in notes:
        print(note, file=sys.stderr)
    ks = [int(x) for x in args.k.split(",")]
    print(machine_summary(), file=sys.stderr)
    warm_up()
    rows = []
    run_cells(sources, tools, ks, range(args.seeds), args.imbalance, rows)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "results.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    report = f"{machine_summary()}\n\nimbalance {args.imbalance}, seeds {args.seeds}\n" + summarize(rows)
    (out / "results.md").write_text(report + "\n")
    print(report)


if __name__ == "__main__":
    main()
