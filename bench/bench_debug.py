"""Debug mode on the dev graphs: it runs clean, changes nothing, and costs time.

    python bench/bench_debug.py                 # writes bench/results/debug.md
    python bench/bench_debug.py --graphs 3elt --k 2 --repeats 1 --out /tmp/d.md

Per graph and k: ``partition`` with the default preset, then the same call
with ``config.debug=True`` (after each phase the driver recomputes the cut
and the block weights from the labels, and checks each contraction keeps
the total node weight and projects cuts exactly; see
``klpart/multilevel/cycle.py``).  Reported: whether debug mode raised,
whether it returned the same labels, and both times (median of
``--repeats`` after a warm-up call), so the reader sees the checks run.
"""

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from common import WALSHAW_DIR, load_walshaw, machine_summary, timed
from suite.report import geomean

HERE = Path(__file__).resolve().parent


def measure(g, k, repeats, seed=0):
    """One row: plain and debug time, same labels, and the error if any."""
    import klpart
    from klpart.config import preset

    plain_cfg = preset("default")
    debug_cfg = replace(plain_cfg, debug=True)
    klpart.partition(g, k, config=plain_cfg, seed=seed)  # warm-up (kernels compiled)
    plain, plain_s = timed(lambda: klpart.partition(g, k, config=plain_cfg, seed=seed), repeats)
    try:
        checked, debug_s = timed(lambda: klpart.partition(g, k, config=debug_cfg, seed=seed), repeats)
    except AssertionError as error:  # InvariantError
        return dict(clean=False, error=str(error), same=False, plain_s=plain_s, debug_s=None)
    return dict(clean=True, error="", same=bool(np.array_equal(plain.labels, checked.labels)), plain_s=plain_s,
                debug_s=debug_s)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graphs", default=None, help="comma-separated Walshaw names (default: all)")
    parser.add_argument("--k", default="2,16", help="comma-separated block counts (default 2,16)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=str(HERE / "results" / "debug.md"))
    args = parser.parse_args(argv)
    names = args.graphs.split(",") if args.graphs else sorted(p.stem for p in WALSHAW_DIR.glob("*.graph"))
    ks = [int(x) for x in args.k.split(",")]
    rows, ratios, failures = [], [], 0
    for name in names:
        g = load_walshaw(name)
        for k in ks:
            r = measure(g, k, args.repeats)
            failures += not (r["clean"] and r["same"])
            ratio = r["debug_s"] / r["plain_s"] if r["debug_s"] else None
            if ratio:
                ratios.append(ratio)
            rows.append(f"| {name} | {k} | {'yes' if r['clean'] else 'NO: ' + r['error']} | "
                        f"{'yes' if r['same'] else 'NO'} | {r['plain_s'] * 1000:.1f} | "
                        + (f"{r['debug_s'] * 1000:.1f} | {ratio:.2f}x |" if ratio else "- | - |"))
            print(rows[-1], flush=True)
    lines = [
        "# Debug mode (`python bench/bench_debug.py`)",
        "",
        machine_summary() + f"; default preset, seed 0, median of {args.repeats} runs after a warm-up call.",
        "",
        "| graph | k | debug mode clean | same labels | plain ms | debug ms | debug / plain |",
        "|---|---:|---|---|---:|---:|---:|",
        *rows,
        "",
        f"Clean with the same labels in {len(rows) - failures} of {len(rows)} cells; "
        f"debug mode costs {geomean(ratios):.2f}x the plain time (geometric mean).",
    ]
    Path(args.out).write_text("\n".join(lines) + "\n")
    print(lines[-1])
    print("wrote", args.out)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
