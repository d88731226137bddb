"""First-call cost: an empty Numba cache, then a warm cache in a new process.

    python bench/bench_startup.py            # writes bench/results/startup.md

Each scenario runs in a fresh interpreter whose ``NUMBA_CACHE_DIR`` points
at a new empty folder (cold: every kernel a call needs is compiled) and then
in another fresh interpreter sharing that folder (warm: kernels load from
the cache).  Per entry point, on a 30 x 30 grid: ``kernighan_lin_bisection``,
then ``partition`` at k = 2, then at k = 16, timed one after the other in
the same process (so the k = 2 call pays for the kernels KL did not need,
and k = 16 for those k = 2 did not need).  Also the wall time of the whole
process, imports included.  Median of ``--repeats`` runs.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = """
import json, time
t0 = time.perf_counter()
import networkx as nx
import klpart
G = nx.grid_2d_graph(30, 30)
t1 = time.perf_counter()
klpart.kernighan_lin_bisection(G, seed=0)
t2 = time.perf_counter()
klpart.partition(G, 2, seed=0)
t3 = time.perf_counter()
klpart.partition(G, 16, seed=0)
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "kl": t2 - t1, "partition_k2": t3 - t2, "partition_k16": t4 - t3}))
"""


def run_once(cache_dir):
    env = dict(__import__("os").environ, NUMBA_CACHE_DIR=str(cache_dir))
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True)
    record = json.loads(out.stdout.strip().splitlines()[-1])
    record["process"] = time.perf_counter() - start
    return record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default=str(HERE / "results" / "startup.md"))
    parser.add_argument("--update-readme", action="store_true",
                        help="also replace the README's <!-- startup:start --> ... <!-- startup:end --> block")
    args = parser.parse_args(argv)
    cold, warm = [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory() as cache:
            cold.append(run_once(cache))
            warm.append(run_once(cache))
    keys = ["imports", "kl", "partition_k2", "partition_k16", "process"]
    med = {name: {k: statistics.median(r[k] for r in rows) for k in keys} for name, rows in
           (("empty cache", cold), ("warm cache, new process", warm))}
    sys.path.insert(0, str(HERE))
    from common import machine_summary

    lines = [
        "# First-call cost (`python bench/bench_startup.py`)", "",
        f"{machine_summary()}; median of {args.repeats} runs; seconds; a 30 x 30 grid.", "",
        "| Numba cache | imports | first KL | then partition k=2 | then partition k=16 | whole process |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, m in med.items():
        lines.append(f"| {name} | " + " | ".join(f"{m[k]:.2f}" for k in keys) + " |")
    text = "\n".join(lines) + "\n"
    Path(args.out).write_text(text)
    if args.update_readme:
        readme = HERE.parent / "README.md"
        readme.write_text(replace_startup_block(readme.read_text(), readme_block(text)))
    print(text)


START, END = "<!-- startup:start -->", "<!-- startup:end -->"


def readme_block(results_text):
    """The README's start-up block: the table of ``startup.md`` and its source."""
    body = results_text.split("\n", 2)[2].strip()
    return body + "\n\nMade by `python bench/bench_startup.py --update-readme` ([bench/results/startup.md](bench/results/startup.md))."


def replace_startup_block(text, block):
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"README has no {START} ... {END} block")
    return text[: start + len(START)] + "\n" + block + "\n" + text[end:]


if __name__ == "__main__":
    main()
