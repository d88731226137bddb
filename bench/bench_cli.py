"""Start-up and wall time of the ``klpart`` console script.

Issue 7 asks that ``klpart partition`` on a 1,000-node graph finish in under
2 s wall time once the Numba cache is warm.  This runs the installed console
script in a fresh process each time (as a user does), with one warm-up run
first, which compiles the kernels into Numba's on-disk cache or loads them;
then it reports the median of ``--repeats`` runs.  Anchors measured in the
same run: the bare interpreter (``python -c pass``) and ``klpart --help``,
which imports no heavy module.

    python bench/bench_cli.py
    python bench/bench_cli.py --nodes 1000 --k 4 --repeats 5
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIMIT = 2.0  # seconds, from the issue


def console_script():
    """The ``klpart`` script next to this interpreter, else ``python -m klpart``."""
    script = Path(sys.executable).parent / "klpart"
    if script.exists():
        return [str(script)]
    found = shutil.which("klpart")
    return [found] if found else [sys.executable, "-m", "klpart"]


def wall_times(cmd, repeats):
    """Wall time of each of ``repeats`` runs after one untimed warm-up run."""
    subprocess.run(cmd, check=True, capture_output=True)  # warm-up: fills the Numba cache
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000, help="Delaunay mesh size (default 1000)")
    parser.add_argument("--k", type=int, default=4, help="blocks (default 4)")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per command (default 5)")
    args = parser.parse_args(argv)

    from klpart.datasets import delaunay_graph
    from klpart.io import write_metis

    klpart = console_script()
    print(f"console script: {' '.join(klpart)}")
    with tempfile.TemporaryDirectory() as tmp:
        graph = os.path.join(tmp, f"delaunay{args.nodes}.graph")
        write_metis(delaunay_graph(args.nodes, seed=1), graph)
        out = os.path.join(tmp, "out.part")
        commands = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("klpart --help", klpart + ["--help"]),
            ("klpart info", klpart + ["info", graph]),
            ("klpart partition", klpart + ["partition", graph, "-k", str(args.k), "-o", out]),
            (
                "klpart partition --preset strong",
                klpart + ["partition", graph, "-k", str(args.k), "--preset", "strong", "-o", out],
            ),
        ]
        print(f"graph: Delaunay mesh, {args.nodes} nodes, k = {args.k}; "
              f"median of {args.repeats} runs after one warm-up run")
        width = max(len(name) for name, _ in commands)
        print(f"{'command':<{width}}  {'median':>8}  {'min':>8}  {'max':>8}")
        medians = {}
        for name, cmd in commands:
            times = wall_times(cmd, args.repeats)
            medians[name] = statistics.median(times)
            print(f"{name:<{width}}  {medians[name]:>7.3f}s  {min(times):>7.3f}s  "
                  f"{max(times):>7.3f}s")
    t = medians["klpart partition"]
    verdict = "OK" if t < LIMIT else "TOO SLOW"
    print(f"\nklpart partition on {args.nodes} nodes: {t:.2f} s median wall time "
          f"(limit {LIMIT:.0f} s): {verdict}")
    return 0 if t < LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
