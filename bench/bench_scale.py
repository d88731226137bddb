"""Scale test: 2**20-node Delaunay and random geometric graphs, a 1000 x 1000 grid.

Each (graph, tool) runs in a fresh process so that peak memory is the tool's
own: the process loads the graph's CSR arrays from a cache file, records its
resident size (baseline), warms up (klpart: compiles or loads its kernels on
a small graph; METIS: nothing to warm), then times ``--runs`` partitions and
reports the median time and the peak resident size (``ru_maxrss``).

    python bench/bench_scale.py                 # Delaunay and grid, klpart and METIS, k = 2
    python bench/bench_scale.py --graphs delaunay20,rgg20 -k 2,64
    python bench/bench_scale.py --graphs grid --tools klpart,metis,kaminpar
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("KLPART_BENCH_CACHE", tempfile.gettempdir())) / "klpart-bench-graphs"


def graph_file(name):
    """CSR arrays of a named generated graph, cached as .npz."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}.npz"
    if not path.exists():
        from klpart.datasets import delaunay_graph, grid_graph

        if name == "delaunay20":
            g = delaunay_graph(2**20, seed=0)
        elif name == "rgg20":
            sys.path.insert(0, str(HERE))
            from suite.graphs import random_geometric_graph

            g = random_geometric_graph(2**20, seed=0)  # the generated suite's rgg family
        elif name == "grid":
            g = grid_graph(1000, 1000)
        else:
            raise SystemExit(f"unknown graph {name!r}; choose from delaunay20, rgg20, grid")
        np.savez(path, indptr=g.indptr, indices=g.indices, weights=g.edge_weights)
    return path


def _status_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb():
    """Current resident size."""
    return _status_mb("VmRSS")


def peak_rss_mb():
    """Peak resident size of this process image (VmHWM; unlike ru_maxrss it
    does not carry over the parent's peak across fork + exec)."""
    return _status_mb("VmHWM")


def child(tool, path, k, imbalance, runs):
    """Runs in the subprocess: prints one JSON line."""
    data = np.load(path)
    indptr, indices, weights = data["indptr"], data["indices"], data["weights"]
    n = indptr.shape[0] - 1
    if tool == "klpart" or tool.startswith("klpart-"):
        import klpart
        from klpart.datasets import delaunay_graph

        g = klpart.CSRGraph(indptr, indices, weights, validate=False)
        preset = "default" if tool == "klpart" else tool.split("-", 1)[1]
        klpart.partition(delaunay_graph(2000, seed=1), k, preset=preset, seed=0)  # warm-up
        base = rss_mb()

        def run(seed):
            return klpart.partition(g, k, imbalance=imbalance, preset=preset, seed=seed).cut

    elif tool == "metis":
        sys.path.insert(0, str(HERE))
        from anchors import Metis

        from klpart import CSRGraph

        metis = Metis()  # zero-copy arrays, prepared once like klpart's CSRGraph
        metis.prepare(CSRGraph(indptr, indices, weights, validate=False), None)
        base = rss_mb()

        def run(seed):
            labels = metis.run(k, imbalance, seed)
            return float(weights[labels[np.repeat(np.arange(n), np.diff(indptr))] != labels[indices]].sum() / 2)

    elif tool == "kaminpar":
        sys.path.insert(0, str(HERE))
        import kaminpar
        from anchors import quiet_stdout

        from klpart import CSRGraph, write_metis

        tmp = tempfile.NamedTemporaryFile(suffix=".graph", delete=False)
        write_metis(CSRGraph(indptr, indices, weights, validate=False), tmp.name)
        base = rss_mb()
        kgraph = kaminpar.load_graph(tmp.name, kaminpar.GraphFileFormat.METIS)
        solver = kaminpar.KaMinPar(1, kaminpar.default_context())

        def run(seed):
            kaminpar.reseed(seed)
            with quiet_stdout():
                parts = solver.compute_partition(kgraph, k, imbalance)
            return kaminpar.edge_cut(kgraph, parts)

    else:
        raise SystemExit(f"unknown tool {tool}")
    times, cuts = [], []
    for seed in range(runs):
        t = time.perf_counter()
        cuts.append(run(seed))
        times.append(time.perf_counter() - t)
    peak = peak_rss_mb()
    print(json.dumps(dict(tool=tool, n=n, time=statistics.median(times), cut=statistics.median(cuts),
                          baseline_mb=base, peak_mb=peak)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", default="delaunay20,grid")
    parser.add_argument("--tools", default="klpart,metis")
    parser.add_argument("-k", default="2", help="block counts, comma-separated (a table each)")
    parser.add_argument("--imbalance", type=float, default=0.03)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], int(args.k), args.imbalance, args.runs)
        return
    sys.path.insert(0, str(HERE))
    from common import machine_summary

    print(machine_summary())
    for k in [int(x) for x in args.k.split(",")]:
        print()
        _table(args, k)


def _table(args, k):
    print(f"k = {k}, imbalance {args.imbalance}, median of {args.runs} runs after warm-up; "
          "memory: peak resident size (VmHWM) of a fresh process (baseline = after loading the graph and imports)\n")
    print("| graph | n | tool | cut | cut / METIS | time | time / METIS | peak RSS | above baseline | peak / METIS |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.graphs.split(","):
        path = graph_file(name)
        rows = []
        for tool in args.tools.split(","):
            out = subprocess.run(
                [sys.executable, __file__, "--child", tool, str(path), "-k", str(k),
                 "--imbalance", str(args.imbalance), "--runs", str(args.runs)],
                capture_output=True, text=True,
            )
            if out.returncode != 0:
                print(f"| {name} | - | {tool} | failed: {out.stderr.strip().splitlines()[-1]} |")
                continue
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        ref = next((r for r in rows if r["tool"] == "metis"), None)
        for r in rows:
            cr = f"{r['cut'] / ref['cut']:.3f}" if ref and ref["cut"] > 0 else "-"
            tr = f"{r['time'] / ref['time']:.2f}x" if ref else "-"
            mr = f"{r['peak_mb'] / ref['peak_mb']:.2f}x" if ref else "-"
            print(f"| {name} | {r['n']} | {r['tool']} | {r['cut']:.0f} | {cr} | {r['time']:.2f} s | {tr} "
                  f"| {r['peak_mb']:.0f} MB | {r['peak_mb'] - r['baseline_mb']:.0f} MB | {mr} |", flush=True)


if __name__ == "__main__":
    main()
