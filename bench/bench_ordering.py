"""Fill-reducing orderings and vertex separators: klpart vs METIS (pymetis).

For each graph (the 14 Walshaw graphs, a 300x300 grid, a 40^3 grid and a
2^15-node Delaunay graph):

* ordering: nnz(L) (diagonal included, :func:`klpart.metrics.fill`) and time
  of ``klpart.nested_dissection`` vs METIS NodeND (``pymetis.nested_dissection``
  on ``pymetis.zero_copy_dtype()`` arrays prepared outside the timed region),
  reverse Cuthill-McKee (scipy) and Scotch when ``pyscotch`` imports;
* separator: ``klpart.vertex_separator`` (3% sides) vs the minimum vertex
  cover of the cut edges of METIS's 3% edge bisection (``part_graph(2,
  ufactor=30)``).

Every tool is warmed up first; times are medians of ``--repeats`` runs;
ratios are taken in the same run; geometric means over graphs.  Writes
``bench/results/ordering.md``.

Usage: ``python bench/bench_ordering.py [--repeats 3] [--graphs 3elt,add20]``
"""

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import WALSHAW_DIR, load_walshaw, machine_summary  # noqa: E402

WALSHAW = ["3elt", "add20", "add32", "bcsstk33", "crack", "cti", "data", "fe_4elt2", "fe_pwt", "finan512",
           "t60k", "uk", "whitaker3", "wing"]


def grid3d(n):
    import scipy.sparse as sp

    from klpart import CSRGraph

    path = sp.diags([1, 1], [-1, 1], shape=(n, n), format="csr")
    eye = sp.identity(n, format="csr")
    A = (sp.kron(sp.kron(path, eye), eye) + sp.kron(sp.kron(eye, path), eye) + sp.kron(sp.kron(eye, eye), path)).tocsr()
    A.sort_indices()
    return CSRGraph(A.indptr, A.indices, np.ones(A.nnz, np.int64), validate=False)


def graphs(selected):
    import klpart

    out = []
    for name in WALSHAW:
        if (WALSHAW_DIR / f"{name}.graph").exists():
            out.append((name, lambda name=name: load_walshaw(name).with_unit_weights()))
    out.append(("grid300x300", lambda: klpart.as_csr_graph(klpart.grid_graph(300, 300), weight=None)))
    out.append(("grid40^3", lambda: grid3d(40)))
    out.append(("delaunay2^15", lambda: klpart.delaunay_graph(2**15, seed=0)))
    if selected:
        out = [g for g in out if g[0] in selected]
    return out


def cover_size(indptr, indices, side):
    """Nodes in a minimum vertex cover of the cut edges of a bisection.

    The separator METIS's edge bisection would give after the classic cover
    step: the cut edges form a bipartite graph (side-0 ends against side-1
    ends), whose minimum vertex cover has as many nodes as a maximum
    matching (Konig's theorem); scipy finds the matching.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import maximum_bipartite_matching

    n = side.shape[0]
    rows = np.repeat(np.arange(n), np.diff(indptr))
    cut = (side[rows] == 0) & (side[indices] == 1)
    if not cut.any():
        return 0
    B = sp.csr_array((np.ones(int(cut.sum()), np.int8), (rows[cut], indices[cut])), shape=(n, n))
    match = maximum_bipartite_matching(B, perm_type="column")
    return int((match >= 0).sum())


def median_time(func, repeats):
    times = []
    result = None
    for _ in range(repeats):
        t = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def geomean(xs):
    xs = [x for x in xs if x and x > 0 and math.isfinite(x)]
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--graphs", default="")
    ap.add_argument("--out", default=str(HERE / "results" / "ordering.md"))
    args = ap.parse_args()

    import pymetis
    import scipy.sparse as sp
    from scipy.sparse.csgraph import reverse_cuthill_mckee

    import klpart
    from klpart.metrics import fill

    try:
        import pyscotch  # noqa: F401

        scotch_note = "pyscotch is importable, but its ordering binding is not wired here yet"
    except ImportError:
        scotch_note = "Scotch skipped: pyscotch is not installed"

    dt = pymetis.zero_copy_dtype()
    # warm-up: compile every kernel once
    warm = klpart.grid_graph(30, 30)
    klpart.nested_dissection(warm, seed=0)
    klpart.vertex_separator(warm, seed=0)
    fill(warm, np.arange(900))

    rows = []
    for name, make in graphs(set(filter(None, args.graphs.split(",")))):
        g = make()
        n = g.num_nodes
        adj = pymetis.CSRAdjacency(np.ascontiguousarray(g.indptr, dt), np.ascontiguousarray(g.indices, dt))
        A = sp.csr_array((np.ones(g.indices.shape[0]), g.indices, g.indptr), shape=(n, n))
        pymetis.nested_dissection(adjacency=adj)  # warm METIS too
        t_metis, (perm_m, _) = median_time(lambda: pymetis.nested_dissection(adjacency=adj), args.repeats)
        t_kl, order_k = median_time(lambda: klpart.nested_dissection(g, seed=0), args.repeats)
        t_rcm, order_r = median_time(lambda: reverse_cuthill_mckee(A, symmetric_mode=True), args.repeats)
        f_m = fill(g, np.asarray(perm_m, np.int64))
        f_k = fill(g, order_k)
        f_r = fill(g, np.asarray(order_r, np.int64))
        # separators
        opts = pymetis.Options(ufactor=30, seed=0)
        _, parts = pymetis.part_graph(2, adjacency=adj, options=opts)
        side = np.asarray(parts, np.int64)
        cover = cover_size(g.indptr, g.indices, side)
        t_sep, (sep, a, b) = median_time(lambda: klpart.vertex_separator(g, seed=0), args.repeats)
        wa, wb = len(a), len(b)
        sides_ok = max(wa, wb) <= 1.03 * math.ceil((wa + wb) / 2) + 1e-9
        rows.append(dict(name=name, n=n, f_m=f_m, f_k=f_k, f_r=f_r, t_m=t_metis, t_k=t_kl, t_r=t_rcm,
                         cover=cover, sep=len(sep), t_sep=t_sep, sides_ok=sides_ok))
        r = rows[-1]
        print(f"{name:14s} n={n:7d} fill klpart/METIS {f_k / f_m:.3f} time {t_kl / t_metis:6.2f}x  "
              f"RCM {f_r / f_m:7.2f}  sep {len(sep)}/{cover} = {len(sep) / max(cover, 1):.3f}", flush=True)

    lines = [
        "# Orderings and vertex separators: klpart vs METIS",
        "",
        f"Generated by `bench/bench_ordering.py` (median of {args.repeats} runs after a warm-up; ratios in the "
        f"same run). Machine: {machine_summary()}.",
        "",
        "nnz(L) counts the diagonal. METIS NodeND is `pymetis.nested_dissection` on zero-copy arrays with "
        "default options; klpart is `nested_dissection(g, seed=0)` on a CSRGraph; RCM is scipy's "
        f"`reverse_cuthill_mckee`. {scotch_note}.",
        "",
        "Separator: `klpart.vertex_separator(g, imbalance=0.03, seed=0)` (nodes) vs the minimum vertex cover "
        "of the cut edges of METIS's 3% edge bisection (`part_graph(2, Options(ufactor=30, seed=0))`).",
        "",
        "| graph | n | nnz(L) METIS | klpart / METIS | RCM / METIS | time METIS (s) | klpart time / METIS "
        "| METIS-bisection cover | klpart separator | ratio | sides within 3% |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|:-:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['n']} | {r['f_m']} | {r['f_k'] / r['f_m']:.3f} | {r['f_r'] / r['f_m']:.2f} | "
            f"{r['t_m']:.3f} | {r['t_k'] / r['t_m']:.2f} | {r['cover']} | {r['sep']} | "
            f"{r['sep'] / max(r['cover'], 1):.3f} | {'yes' if r['sides_ok'] else 'NO'} |"
        )
    gm_fill = geomean([r["f_k"] / r["f_m"] for r in rows])
    gm_time = geomean([r["t_k"] / r["t_m"] for r in rows])
    gm_rcm = geomean([r["f_r"] / r["f_m"] for r in rows])
    gm_sep = geomean([r["sep"] / max(r["cover"], 1) for r in rows])
    lines += [
        f"| **geomean** | | | **{gm_fill:.3f}** | {gm_rcm:.2f} | | **{gm_time:.2f}** | | | **{gm_sep:.3f}** | |",
        "",
        f"Targets: fill <= 1.05x METIS (measured {gm_fill:.3f}x) at <= 3x its time (measured {gm_time:.2f}x); "
        f"separator <= 0.90x the METIS-bisection cover (measured {gm_sep:.3f}x).",
        "",
    ]
    Path(args.out).write_text("\n".join(lines))
    print("\n".join(lines[-3:]))


if __name__ == "__main__":
    main()
