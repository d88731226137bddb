"""Plots of a benchmark results directory (written by ``bench/run.py``).

    python bench/plots.py bench/results/generated        # (re)draw the PNGs

* ``benchmark.png`` -- cut ratio vs time ratio to METIS per tool and the
  performance profile of the cut (``klpart.plot.benchmark``), all k; with
  several k also ``benchmark_k<K>.png`` per k;
* ``scaling.png`` -- for the generated families (Delaunay, random geometric,
  grid): time per edge (ns, median over seeds) and peak memory above the
  input against the number of edges, one line per tool and family, one row
  of panels per k.
"""

import argparse
import math
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from suite.report import GENERATED_FAMILIES, read_rows  # noqa: E402

MARKERS = {"delaunay": "o", "grid": "s", "rgg": "^"}
LINESTYLES = {"delaunay": "-", "grid": "--", "rgg": ":"}


def scaling_figure(rows):
    """Time per edge and peak memory against size for generated graphs; None
    when there are none."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    from klpart.plot import palette

    plain = FuncFormatter(lambda v, _: f"{v:g}")

    rows = [r for r in rows if r.get("family") in GENERATED_FAMILIES]
    if not rows:
        return None
    ks = sorted({r["k"] for r in rows})
    tools = list(dict.fromkeys(r["tool"] for r in rows))
    colors = dict(zip(tools, palette(len(tools))))
    fig, axes = plt.subplots(len(ks), 2, figsize=(11, 4.2 * len(ks)), layout="constrained", squeeze=False)
    for (ax_t, ax_m), k in zip(axes, ks):
        groups = {}
        for r in rows:
            if r["k"] == k:
                groups.setdefault((r["tool"], r["family"]), {}).setdefault((r["m"], r["graph"]), []).append(r)
        for (tool, family), by_graph in sorted(groups.items(), key=lambda x: (tools.index(x[0][0]), x[0][1])):
            sizes = sorted(by_graph)
            ms = [m for m, _ in sizes]
            ns_per_edge = [statistics.median(r["time"] for r in by_graph[s]) / max(s[0], 1) * 1e9 for s in sizes]
            style = dict(color=colors[tool], marker=MARKERS.get(family, "D"), linestyle=LINESTYLES.get(family, "-"),
                         label=f"{tool} {family}")
            line, = ax_t.plot(ms, ns_per_edge, **style)
            line.set_gid(f"time {tool} {family}")
            peaks = [statistics.median(r["peak_mb"] for r in by_graph[s]) for s in sizes]
            if not all(isinstance(p, float) and math.isnan(p) for p in peaks):
                line, = ax_m.plot(ms, peaks, **style)
                line.set_gid(f"memory {tool} {family}")
        ax_t.set_xscale("log")
        ax_t.set_yscale("log")
        ax_t.set_xlabel("edges m")
        ax_t.set_ylabel("time per edge (ns)")
        ax_t.set_title(f"time / m, k = {k} (median over seeds)")
        ax_t.grid(True, which="both", alpha=0.3)
        ax_t.legend(fontsize="small")
        ax_m.set_xscale("log")
        ax_m.set_yscale("log")
        ax_m.set_xlabel("edges m")
        ax_m.set_ylabel("peak memory above input (MB)")
        ax_m.set_title(f"peak memory, k = {k}")
        ax_m.grid(True, which="both", alpha=0.3)
        for ax in (ax_t, ax_m):
            ax.yaxis.set_major_locator(LogLocator(subs=(1, 2, 5)))
            ax.yaxis.set_major_formatter(plain)
            ax.yaxis.set_minor_formatter(NullFormatter())
    return fig


def write_plots(out_dir, rows=None, reference="metis"):
    """Draw the PNGs of a results directory; returns their paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from klpart import plot

    out_dir = Path(out_dir)
    if rows is None:
        rows = read_rows(out_dir / "results.csv")
    if not rows:
        return []
    written = []
    tools = {r["tool"] for r in rows}
    ref = reference if reference in tools else None
    ks = sorted({r["k"] for r in rows})
    for k, name in [(None, "benchmark.png")] + ([(k, f"benchmark_k{k}.png") for k in ks] if len(ks) > 1 else []):
        plot_rows = [dict(graph=r["graph"], tool=r["tool"], k=r["k"], cut=r["cut"], time=r["time"],
                          balanced=r["balanced"]) for r in rows]
        try:
            fig = plot.benchmark(plot_rows, reference=ref, k=k)
        except ValueError as err:
            print(f"plots: {name} not drawn ({err})", file=sys.stderr)
            continue
        fig.suptitle("all k" if k is None else f"k = {k}")
        fig.savefig(out_dir / name, dpi=110)
        plt.close(fig)
        written.append(out_dir / name)
    fig = scaling_figure(rows)
    if fig is not None:
        fig.savefig(out_dir / "scaling.png", dpi=110)
        plt.close(fig)
        written.append(out_dir / "scaling.png")
    return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", help="a results directory (with results.csv)")
    parser.add_argument("--reference", default="metis")
    args = parser.parse_args()
    for path in write_plots(args.results, reference=args.reference):
        print(path)


if __name__ == "__main__":
    main()
